/**
 * Report parameters as declared values: one reader for the HTTP query
 * string and the CLI's `key=value` words, so both accept and refuse the
 * same things and every refusal names the parameter and what to send.
 */
import { ReportParameterError } from './errors.js';

export type ParamKind = 'date' | 'duration' | 'integer' | 'number' | 'text' | 'list' | 'choice';

export interface ParamSpec {
  name: string;
  kind: ParamKind;
  description: string;
  /** Used when the parameter is absent (in the parameter's own syntax). */
  default?: string;
  required?: boolean;
  choices?: readonly string[];
  min?: number;
  max?: number;
}

export type ParamValue = number | string | string[] | undefined;

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DAY = 86_400_000;

export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  return m ? Number(m[1]) * UNITS[m[2]!]! : undefined;
}

function readOne(spec: ParamSpec, text: string): ParamValue {
  const fail = (what: string): never => {
    throw new ReportParameterError(spec.name, `${what} (got ${JSON.stringify(text)}).`);
  };
  switch (spec.kind) {
    case 'date': {
      if (!/^\d{4}-\d{2}-\d{2}/.test(text)) fail('give an ISO 8601 date or time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z');
      // A time without a zone is UTC, as a date alone is: never the server's local time.
      const zoned = /T.*(Z|[+-]\d{2}:?\d{2})$/.test(text);
      const at = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : zoned ? text : `${text}Z`);
      if (Number.isNaN(at)) fail('give an ISO 8601 date or time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z');
      // Date.parse rolls 2026-02-30 over to March: the calendar date written must be the one read.
      const [y, m, d] = text.slice(0, 10).split('-').map(Number);
      const day = new Date(Date.UTC(y!, m! - 1, d!));
      if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m! - 1 || day.getUTCDate() !== d) fail('that day is not in the calendar');
      return at;
    }
    case 'duration': {
      const ms = parseDuration(text);
      if (ms === undefined || ms <= 0) fail('give a positive duration: a number and a unit (ms, s, m, h, d or w), e.g. 7d');
      return checkRange(spec, ms!, text);
    }
    case 'integer':
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n) || (spec.kind === 'integer' && !Number.isInteger(n)))
        fail(`give ${spec.kind === 'integer' ? 'a whole number' : 'a number'}`);
      return checkRange(spec, n, text);
    }
    case 'choice':
      return spec.choices!.includes(text) ? text : fail(`choose one of ${spec.choices!.join(', ')}`);
    case 'list': {
      const items = text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (items.length === 0) fail('give one or more values separated by commas');
      const wrong = spec.choices && items.find((i) => !spec.choices!.includes(i));
      return wrong ? fail(`"${wrong}" is not one of ${spec.choices!.join(', ')}`) : items;
    }
    case 'text':
      return text.trim() === '' ? fail('give a value') : text;
  }
}

function checkRange(spec: ParamSpec, n: number, text: string): number {
  if (spec.min !== undefined && n < spec.min) throw new ReportParameterError(spec.name, `must be at least ${spec.min} (got ${text}).`);
  if (spec.max !== undefined && n > spec.max) throw new ReportParameterError(spec.name, `must be at most ${spec.max} (got ${text}).`);
  return n;
}

/** The report's parameters read from text, defaults filled in; unknown or bad ones throw ReportParameterError. */
export function readParameters(specs: readonly ParamSpec[], raw: Record<string, string | undefined>): Record<string, ParamValue> {
  const known = new Set(specs.map((s) => s.name));
  for (const name of Object.keys(raw)) {
    if (!known.has(name)) throw new ReportParameterError(name, `this report takes no such parameter; it takes ${[...known].join(', ')}.`);
  }
  const out: Record<string, ParamValue> = {};
  for (const spec of specs) {
    const text = raw[spec.name] ?? spec.default;
    if (text === undefined) {
      if (spec.required) throw new ReportParameterError(spec.name, `is required: ${spec.description}`);
      continue;
    }
    out[spec.name] = readOne(spec, text);
  }
  return out;
}

/** The period most reports cover: `from` and `to` (default: the 90 days up to now). */
export const PERIOD: ParamSpec[] = [
  { name: 'from', kind: 'date', description: 'Start of the period (ISO 8601, inclusive; default: 90 days before `to`).' },
  { name: 'to', kind: 'date', description: 'End of the period (ISO 8601, exclusive; default: now).' },
];

export function periodOf(values: Record<string, ParamValue>, now: number): { from: number; to: number } {
  const to = (values.to as number | undefined) ?? now;
  const from = (values.from as number | undefined) ?? to - 90 * DAY;
  if (from >= to) throw new ReportParameterError('from', `must be before to (${new Date(to).toISOString()}).`);
  return { from, to };
}
