/** `touchpoint report <name> [key=value...]`: a report over the store, printed as a table, CSV or JSON. */
import { reportCsv, reportText, ReportParameterError, UnknownReportError, type ReportDefinition } from '../analytics/index.js';
import { print, withTouchpoint, type CliContext } from './context.js';

type Options = { config?: string; format?: string; table?: string };

/** `key=value` words into parameters; a word without `=` is refused with what to write. */
export function readAssignments(words: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of words) {
    const at = word.indexOf('=');
    if (at <= 0) throw new Error(`"${word}" is not a parameter: write name=value, e.g. window=7d (quote values with spaces).`);
    const name = word.slice(0, at);
    if (name in out) throw new Error(`${name}: give it once (it was given twice).`);
    out[name] = word.slice(at + 1);
  }
  return out;
}

export function describeReports(reports: readonly ReportDefinition[]): string {
  return reports
    .map((r) =>
      [
        `${r.name}: ${r.summary}`,
        ...r.params.map((p) => `    ${p.name}${p.required ? ' (required)' : p.default ? ` (default ${p.default})` : ''}: ${p.description}`),
      ].join('\n'),
    )
    .join('\n');
}

export async function runReport(ctx: CliContext, name: string, words: string[], options: Options): Promise<void> {
  const format = options.format ?? 'table';
  if (!['table', 'csv', 'json'].includes(format)) throw new Error(`--format: choose table, csv or json (got ${format}).`);
  const params = readAssignments(words);
  await withTouchpoint(ctx, options, async (tp) => {
    try {
      const result = await tp.analytics.run(name, params);
      if (format === 'json') return print(ctx.stdout, JSON.stringify(result, null, 2));
      if (format === 'table') return print(ctx.stdout, reportText(result));
      const csv = reportCsv(result, options.table);
      if (csv === undefined) throw new Error(`--table: this report's tables are ${result.tables.map((t) => t.name).join(', ')}.`);
      ctx.stdout.write(csv);
    } catch (error) {
      if (error instanceof UnknownReportError) throw new Error(`${error.message}\n\n${describeReports(tp.analytics.reports())}`);
      if (error instanceof ReportParameterError) throw new Error(`${error.message}\n\n${describeReports([tp.analytics.definition(name)])}`);
      throw error;
    }
  });
}
