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

export function createAnalytics(ports: ReportPorts) {
  const byName = new Map(REPORTS.map((r) => [r.name, r]));
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
      return report.run(values, ports);
    },
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
export { ReportParameterError };
