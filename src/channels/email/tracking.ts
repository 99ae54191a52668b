/**
 * Tracked links, the open pixel and unsubscribe links, with no I/O. Each is
 * a signed token: the message it belongs to (and, for a click, the URL it
 * leads to) in the clear, with an HMAC over it. The tracking endpoint trusts
 * nothing but a token that verifies, so a click can only ever lead where
 * the email's own link led: the endpoint is no open redirect, and nobody can
 * unsubscribe a customer, or count an open, without the message's token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type LinkToken = { kind: 'click'; messageId: string; url: string } | { kind: 'open'; messageId: string } | { kind: 'unsubscribe'; messageId: string };

export interface LinkSigner {
  click(messageId: string, url: string): string;
  open(messageId: string): string;
  unsubscribe(messageId: string): string;
  /** What a token says, or undefined when it is forged, altered, truncated or not a token at all. */
  verify(token: string): LinkToken | undefined;
}

const KINDS = { c: 'click', o: 'open', u: 'unsubscribe' } as const;
const LETTERS = { click: 'c', open: 'o', unsubscribe: 'u' } as const;
/** 128 bits of the HMAC: beyond guessing, and the tokens stay short enough for long URLs. */
const MAC_BYTES = 16;
/** Longer than any token of a URL a mail client keeps; past it, nothing is decoded. */
const MAX_TOKEN = 8192;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** base64url text as bytes, but only in its one canonical spelling: Buffer's lenient decoding would let altered tokens through. */
function decode(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

const isWebUrl = (url: string) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol);

export function createLinkSigner(secret: string): LinkSigner {
  if (secret.length < 16) throw new Error('The link-signing secret must be at least 16 characters.');
  // A key of its own: the same secret used elsewhere never signs a link by accident.
  const key = createHmac('sha256', secret).update('touchpoint email links v1').digest();
  const mac = (payload: Buffer) => createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);

  function sign(kind: LinkToken['kind'], messageId: string, url?: string): string {
    if (messageId === '' || messageId.includes('\n')) throw new Error(`Not a message id: ${JSON.stringify(messageId)}`);
    const payload = Buffer.from([LETTERS[kind], messageId, ...(url === undefined ? [] : [url])].join('\n'));
    return `${payload.toString('base64url')}.${mac(payload).toString('base64url')}`;
  }

  function read(payload: Buffer): LinkToken | undefined {
    const [letter, messageId, ...rest] = payload.toString('utf8').split('\n');
    const kind = KINDS[letter as keyof typeof KINDS];
    if (kind === undefined || !messageId) return undefined;
    if (kind !== 'click') return rest.length === 0 ? { kind, messageId } : undefined;
    const url = rest.join('\n');
    return isWebUrl(url) ? { kind, messageId, url } : undefined;
  }

  return {
    click(messageId, url) {
      if (!isWebUrl(url)) throw new Error(`Only http(s) links are tracked: ${url}`);
      return sign('click', messageId, url);
    },
    open: (messageId) => sign('open', messageId),
    unsubscribe: (messageId) => sign('unsubscribe', messageId),
    verify(token) {
      if (typeof token !== 'string' || token.length > MAX_TOKEN) return undefined;
      const parts = token.split('.');
      if (parts.length !== 2) return undefined;
      const payload = decode(parts[0]!);
      const given = decode(parts[1]!);
      if (!payload || !given || given.length !== MAC_BYTES) return undefined;
      return timingSafeEqual(given, mac(payload)) ? read(payload) : undefined;
    },
  };
}

export interface RewriteOptions {
  messageId: string;
  /** Where Touchpoint answers on the web, without a trailing slash (https://t.shop.example). */
  publicUrl: string;
  signer: LinkSigner;
  trackLinks: boolean;
  trackOpens: boolean;
  /** Only links to these hosts are tracked (the ones the template wrote out); absent: every web link. */
  linkHosts?: readonly string[];
}

/** An <a> or <area> start tag: quoted attribute values may hold ">". */
const LINK_TAG = /<(a|area)(\s(?:[^>"']|"[^"]*"|'[^']*')*)?>/gi;
/** One attribute: its name, then its value double-quoted, single-quoted or bare. */
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

interface Href {
  /** Where the attribute starts and ends in the tag's attribute text. */
  start: number;
  end: number;
  value: string;
  quote: string;
}

/** The href of a link tag's attributes, unless the link opted out of tracking. */
function hrefOf(attributes: string): Href | undefined {
  let href: Href | undefined;
  for (const match of attributes.matchAll(ATTRIBUTE)) {
    const name = match[1]!.toLowerCase();
    if (name === 'data-touchpoint-notrack') return undefined;
    if (name !== 'href' || href !== undefined) continue;
    const value = match[2] ?? match[3] ?? match[4];
    if (value === undefined) continue;
    href = { start: match.index, end: match.index + match[0].length, value, quote: match[3] === undefined ? '"' : "'" };
  }
  return href;
}

const decodeAmpersands = (value: string) => value.replace(/&(?:amp|#0*38|#x0*26);/gi, '&');
const encodeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * The HTML with its web links going through signed tracking URLs and the
 * open pixel at the end of the body, each as the switches say. Left alone:
 * mailto:, tel: and in-page links, hrefs that still hold Liquid (a template
 * that did not render is no address), links marked data-touchpoint-notrack,
 * and links to Touchpoint's own pages (the unsubscribe link is never counted
 * as a click).
 */
export function rewriteHtml(html: string, options: RewriteOptions): string {
  const { messageId, signer } = options;
  const base = options.publicUrl.replace(/\/+$/, '');
  const own = [`${base}/u/`, `${base}/t/`];
  const hosts = options.linkHosts && new Set(options.linkHosts);
  const trusted = (url: string) => !hosts || hosts.has(new URL(url).hostname.toLowerCase());
  const tracked = (url: string) =>
    /^https?:\/\//i.test(url) && !/\{\{|\{%/.test(url) && !own.some((prefix) => url.startsWith(prefix)) && URL.canParse(url) && trusted(url);

  let out = html;
  if (options.trackLinks) {
    out = out.replace(LINK_TAG, (tag, name: string, attributes: string | undefined) => {
      const href = attributes === undefined ? undefined : hrefOf(attributes);
      const url = href && decodeAmpersands(href.value.trim());
      if (!href || !url || !tracked(url)) return tag;
      const rewritten = `href=${href.quote}${encodeAttribute(`${base}/t/${signer.click(messageId, url)}`)}${href.quote}`;
      return `<${name}${attributes!.slice(0, href.start)}${rewritten}${attributes!.slice(href.end)}>`;
    });
  }
  if (!options.trackOpens) return out;
  const pixel = `<img src="${encodeAttribute(`${base}/t/${signer.open(messageId)}`)}" width="1" height="1" alt="" style="display:none">`;
  const end = [...out.matchAll(/<\/body\s*>/gi)].at(-1)?.index ?? -1;
  return end === -1 ? out + pixel : out.slice(0, end) + pixel + out.slice(end);
}
