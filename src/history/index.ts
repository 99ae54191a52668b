/**
 * history: the contact history. Every contact request becomes a message
 * with its life (requested, allowed or suppressed with the reason, rendered,
 * sent, delivered, opened...), one history per customer beside the inbound
 * events. Journeys write messages in their own transactions; providers report
 * outcomes; the API reads.
 */
export { createMessages, type Messages } from './messages.js';
export type { Message, MessageFilter, NewMessage, Outcome, Release, Report, Step } from './rows.js';
export { MESSAGE_STATUSES, REPORTED_STATUSES, furthest, reached, wentOut, type MessageStatus, type ReportedStatus } from './statuses.js';
export { historyMigrations } from './tables.js';
export { scanMessages, type MessageFact } from './report-reads.js';
export { outcomeOf, summarize, type MessageSummary } from './summary.js';
