/**
 * The pages a customer reaches from an email: the preference page, the
 * one-click confirmation and the answers to a link that leads nowhere. Pure
 * functions to HTML: self-contained (inline CSS, no scripts, no external
 * assets, which mail-client link checkers and strict proxies fetch too) and
 * every value escaped.
 */
import type { PurposeChoice } from '../types.js';

export const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Headers for every page: nothing loads from elsewhere, no one frames the unsubscribe button, the token stays out of Referer. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const STYLE = `body{margin:0;background:#f4f4f5;color:#18181b;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:32rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:1.4rem;margin:0 0 1rem}fieldset{border:0;padding:0;margin:0 0 1.5rem}
.purpose{display:flex;justify-content:space-between;gap:1rem;padding:.75rem 0;border-bottom:1px solid #e4e4e7}
.purpose:last-child{border-bottom:0}.name{font-weight:600;text-transform:capitalize}label{margin-left:.75rem}
button{font:inherit;padding:.6rem 1.2rem;border-radius:8px;border:1px solid #18181b;background:#18181b;color:#fff;cursor:pointer}
button.quiet{background:#fff;color:#18181b}.note{padding:.75rem 1rem;border-radius:8px;background:#ecfdf5;color:#065f46}
form+form{margin-top:1.5rem;padding-top:1.5rem;border-top:1px solid #e4e4e7}p.small{font-size:.875rem;color:#52525b}`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

const STATUS_WORDS: Record<PurposeChoice['status'], string> = { granted: 'subscribed', denied: 'unsubscribed', unknown: 'not chosen yet' };

function purposeRow({ purpose, status }: PurposeChoice): string {
  const name = escapeHtml(purpose);
  const option = (value: 'granted' | 'denied', label: string) =>
    `<label><input type="radio" name="${name}" value="${value}"${status === value ? ' checked' : ''}> ${label}</label>`;
  return `<div class="purpose"><div><div class="name">${name}</div><div class="small">${STATUS_WORDS[status]}</div></div><div>${option('granted', 'Yes')}${option('denied', 'No')}</div></div>`;
}

export interface PreferencePage {
  /** The page's own path relative to where it is served: '' at /u/:token, '../' below it. */
  up: string;
  token: string;
  channel: string;
  choices: PurposeChoice[];
  saved: boolean;
}

export function preferencePage(page: PreferencePage): string {
  const here = `${page.up}${encodeURIComponent(page.token)}`;
  const rows = page.choices.map(purposeRow).join('');
  const body = `<h1>Your ${escapeHtml(page.channel)} preferences</h1>
${page.saved ? '<p class="note" role="status">Your choices are saved.</p>' : ''}
<form method="post" action="${here}/preferences"><fieldset><legend class="small">What would you like to receive?</legend>${rows}</fieldset><button type="submit">Save my choices</button></form>
<form method="post" action="${here}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" class="quiet">Unsubscribe from all marketing</button></form>`;
  return layout('Your preferences', body);
}

export const unsubscribedPage = () =>
  layout('Unsubscribed', '<h1>You are unsubscribed</h1><p>You will receive no more marketing messages on this channel.</p>');

export const notFoundPage = () =>
  layout('Link not found', '<h1>This link does not work</h1><p>It may have been cut short or changed. Try the link in the email again.</p>');

export const gonePage = () =>
  layout('Nothing to change', '<h1>Nothing to change</h1><p>We no longer hold the message this link came with, nor the choices that went with it.</p>');
