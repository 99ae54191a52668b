/**
 * The pure rules of sessions and sign-in attempts: when a session ends, when
 * its last-seen time is worth writing, when an address is locked out.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A session ends after this long without a request... */
export const SESSION_IDLE_MS = 12 * HOUR;
/** ...and this long after sign-in, however busy (the cookie's Max-Age). */
export const SESSION_ABSOLUTE_MS = 7 * 24 * HOUR;
/** Last-seen moves at most this often: a request a second must not mean a write a second. */
export const TOUCH_EVERY_MS = MINUTE;

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * MINUTE;

export interface SessionTimes {
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export function expiryOf(createdAt: number, lastSeenAt: number): number {
  return Math.min(lastSeenAt + SESSION_IDLE_MS, createdAt + SESSION_ABSOLUTE_MS);
}

export type SessionCheck = { kind: 'expired' } | { kind: 'valid'; touch?: { lastSeenAt: number; expiresAt: number } };

/** Whether a session still holds at `now`, and the times to write when it is time to slide them. */
export function checkSession(times: SessionTimes, now: number): SessionCheck {
  if (now >= times.expiresAt) return { kind: 'expired' };
  if (now - times.lastSeenAt < TOUCH_EVERY_MS) return { kind: 'valid' };
  return { kind: 'valid', touch: { lastSeenAt: now, expiresAt: expiryOf(times.createdAt, now) } };
}

/**
 * How long until an address may try again, given the times of its failed
 * attempts (any order); 0 when it may now. Locked while the last
 * MAX_FAILURES failures all lie within the window.
 */
export function lockedFor(failures: readonly number[], now: number): number {
  const recent = failures.filter((at) => at > now - FAILURE_WINDOW_MS && at <= now).sort((a, b) => b - a);
  if (recent.length < MAX_FAILURES) return 0;
  return recent[MAX_FAILURES - 1]! + FAILURE_WINDOW_MS - now;
}
