/**
 * One delivery as the email nodemailer sends, with no I/O: sender and
 * reply address (the content's, else the channel's), tracked HTML, the
 * preheader, and the headers mailbox providers ask of bulk senders
 * (List-Unsubscribe with one-click, RFC 8058). The Message-ID comes from the
 * message's id, so every try of one message carries the same one.
 */
import type { SendMailOptions } from 'nodemailer';
import type { RenderedEmail } from '../../content/index.js';
import type { Delivery } from '../types.js';
import { rewriteHtml, type LinkSigner } from './tracking.js';

export interface EmailOptions {
  /** The channel's sender, when the content names none; its domain names the Message-ID. */
  from: string;
  replyTo?: string;
  /** The address List-Unsubscribe's mailto: writes to. */
  unsubscribeMailto: string;
  /** Where Touchpoint answers on the web (https://t.shop.example): tracked links, the pixel and the preference page. */
  publicUrl: string;
  signer: LinkSigner;
}

/** Written in a content's HTML or text, it becomes the message's preference-page URL (Liquid leaves it alone). */
export const UNSUBSCRIBE_PLACEHOLDER = '%%unsubscribe_url%%';

/** The address of `addr` or `Name <addr>`. */
export const addressOf = (mailbox: string) => (mailbox.match(/<([^<>]+)>\s*$/)?.[1] ?? mailbox).trim();
export const domainOf = (mailbox: string) => addressOf(mailbox).split('@').at(-1)!.toLowerCase();

const isText = (value: unknown) => typeof value === 'string';
const isOptional = (value: unknown, type: 'string' | 'boolean') => value === undefined || typeof value === type;

/** The delivery's rendered variant when it has an email's form; undefined otherwise (a bug upstream, not a retry). */
export function asRenderedEmail(rendered: Record<string, unknown>): RenderedEmail | undefined {
  const { subject, html, text, preheader, from, replyTo, trackLinks, trackOpens } = rendered;
  const strings = isText(subject) && isText(html) && isText(text) && isOptional(preheader, 'string');
  const settings = isOptional(from, 'string') && isOptional(replyTo, 'string') && isOptional(trackLinks, 'boolean') && isOptional(trackOpens, 'boolean');
  return strings && settings ? (rendered as unknown as RenderedEmail) : undefined;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The preheader as the first text of the body, hidden: clients show it after the subject, readers never see it. */
function withPreheader(html: string, preheader: string | undefined): string {
  if (!preheader) return html;
  const hidden = `<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all" aria-hidden="true">${escapeHtml(preheader)}</div>`;
  const body = html.match(/<body\b(?:[^>"']|"[^"]*"|'[^']*')*>/i);
  if (!body) return hidden + html;
  const at = body.index! + body[0].length;
  return html.slice(0, at) + hidden + html.slice(at);
}

/** The text part ends with the preference page, unless the content placed it already. */
function withFooter(text: string, preferences: string): string {
  if (text.includes(preferences)) return text;
  return `${text.trimEnd()}\n\n--\nUnsubscribe or change your email preferences: ${preferences}\n`;
}

/** The email of a delivery whose rendered variant is an email's (asRenderedEmail says; anything else is a bug and throws). */
export function buildEmail(delivery: Delivery, options: EmailOptions): SendMailOptions {
  const { messageId } = delivery;
  const email = asRenderedEmail(delivery.rendered);
  if (!email) throw new Error(`Delivery ${messageId} does not carry a rendered email.`);
  const base = options.publicUrl.replace(/\/+$/, '');
  const token = options.signer.unsubscribe(messageId);
  const preferences = `${base}/u/${token}`;
  const fill = (part: string) => part.split(UNSUBSCRIBE_PLACEHOLDER).join(preferences);
  const tracked = rewriteHtml(fill(email.html), {
    messageId,
    publicUrl: base,
    signer: options.signer,
    trackLinks: email.trackLinks !== false,
    trackOpens: email.trackOpens !== false,
    linkHosts: email.linkHosts,
  });
  const replyTo = email.replyTo ?? options.replyTo;
  return {
    from: email.from ?? options.from,
    ...(replyTo !== undefined && { replyTo }),
    to: delivery.to ?? undefined,
    subject: email.subject,
    text: withFooter(fill(email.text), preferences),
    html: withPreheader(tracked, email.preheader),
    messageId: `<${messageId}@${domainOf(options.from)}>`,
    headers: {
      'X-Touchpoint-Message-Id': messageId,
      'List-Unsubscribe': `<${preferences}>, <mailto:${addressOf(options.unsubscribeMailto)}?subject=unsubscribe-${token}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
