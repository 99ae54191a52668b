/**
 * Runs reports by name: reads the parameters (refusing bad ones by name),
 * then the report over the ports, or serves an answer kept from an earlier
 * run (cache.ts) with how current it is.
 */
import { createAnswerCache, type CacheSettings, type Freshness } from './cache.js';
import { ReportParameterError } from './reports/errors.js';
import { readParameters } from './reports/params.js';
import { REPORTS } from './reports/registry.js';
import type { ReportDefinition } from './reports/report.js';
import type { ReportPorts, ReportResult } from './reports/types.js';

export class UnknownReportError extends Error {
  constructor(readonly report: string) {
    super(`No report named "${report}"; the reports are ${REPORTS.map((r) => r.name).join(', ')}.`);
    this.name = 'UnknownReportError';
  }
}

/**
 * Reports running at once; the next waits its turn. A report reads the store
 * page after page on the server's event loop, beside tracking: a few at a
 * time keep the server answering while they run.
 */
const AT_ONCE = 2;

function createTurns(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** Answers kept by default: served again for 5 minutes, recomputed behind after a minute. */
export const DEFAULT_CACHE: CacheSettings = { maxAgeMs: 300_000, refreshAfterMs: 60_000, maxEntries: 200 };

export interface AnalyticsOptions {
  cache?: CacheSettings;
  /** A report computed in the background failed. */
  onError?(error: unknown): void;
}

export function createAnalytics(ports: ReportPorts, options: AnalyticsOptions = {}) {
  const byName = new Map(REPORTS.map((r) => [r.name, r]));
  const turn = createTurns(AT_ONCE);
  const cacheDeps = { now: ports.now, position: ports.position, onError: options.onError };
  const cache = createAnswerCache<ReportResult>(cacheDeps, options.cache ?? DEFAULT_CACHE);
  const summaries = createAnswerCache<unknown>(cacheDeps, options.cache ?? DEFAULT_CACHE);
  const definition = (name: string): ReportDefinition => {
    const found = byName.get(name);
    if (!found) throw new UnknownReportError(name);
    return found;
  };
  return {
    reports: (): readonly ReportDefinition[] => REPORTS,
    definition,
    /**
     * Reads `raw` (text values, as from a query string) and runs the report,
     * or serves an answer kept for the same parameters (`fresh`: never);
     * bad parameters throw ReportParameterError.
     */
    async run(name: string, raw: Record<string, string | undefined>, runOptions: { fresh?: boolean } = {}): Promise<ReportResult> {
      const report = definition(name);
      const values = readParameters(report.params, raw);
      const given = Object.entries(raw).filter(([, v]) => v !== undefined);
      const key = JSON.stringify([name, given.sort(([a], [b]) => (a < b ? -1 : 1))]);
      const { value, freshness } = await cache.get(key, () => turn(() => report.run(values, ports)), runOptions);
      return { ...value, freshness };
    },
    /** Another answer that reads the whole timeline (the overview's activity), kept as reports' answers are. */
    async keep<T>(key: string, work: () => Promise<T>, keepOptions: { fresh?: boolean } = {}): Promise<{ value: T; freshness: Freshness }> {
      const { value, freshness } = await summaries.get(key, work, keepOptions);
      return { value: value as T, freshness };
    },
    /** Runs reports in the background, one after another, so that their pages open at once (the demo, after it starts). */
    async warm(list: readonly [string, Record<string, string>][]): Promise<void> {
      for (const [name, raw] of list) await this.run(name, raw);
    },
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
export { ReportParameterError };
