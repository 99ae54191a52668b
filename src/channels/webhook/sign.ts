/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/): the
 * receiver checks with any Standard Webhooks library that a request came
 * from us, unchanged, and recently. Pure: node:crypto only.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'whsec_';
const BASE64 = '(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?';

/** A secret as the reference library reads it: whsec_ then padded base64, or the base64 alone. */
export const WEBHOOK_SECRET_PATTERN = `^(${PREFIX})?${BASE64}$`;
const SECRET = new RegExp(WEBHOOK_SECRET_PATTERN);

/** A new secret: 32 random bytes (the spec asks for 24 to 64). */
export function newWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/**
 * The key bytes. Like the reference library, a secret without the prefix is
 * base64 as a whole. Strict base64 only: Node would decode a typo leniently
 * into a key the receiver's library refuses or reads otherwise.
 */
function secretKey(secret: string): Buffer {
  if (!SECRET.test(secret) || secret === PREFIX || secret === '') throw new Error('A webhook secret is whsec_ followed by base64 (padded)');
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`: the value of webhook-signature. */
export function signWebhook(secret: string, id: string, timestampSec: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSec}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export type WebhookHeaders = Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;

export function webhookHeaders(secret: string, id: string, timestampSec: number, body: string): WebhookHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSec),
    'webhook-signature': signWebhook(secret, id, timestampSec, body),
  };
}

export type WebhookVerification = { ok: true } | { ok: false; reason: 'missing_headers' | 'stale_timestamp' | 'bad_signature' };

type Headers = Record<string, string | string[] | undefined>;

/** A header by its lower-case name, whatever case it came in; repeated ones joined with a space (how signatures are listed). */
function header(headers: Headers, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(' ') : value;
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks a request the way a receiver should: the timestamp within
 * `toleranceSec` of now either way (a replayed request is refused), then any
 * one of the listed v1 signatures matching (several are sent while a secret
 * is rotated), compared in constant time. A timestamp that is not an integer
 * counts as a missing header.
 */
export function verifyWebhook(secret: string, headers: Headers, body: string, nowSec: number, toleranceSec = 300): WebhookVerification {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing_headers' };
  if (Math.abs(nowSec - Number(timestamp)) > toleranceSec) return { ok: false, reason: 'stale_timestamp' };
  const expected = signWebhook(secret, id, Number(timestamp), body);
  const matches = signatures.split(' ').some((signature) => signature.startsWith('v1,') && sameText(signature, expected));
  return matches ? { ok: true } : { ok: false, reason: 'bad_signature' };
}
