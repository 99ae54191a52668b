/**
 * Funnel steps written as text, no I/O: `Product Viewed > Added to Cart >
 * Order Completed`, a step being a track event's name, `page:Checkout` or
 * `screen:Home` (`page` or `screen` alone: any), each with property filters
 * in brackets: `Order Completed[revenue>=100][currency=EUR]`.
 */
import type { ActivityEvent } from '../../profiles/index.js';
import { ReportParameterError } from './errors.js';
import { propertiesOf } from './facts.js';

const OPS = ['>=', '<=', '!=', '=', '>', '<'] as const;
type Op = (typeof OPS)[number];

export interface StepFilter {
  property: string;
  op: Op;
  value: string | number;
}

export interface FunnelStep {
  label: string;
  type: 'track' | 'page' | 'screen';
  /** Undefined: any page or screen. */
  name?: string;
  where: StepFilter[];
}

/** Splits at `>` outside brackets. */
function splitSteps(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === '>' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  parts.push(current.trim());
  return parts;
}

function parseFilter(param: string, raw: string): StepFilter {
  for (const op of OPS) {
    const at = raw.indexOf(op);
    if (at <= 0) continue;
    const property = raw.slice(0, at).trim();
    const text = raw
      .slice(at + op.length)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    const numeric = text !== '' && Number.isFinite(Number(text));
    if (property === '') break;
    if (/^[<>=!]/.test(text)) throw new ReportParameterError(param, `"[${raw}]": "${op}${text[0]}" is not an operator; use =, !=, >, >=, < or <=.`);
    if (op !== '=' && op !== '!=' && !numeric) throw new ReportParameterError(param, `"[${raw}]": ${op} compares numbers; give a number after it.`);
    return { property, op, value: numeric ? Number(text) : text };
  }
  throw new ReportParameterError(param, `"[${raw}]" is not a filter; write [property=value], with =, !=, >, >=, < or <=.`);
}

export function parseSteps(param: string, text: string): FunnelStep[] {
  const steps = splitSteps(text).map((part): FunnelStep => {
    const m = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(part);
    if (!m) throw new ReportParameterError(param, `"${part}" is not a step; write an event name, page:Name or screen:Name, then any [property=value] filters.`);
    const head = m[1]!.trim();
    const where = [...m[2]!.matchAll(/\[([^\]]*)\]/g)].map((f) => parseFilter(param, f[1]!));
    const kind = /^(page|screen)(?::(.*))?$/.exec(head);
    if (kind) return { label: part, type: kind[1] as 'page' | 'screen', name: kind[2]?.trim() || undefined, where };
    return { label: part, type: 'track', name: head, where };
  });
  if (steps.length < 2) throw new ReportParameterError(param, 'give at least two steps separated by " > ", e.g. Product Viewed > Order Completed.');
  if (steps.length > 20) throw new ReportParameterError(param, `give at most 20 steps (got ${steps.length}).`);
  if (steps.some((s) => s.type === 'track' && !s.name)) throw new ReportParameterError(param, 'a step is empty: write an event name between each " > ".');
  return steps;
}

function valueAt(props: Record<string, unknown>, path: string): unknown {
  let value: unknown = props;
  for (const key of path.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function passes(filter: StepFilter, actual: unknown): boolean {
  if (filter.op === '=' || filter.op === '!=') {
    const same = actual === filter.value || (actual !== undefined && actual !== null && String(actual) === String(filter.value));
    return filter.op === '=' ? same : !same;
  }
  const a = typeof actual === 'number' ? actual : typeof actual === 'string' && actual !== '' ? Number(actual) : Number.NaN;
  const b = typeof filter.value === 'number' ? filter.value : Number(filter.value);
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return filter.op === '>' ? a > b : filter.op === '>=' ? a >= b : filter.op === '<' ? a < b : a <= b;
}

export function stepMatches(step: FunnelStep, event: ActivityEvent): boolean {
  if (event.type !== step.type) return false;
  if (step.name !== undefined && event.event !== step.name) return false;
  if (step.where.length === 0) return true;
  const props = propertiesOf(event);
  return step.where.every((f) => passes(f, valueAt(props, f.property)));
}
