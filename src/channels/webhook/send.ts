/**
 * One signed webhook request and what became of it, as a DeliveryResult:
 * whether the dispatcher should count it sent, try again later, or give up.
 */
import { OutboundRefused, OutboundTimeout, type Outbound } from '../outbound.js';
import type { DeliveryResponse, DeliveryResult } from '../types.js';
import { webhookHeaders } from './sign.js';

export interface SignedSend {
  url: string;
  secret: string;
  /** webhook-id: the same on every try, so that the receiver can drop a repeat. */
  id: string;
  body: string;
  method?: string;
  timeoutMs: number;
  /** Extra headers from the channel's configuration; they cannot replace the signature or the content type. */
  headers?: Record<string, string>;
  /** How much of the answer's body to keep (default 2,000 characters): a journey call reads fields from it. */
  keepBody?: number;
}

const BODY_KEPT = 2000;

/** The receiver may be back soon: overloaded, rate limiting, or slow to answer. */
const isTransient = (status: number) => status >= 500 || status === 408 || status === 429;

/** Retry-After in milliseconds from now, in either of its forms (seconds, or an HTTP date). */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function classifyAnswer(status: number, body: string, ms: number, retryAfter: number | undefined, kept = BODY_KEPT): DeliveryResult {
  const response: DeliveryResponse = { status, body: body.slice(0, kept), ms };
  if (status >= 200 && status < 300) return { kind: 'sent', response };
  if (!isTransient(status)) return { kind: 'failed', reason: `http_${status}`, response };
  return { kind: 'retry', reason: `http_${status}`, response: retryAfter === undefined ? response : { ...response, retryAfterMs: retryAfter } };
}

/** Network failures are outcomes; anything else is a bug and throws. */
function classifyError(error: unknown): DeliveryResult {
  if (error instanceof OutboundRefused) {
    return { kind: 'failed', reason: error.reason === 'private_address' ? 'ssrf_refused' : 'bad_url', response: { error: error.message } };
  }
  if (error instanceof OutboundTimeout) return { kind: 'retry', reason: 'timeout', response: { error: error.message, ms: error.timeoutMs } };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return { kind: 'retry', reason: 'connection_error', response: { error: `${code}: ${(error as Error).message}` } };
  throw error;
}

/** Signs with the time of this try (receivers refuse stale timestamps) and sends the body as JSON. */
export async function sendSigned(outbound: Pick<Outbound, 'request'>, send: SignedSend, nowMs: number): Promise<DeliveryResult> {
  const ours: Record<string, string> = { 'content-type': 'application/json', ...webhookHeaders(send.secret, send.id, Math.floor(nowMs / 1000), send.body) };
  const extra = Object.entries(send.headers ?? {}).filter(([name]) => !(name.toLowerCase() in ours));
  const request = {
    url: send.url,
    method: send.method ?? 'POST',
    headers: { ...Object.fromEntries(extra), ...ours },
    body: send.body,
    timeoutMs: send.timeoutMs,
  };
  try {
    const answer = await outbound.request(request);
    return classifyAnswer(answer.status, answer.body, answer.ms, retryAfterMs(answer.headers['retry-after'], nowMs), send.keepBody);
  } catch (error) {
    return classifyError(error);
  }
}
