/**
 * Evaluating a condition for one profile, with no I/O: whether it matches at
 * a moment, and the earliest time its answer could change with no new event
 * (a window closing, a relative date passing), when a timer must look again.
 * One evaluator per kind, in a table that must cover every kind.
 */
import type { Condition, ConditionKind, ConditionOf, ValueTest } from './schema.js';
import { kindOf } from './conditions.js';

export interface Verdict {
  match: boolean;
  /** When the answer may change without a new event; null: only an event can change it. */
  changesAt: number | null;
}

export interface EvalContext {
  /** The moment of the evaluation (event time, or a timer's due time). */
  now: number;
  trait(name: string): unknown;
  computed(name: string): { value: unknown; changesAt: number | null } | undefined;
  builtin(name: string): unknown;
  /** The counter of the event condition at this JSON pointer. */
  events(at: string): { count: number; changesAt: number | null };
  channels: readonly string[];
  consent(channel: string, purpose: string): { status: 'granted' | 'denied' | 'unknown'; allowed: boolean };
  household: string | null;
  stage: string | null;
  inSegment(name: string): boolean;
}

const DAY = 86_400_000;
const verdict = (match: boolean, changesAt: number | null = null): Verdict => ({ match, changesAt });

/** The earliest of some change times; null when none is known. */
export const earliest = (times: (number | null)[]): number | null => {
  let first: number | null = null;
  for (const t of times) if (t !== null && (first === null || t < first)) first = t;
  return first;
};

type Evaluator<K extends ConditionKind> = (condition: ConditionOf<K>, ctx: EvalContext, at: string) => Verdict;

const EVALUATORS: { [K in ConditionKind]: Evaluator<K> } = {
  all: (c, ctx, at) => {
    const parts = c.all.map((x, i) => evaluate(x, ctx, `${at}/all/${i}`));
    return verdict(parts.every((p) => p.match), earliest(parts.map((p) => p.changesAt)));
  },
  any: (c, ctx, at) => {
    const parts = c.any.map((x, i) => evaluate(x, ctx, `${at}/any/${i}`));
    return verdict(parts.some((p) => p.match), earliest(parts.map((p) => p.changesAt)));
  },
  not: (c, ctx, at) => {
    const inner = evaluate(c.not, ctx, `${at}/not`);
    return verdict(!inner.match, inner.changesAt);
  },
  trait: (c, ctx) => testValue(ctx.trait(c.trait), c, ctx.now),
  profile: (c, ctx) => testValue(ctx.builtin(c.profile), c, ctx.now),
  computedTrait: (c, ctx) => {
    const computed = ctx.computed(c.computedTrait);
    const result = testValue(computed?.value, c, ctx.now);
    return verdict(result.match, earliest([result.changesAt, computed?.changesAt ?? null]));
  },
  event: (c, ctx, at) => {
    const { count, changesAt } = ctx.events(at);
    const atLeast = c.atLeast ?? (c.atMost === undefined ? 1 : undefined);
    const match = (atLeast === undefined || count >= atLeast) && (c.atMost === undefined || count <= c.atMost);
    return verdict(match, c.withinDays === undefined ? null : changesAt);
  },
  channel: (c, ctx) => {
    const used = ctx.channels.includes(c.channel);
    return verdict(c.op === 'used' ? used : c.op === 'not_used' ? !used : used && ctx.channels.length === 1);
  },
  channelCount: (c, ctx) => verdict(compare(ctx.channels.length, c.channelCount.op, c.channelCount.value)),
  stage: (c, ctx) => verdict(ctx.stage !== null && (Array.isArray(c.stage) ? c.stage : [c.stage]).includes(ctx.stage)),
  consent: (c, ctx) => {
    const { channel, purpose = 'marketing', is } = c.consent;
    const state = ctx.consent(channel, purpose);
    if (is === 'allowed') return verdict(state.allowed);
    if (is === 'not_allowed') return verdict(!state.allowed);
    return verdict(state.status === is);
  },
  household: (c, ctx) => {
    if (c.household === 'any') return verdict(ctx.household !== null);
    if (c.household === 'none') return verdict(ctx.household === null);
    return verdict(ctx.household === c.household);
  },
  segment: (c, ctx) => verdict(ctx.inSegment(c.segment) === (c.member ?? true)),
};

export function evaluate(condition: Condition, ctx: EvalContext, at = ''): Verdict {
  const kind = kindOf(condition)!;
  return (EVALUATORS[kind] as Evaluator<ConditionKind>)(condition as ConditionOf<ConditionKind>, ctx, at);
}

function compare(actual: number, op: string, value: number): boolean {
  switch (op) {
    case 'eq': return actual === value;
    case 'neq': return actual !== value;
    case 'gt': return actual > value;
    case 'gte': return actual >= value;
    case 'lt': return actual < value;
    default: return actual <= value;
  }
}

/** A date as epoch ms: an ISO string or a number of ms. */
function toTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

type ValueTester = (actual: unknown, test: ValueTest, now: number) => Verdict;
const present = (v: unknown) => v !== undefined && v !== null;

const VALUE_TESTS: Record<ValueTest['op'], ValueTester> = {
  exists: (a) => verdict(present(a)),
  not_exists: (a) => verdict(!present(a)),
  eq: (a, t) => verdict(present(a) && a === t.value),
  neq: (a, t) => verdict(a !== t.value),
  in: (a, t) => verdict(present(a) && (t.value as unknown[]).includes(a)),
  not_in: (a, t) => verdict(!(t.value as unknown[]).includes(a)),
  contains: (a, t) => verdict(typeof a === 'string' ? a.toLowerCase().includes(String(t.value).toLowerCase()) : Array.isArray(a) && a.includes(t.value)),
  gt: (a, t) => verdict(typeof a === 'number' && a > (t.value as number)),
  gte: (a, t) => verdict(typeof a === 'number' && a >= (t.value as number)),
  lt: (a, t) => verdict(typeof a === 'number' && a < (t.value as number)),
  lte: (a, t) => verdict(typeof a === 'number' && a <= (t.value as number)),
  before: (a, t) => {
    const time = toTime(a);
    return verdict(time !== undefined && time < Date.parse(t.value as string));
  },
  after: (a, t) => {
    const time = toTime(a);
    return verdict(time !== undefined && time > Date.parse(t.value as string));
  },
  within_last_days: (a, t, now) => {
    const time = toTime(a);
    if (time === undefined) return verdict(false);
    const until = time + (t.value as number) * DAY;
    return until >= now ? verdict(true, until) : verdict(false);
  },
  more_than_days_ago: (a, t, now) => {
    const time = toTime(a);
    if (time === undefined) return verdict(false);
    const from = time + (t.value as number) * DAY;
    return from < now ? verdict(true) : verdict(false, from);
  },
};

export const testValue = (actual: unknown, test: ValueTest, now: number): Verdict => VALUE_TESTS[test.op](actual, test, now);
