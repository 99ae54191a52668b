/** What GET /api/reports declares and what a report answers (src/analytics/reports/types.ts, as JSON). */

export type Cell = string | number | boolean | null;

export interface ReportTable {
  name: string;
  columns: string[];
  rows: Record<string, Cell>[];
}

export interface ReportResult {
  report: string;
  parameters: Record<string, unknown>;
  tables: ReportTable[];
  notes: string[];
  /** When the answer was computed, the events processed since, and whether it was kept from an earlier request. */
  freshness?: { computedAt: string; eventsSince: number; cached: boolean };
}

export type ParamKind = 'date' | 'duration' | 'integer' | 'number' | 'text' | 'list' | 'choice';

export interface ParamSpec {
  name: string;
  kind: ParamKind;
  description: string;
  default?: string;
  required?: boolean;
  choices?: string[];
  min?: number;
  max?: number;
}

export interface ReportDeclaration {
  name: string;
  summary: string;
  parameters: ParamSpec[];
}

/** What a report's view gets: the answer, the address's values, and a way to change them (drill-down, a measure). */
export interface ViewProps {
  result: ReportResult;
  query: URLSearchParams;
  update(changes: Record<string, string | undefined>): void;
}

export const tableOf = (result: ReportResult, name: string): ReportTable | undefined => result.tables.find((t) => t.name === name);

/** A cell as a number, or null (a rate of nothing is null). */
export const num = (value: Cell | undefined): number | null => (typeof value === 'number' ? value : null);
