/** Segment's timestamp rules: parse ISO 8601 and correct the client's clock skew. */

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Epoch ms of an ISO 8601 date, or undefined when the value is not one. */
export function parseIsoTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_8601.test(value.trim())) return undefined;
  const ms = Date.parse(value.trim());
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * How far after its receipt an event may be dated (after skew correction). A
 * later time is a broken clock, not a fact: stored, it would stand as the
 * profile's last activity for as long as it stays in the future.
 */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

export interface MessageTimes {
  /** When the event happened, corrected for skew. */
  timestamp: number;
  /** The client's own `timestamp`, uncorrected. */
  originalTimestamp?: number;
  sentAt?: number;
  receivedAt: number;
}

/**
 * timestamp = receivedAt - (sentAt - originalTimestamp): the client's clock may
 * be wrong, but the time between the event and the send is measured on that
 * same clock. Without sentAt the client's time is taken as it is; without
 * either, the receipt time.
 */
export function correctSkew(original: number | undefined, sentAt: number | undefined, receivedAt: number): MessageTimes {
  if (original === undefined) return { timestamp: receivedAt, sentAt, receivedAt };
  if (sentAt === undefined) return { timestamp: original, originalTimestamp: original, receivedAt };
  return { timestamp: receivedAt - (sentAt - original), originalTimestamp: original, sentAt, receivedAt };
}
