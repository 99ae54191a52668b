/**
 * `touchpoint attribution --paths FILE`: every attribution model over a path
 * table, side by side. It reads the file alone: no store, no configuration.
 */
import { readFile } from 'node:fs/promises';
import {
  attributeAll,
  attributionCsv,
  describeShapleyMethod,
  MODELS,
  parsePathTable,
  PathTableError,
  type Attribution,
  type PathRow,
} from '../analytics/index.js';
import { TouchpointError } from '../errors.js';
import type { CliContext } from './context.js';

export const ATTRIBUTION_FORMATS = ['table', 'csv', 'json'] as const;

export interface AttributionOptions {
  paths: string;
  format: (typeof ATTRIBUTION_FORMATS)[number];
  halfLife: number;
}

const FORMAT_HINT =
  'A path table is ChannelAttribution\u2019s format: the header path;total_conversions;total_conversion_value;total_null, then one path a line, e.g. "search > email > store;2;30.5;7" (docs/analytics.md).';

async function readPaths(file: string): Promise<PathRow[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TouchpointError('TP_INVALID_PATHS', `${file} could not be read: ${(error as Error).message}`);
  }
  try {
    return parsePathTable(text);
  } catch (error) {
    if (error instanceof PathTableError) throw new TouchpointError('TP_INVALID_PATHS', `${file}, ${error.message}.\n${FORMAT_HINT}`);
    throw error;
  }
}

export async function attribution(ctx: CliContext, options: AttributionOptions): Promise<void> {
  const result = attributeAll(await readPaths(options.paths), { halfLife: options.halfLife });
  const render = { table: renderTable, csv: attributionCsv, json: (a: Attribution) => `${JSON.stringify(a, null, 2)}\n` } satisfies Record<
    AttributionOptions['format'],
    (a: Attribution) => string
  >;
  ctx.stdout.write(render[options.format](result));
}

/** The first column to the left, the others to the right, two spaces apart. */
function aligned(rows: string[][]): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}

const fixed = (n: number, digits = 2) => (Math.abs(n) < 0.5 * 10 ** -digits ? 0 : n).toFixed(digits);

/** Channels down, models across, for conversions or value, with the totals. */
function grid(a: Attribution, key: 'conversions' | 'value'): string[] {
  const rows = a.channels.map((channel, i) => [channel, ...MODELS.map((m) => fixed(a.models[m].channels[i]![key]))]);
  const total = ['total', ...MODELS.map((m) => fixed(a.models[m].channels.reduce((s, c) => s + c[key], 0)))];
  return aligned([[key, ...MODELS], ...rows, total]);
}

export function renderTable(a: Attribution): string {
  const { totals, models } = a;
  const markov = models.markov.channels.map((c) => [c.channel, fixed(c.removalEffect ?? 0, 4)]);
  return [
    `${totals.paths} paths: ${totals.customers} customers, ${totals.conversions} conversions (value ${fixed(totals.value)}), ${totals.nulls} without conversion`,
    '',
    ...grid(a, 'conversions'),
    '',
    ...grid(a, 'value'),
    '',
    `markov removal effects (the share of the conversion probability, ${fixed(models.markov.conversionProbability, 4)}, lost without the channel):`,
    ...aligned(markov).map((line) => `  ${line}`),
    `shapley: ${describeShapleyMethod(models.shapley.method)}`,
    `time_decay: half-life ${models.time_decay.halfLife} touches`,
    'first_touch to time_decay and shapley share out each converting path by a rule; markov reads every path, those that did not convert too.',
    'None of them measures what a channel caused: holdout groups do (docs/analytics.md).',
    '',
  ].join('\n');
}
