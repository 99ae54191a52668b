/** Reports printed for people (aligned tables) and for spreadsheets (CSV), from the one result shape. */
import { stringify } from 'csv-stringify/sync';
import type { Cell, ReportResult, ReportTable } from './reports/types.js';

const show = (cell: Cell | undefined): string => (cell === null || cell === undefined ? '-' : typeof cell === 'number' ? String(cell) : String(cell));

export function tableText(table: ReportTable): string {
  const header = table.columns;
  const body = table.rows.map((r) => table.columns.map((c) => show(r[c])));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const numeric = table.columns.map((c) => table.rows.every((r) => r[c] === null || typeof r[c] === 'number'));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function reportText(result: ReportResult): string {
  const parts = result.tables.map((t) => `${t.name}\n\n${t.rows.length === 0 ? '(no rows)' : tableText(t)}`);
  const notes = result.notes.map((n) => `note: ${n}`);
  return [...parts, ...(notes.length ? [notes.join('\n')] : [])].join('\n\n');
}

export function tableCsv(table: ReportTable): string {
  // Booleans as words: csv-stringify writes true as 1 and false as nothing, which reads as "no value".
  const cell = (v: Cell | undefined) => (typeof v === 'boolean' ? String(v) : (v ?? ''));
  // Names come from events (campaigns, categories): a cell a spreadsheet would run as a formula gets a leading "'".
  return stringify([table.columns, ...table.rows.map((r) => table.columns.map((c) => cell(r[c])))], { escape_formulas: true });
}

/** One table as CSV (the first when none is named); undefined when no table has that name. */
export function reportCsv(result: ReportResult, name?: string): string | undefined {
  const table = name === undefined ? result.tables[0] : result.tables.find((t) => t.name === name);
  return table ? tableCsv(table) : undefined;
}
