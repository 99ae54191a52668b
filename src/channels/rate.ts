/**
 * A channel's send rate as a token bucket, with no I/O: tokens refill at
 * the rate per second up to one second's worth, and a delivery takes one.
 * A channel without a rate is unlimited.
 */
export interface Bucket {
  /** Takes up to `want` tokens now; returns how many it got. */
  take(now: number, want: number): number;
  /** Gives back tokens taken but not used. */
  refund(count: number): void;
  /** Milliseconds until one token is there (0: now). */
  waitMs(now: number): number;
}

export function createBucket(ratePerSecond: number | undefined, now: number): Bucket {
  if (ratePerSecond === undefined) return { take: (_now, want) => want, refund: () => {}, waitMs: () => 0 };
  const capacity = Math.max(1, ratePerSecond);
  let tokens = capacity;
  let last = now;
  const refill = (at: number) => {
    if (at > last) tokens = Math.min(capacity, tokens + ((at - last) / 1000) * ratePerSecond);
    last = Math.max(last, at);
  };
  return {
    take(at, want) {
      refill(at);
      const granted = Math.max(0, Math.min(want, Math.floor(tokens)));
      tokens -= granted;
      return granted;
    },
    refund(count) {
      tokens = Math.min(capacity, tokens + count);
    },
    waitMs(at) {
      refill(at);
      return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / ratePerSecond) * 1000);
    },
  };
}
