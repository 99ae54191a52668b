/**
 * How report figures read in the console: rates as percentages, money with
 * two decimals, durations in words, and a figure's 95% interval beside it
 * (the API puts `x_low`, `x_high` right after the column they belong to).
 */
import type { Column } from '../../components/table.js';
import { formatNumber, formatPercent } from '../../components/ui.js';
import type { Cell, ReportTable } from './types.js';

/** Columns that hold a share between 0 and 1 (or a lift/difference of such shares). */
const RATES = new Set([
  'conversion_from_previous',
  'conversion_from_first',
  'conversion',
  'conversion_rate',
  'share',
  'expected_share',
  'repeat_purchase_rate',
  'retention',
  'rate',
  'difference',
  'lift',
  'removal_effect',
]);
const MONEY = /(revenue|value)/;

export const isRate = (column: string) => RATES.has(column);

export function humanize(column: string): string {
  if (column.startsWith('median_seconds_')) return humanize(column.replace('median_seconds_', 'median_time_'));
  return column.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

/** One figure of a column, formatted by what the column holds. */
export function formatCell(column: string, value: Cell | undefined): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value !== 'number') return value;
  if (isRate(column)) return formatPercent(value);
  if (column.endsWith('_seconds_from_previous')) return formatDuration(value);
  if (column.includes('p_value')) return value < 0.0001 ? '< 0.0001' : String(value);
  if (MONEY.test(column)) return value.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (Number.isInteger(value)) return formatNumber(value);
  return value.toLocaleString('en', { maximumFractionDigits: 3 });
}

/** The table's columns for display: each `_low`/`_high` pair folded into the column before it as "x (low–high)". */
export function displayColumns(table: ReportTable): Column<Record<string, Cell>>[] {
  const out: Column<Record<string, Cell>>[] = [];
  const cols = table.columns;
  for (let i = 0; i < cols.length; i++) {
    const key = cols[i]!;
    const low = cols[i + 1];
    const high = cols[i + 2];
    const withInterval = low?.endsWith('_low') && high?.endsWith('_high') && !key.endsWith('_low');
    const numeric = table.rows.some((r) => typeof r[key] === 'number');
    if (withInterval) {
      out.push({
        key,
        label: `${humanize(key)} (95% interval)`,
        numeric: true,
        render: (row) => `${formatCell(key, row[key])}${row[low!] === null ? '' : ` (${formatCell(key, row[low!])}–${formatCell(key, row[high!])})`}`,
      });
      i += 2;
    } else out.push({ key, label: humanize(key), numeric, render: (row) => formatCell(key, row[key]) });
  }
  return out;
}
