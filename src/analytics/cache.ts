/**
 * Answers of reports, kept for a while: a report reads the whole timeline
 * (seconds on a brand's 90 days), while a page should open at once. An
 * answer is served again as long as it is young enough, always saying when
 * it was computed and how many events the pipeline has processed since, so
 * it is never stale without saying so. Serving an answer over a minute old
 * starts a new computation in the background, which the next request gets
 * (not every event does: with live traffic, each view would cost a whole
 * report). Asking for a fresh answer computes one and waits for it.
 */

/** How current an answer is. */
export interface Freshness {
  /** When the figures were computed (ISO 8601). */
  computedAt: string;
  /** Events the pipeline processed since then: 0 when nothing came in. */
  eventsSince: number;
  /** Whether this answer was computed for an earlier request. */
  cached: boolean;
}

export interface CacheSettings {
  /** How long an answer may be served again (0: never kept). */
  maxAgeMs: number;
  /** An answer older than this is recomputed in the background when it is served. */
  refreshAfterMs: number;
  /** Answers kept, the least recently used going first. */
  maxEntries: number;
}

export interface CacheDeps {
  now(): number;
  /** The pipeline's position in the event log: it moves when events are processed. */
  position(): Promise<number>;
  /** A background computation failed (the outdated answer stays until it is too old). */
  onError?(error: unknown): void;
}

interface Kept<T> {
  value: T;
  computedAt: number;
  position: number;
}

/** What to do with what is kept: serve it, serve it and compute anew behind it, or compute and wait. Pure. */
export function decide(
  kept: { computedAt: number; position: number } | undefined,
  at: { now: number; position: number; fresh: boolean },
  settings: Pick<CacheSettings, 'maxAgeMs' | 'refreshAfterMs'>,
): 'serve' | 'serve-and-refresh' | 'compute' {
  if (!kept || at.fresh) return 'compute';
  const age = at.now - kept.computedAt;
  if (age >= settings.maxAgeMs) return 'compute';
  return age < settings.refreshAfterMs ? 'serve' : 'serve-and-refresh';
}

export function createAnswerCache<T>(deps: CacheDeps, settings: CacheSettings) {
  const kept = new Map<string, Kept<T>>();
  /** One computation per key at a time: requests meanwhile wait for it. */
  const running = new Map<string, Promise<Kept<T>>>();

  function remember(key: string, entry: Kept<T>): void {
    if (settings.maxAgeMs <= 0) return;
    kept.delete(key);
    kept.set(key, entry);
    while (kept.size > settings.maxEntries) kept.delete(kept.keys().next().value!);
  }

  /** Joins the computation under way for the key, if any, unless a fresh one is asked for. */
  function compute(key: string, work: () => Promise<T>, fresh = false): Promise<Kept<T>> {
    const inFlight = running.get(key);
    if (inFlight && !fresh) return inFlight;
    const started = (async () => {
      const computedAt = deps.now();
      const position = await deps.position();
      const entry = { value: await work(), computedAt, position };
      remember(key, entry);
      return entry;
    })().finally(() => {
      if (running.get(key) === started) running.delete(key);
    });
    running.set(key, started);
    return started;
  }

  return {
    /** The answer for `key`, with how current it is. */
    async get(key: string, work: () => Promise<T>, options: { fresh?: boolean } = {}): Promise<{ value: T; freshness: Freshness }> {
      const now = deps.now();
      const position = await deps.position();
      const entry = kept.get(key);
      const action = decide(entry, { now, position, fresh: options.fresh ?? false }, settings);
      if (action === 'compute' || !entry) {
        const joined = running.has(key) && !options.fresh;
        const made = await compute(key, work, options.fresh);
        return { value: made.value, freshness: freshnessOf(made, Math.max(position, made.position), joined) };
      }
      if (action === 'serve-and-refresh') compute(key, work).catch((error) => deps.onError?.(error));
      remember(key, entry);
      return { value: entry.value, freshness: freshnessOf(entry, position, true) };
    },
    /** Forgets every answer (the data they were computed from changed shape: a model, a segment). */
    clear: () => kept.clear(),
  };
}

function freshnessOf(entry: { computedAt: number; position: number }, position: number, cached: boolean): Freshness {
  return { computedAt: new Date(entry.computedAt).toISOString(), eventsSince: Math.max(0, position - entry.position), cached };
}
