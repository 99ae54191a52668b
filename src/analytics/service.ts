/** Runs reports by name: reads the parameters (refusing bad ones by name), then the report over the ports. */
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

export function createAnalytics(ports: ReportPorts) {
  const byName = new Map(REPORTS.map((r) => [r.name, r]));
  const turn = createTurns(AT_ONCE);
  const definition = (name: string): ReportDefinition => {
    const found = byName.get(name);
    if (!found) throw new UnknownReportError(name);
    return found;
  };
  return {
    reports: (): readonly ReportDefinition[] => REPORTS,
    definition,
    /** Reads `raw` (text values, as from a query string) and runs the report; bad parameters throw ReportParameterError. */
    async run(name: string, raw: Record<string, string | undefined>): Promise<ReportResult> {
      const report = definition(name);
      const values = readParameters(report.params, raw);
      return turn(() => report.run(values, ports));
    },
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
export { ReportParameterError };
