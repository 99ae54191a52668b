/**
 * The email channel: the SMTP adapter (chosen at wiring time, like every
 * adapter), tracked links and the open pixel as signed tokens, the pages a
 * customer reaches from an email, and bounces read from delivery status
 * notifications. The channels module's core imports none of it.
 */
export { parseDsn, type Dsn } from './dsn.js';
export { buildEmail, UNSUBSCRIBE_PLACEHOLDER, type EmailOptions } from './mime.js';
export { gonePage, notFoundPage, PAGE_HEADERS, preferencePage, unsubscribedPage, type PreferencePage } from './pages.js';
export { classifySmtpError, createSmtpAdapter, SmtpChannelSchema, type SmtpChannel, type SmtpDeps } from './smtp.js';
export { createLinkSigner, rewriteHtml, type LinkSigner, type LinkToken, type RewriteOptions } from './tracking.js';
