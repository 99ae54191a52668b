/**
 * How long to wait before trying a delivery again. Pure: randomness comes in
 * as a function so tests and simulations choose it.
 */

export interface BackoffOptions {
  /** The ceiling of the first wait. */
  baseMs?: number;
  /** No wait is longer than this. */
  maxMs?: number;
  /**
   * How fast the ceiling grows. 4 rather than 2: over a handful of tries the
   * waits then reach the ceiling and cover an outage or a deploy of the
   * receiver (8 tries from 30 s, capped at 6 h: up to about 15 hours), where
   * doubling would give up within about an hour.
   */
  factor?: number;
}

/**
 * The wait after try number `attempt` (1 = the first try) failed: exponential
 * with full jitter, a uniform draw between 0 and min(maxMs, baseMs *
 * factor^(attempt - 1)). Full jitter spreads the retries of many messages
 * that failed together (a receiver's outage) instead of sending them back in
 * one wave when it returns.
 */
export function retryDelay(attempt: number, { baseMs = 1000, maxMs = 3_600_000, factor = 4 }: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * factor ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** The longest wait after try number `attempt`: what docs and operators quote. */
export function maxRetryDelay(attempt: number, options: BackoffOptions = {}): number {
  return retryDelay(attempt, options, () => 1);
}
