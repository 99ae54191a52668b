/**
 * Evaluating a condition for one profile, with no I/O: whether it matches at
 * a moment, and the earliest time its answer could change with no new event
 * (a window closing, a relative date passing), when a timer must look again.
 *
 * A condition is compiled once into a tree of functions (one evaluator per
 * kind, in a table that must cover every kind), then run for many profiles:
 * the pipeline evaluates every segment for every event.
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
  /** The counter of the event condition at this JSON pointer (of the condition's owner). */
  events(at: string): { count: number; changesAt: number | null };
  channels: readonly string[];
  consent(channel: string, purpose: string): { status: 'granted' | 'denied' | 'unknown'; allowed: boolean };
  household: string | null;
  stage: string | null;
  inSegment(name: string): boolean;
}

/** The earliest of some change times; null when none is known. */
export const earliest = (times: (number | null)[]): number | null => {
  let first: number | null = null;
  for (const t of times) if (t !== null && (first === null || t < first)) first = t;
  return first;
};

/** Collects the earliest change time of every part evaluated. */
interface Acc {
  changesAt: number | null;
}
const note = (acc: Acc, t: number | null) => {
  if (t !== null && (acc.changesAt === null || t < acc.changesAt)) acc.changesAt = t;
};

type Node = (ctx: EvalContext, acc: Acc) => boolean;
type Compiler<K extends ConditionKind> = (condition: ConditionOf<K>, at: string) => Node;

const DAY = 86_400_000;

// Every part is evaluated, also after the answer is known: each may say when it changes.
const COMPILERS: { [K in ConditionKind]: Compiler<K> } = {
  all: (c, at) => {
    const parts = c.all.map((x, i) => compileAt(x, `${at}/all/${i}`));
    return (ctx, acc) => parts.reduce((ok, part) => part(ctx, acc) && ok, true);
  },
  any: (c, at) => {
    const parts = c.any.map((x, i) => compileAt(x, `${at}/any/${i}`));
    return (ctx, acc) => parts.reduce((ok, part) => part(ctx, acc) || ok, false);
  },
  not: (c, at) => {
    const inner = compileAt(c.not, `${at}/not`);
    return (ctx, acc) => !inner(ctx, acc);
  },
  trait: (c) => (ctx, acc) => testValue(ctx.trait(c.trait), c, ctx.now, acc),
  profile: (c) => (ctx, acc) => testValue(ctx.builtin(c.profile), c, ctx.now, acc),
  computedTrait: (c) => (ctx, acc) => {
    const computed = ctx.computed(c.computedTrait);
    note(acc, computed?.changesAt ?? null);
    return testValue(computed?.value, c, ctx.now, acc);
  },
  event: (c, at) => {
    const atLeast = c.atLeast ?? (c.atMost === undefined ? 1 : undefined);
    return (ctx, acc) => {
      const { count, changesAt } = ctx.events(at);
      if (c.withinDays !== undefined) note(acc, changesAt);
      return (atLeast === undefined || count >= atLeast) && (c.atMost === undefined || count <= c.atMost);
    };
  },
  channel: (c) => (ctx) => {
    const used = ctx.channels.includes(c.channel);
    return c.op === 'used' ? used : c.op === 'not_used' ? !used : used && ctx.channels.length === 1;
  },
  channelCount: (c) => (ctx) => compare(ctx.channels.length, c.channelCount.op, c.channelCount.value),
  stage: (c) => {
    const stages = Array.isArray(c.stage) ? c.stage : [c.stage];
    return (ctx) => ctx.stage !== null && stages.includes(ctx.stage);
  },
  consent: (c) => {
    const { channel, purpose = 'marketing', is } = c.consent;
    return (ctx) => {
      const state = ctx.consent(channel, purpose);
      return is === 'allowed' ? state.allowed : is === 'not_allowed' ? !state.allowed : state.status === is;
    };
  },
  household: (c) => (ctx) => (c.household === 'any' ? ctx.household !== null : c.household === 'none' ? ctx.household === null : ctx.household === c.household),
  segment: (c) => {
    const member = c.member ?? true;
    return (ctx) => ctx.inSegment(c.segment) === member;
  },
};

function compileAt(condition: Condition, at: string): Node {
  const kind = kindOf(condition)!;
  return (COMPILERS[kind] as Compiler<ConditionKind>)(condition as ConditionOf<ConditionKind>, at);
}

const compiled = new WeakMap<Condition, Node>();

/** Evaluates a condition (compiled the first time this condition object is seen). */
export function evaluate(condition: Condition, ctx: EvalContext): Verdict {
  let node = compiled.get(condition);
  if (!node) {
    node = compileAt(condition, '');
    compiled.set(condition, node);
  }
  const acc: Acc = { changesAt: null };
  const match = node(ctx, acc);
  return { match, changesAt: acc.changesAt };
}

function compare(actual: number, op: string, value: number): boolean {
  switch (op) {
    case 'eq':
      return actual === value;
    case 'neq':
      return actual !== value;
    case 'gt':
      return actual > value;
    case 'gte':
      return actual >= value;
    case 'lt':
      return actual < value;
    default:
      return actual <= value;
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

type ValueTester = (actual: unknown, test: ValueTest, now: number, acc: Acc) => boolean;
const present = (v: unknown) => v !== undefined && v !== null;

const VALUE_TESTS: Record<ValueTest['op'], ValueTester> = {
  exists: (a) => present(a),
  not_exists: (a) => !present(a),
  eq: (a, t) => present(a) && a === t.value,
  neq: (a, t) => a !== t.value,
  in: (a, t) => present(a) && (t.value as unknown[]).includes(a),
  not_in: (a, t) => !(t.value as unknown[]).includes(a),
  contains: (a, t) => (typeof a === 'string' ? a.toLowerCase().includes(String(t.value).toLowerCase()) : Array.isArray(a) && a.includes(t.value)),
  gt: (a, t) => typeof a === 'number' && a > (t.value as number),
  gte: (a, t) => typeof a === 'number' && a >= (t.value as number),
  lt: (a, t) => typeof a === 'number' && a < (t.value as number),
  lte: (a, t) => typeof a === 'number' && a <= (t.value as number),
  before: (a, t) => {
    const time = toTime(a);
    return time !== undefined && time < Date.parse(t.value as string);
  },
  after: (a, t) => {
    const time = toTime(a);
    return time !== undefined && time > Date.parse(t.value as string);
  },
  within_last_days: (a, t, now, acc) => {
    const time = toTime(a);
    if (time === undefined) return false;
    const until = time + (t.value as number) * DAY;
    if (until < now) return false;
    note(acc, until);
    return true;
  },
  more_than_days_ago: (a, t, now, acc) => {
    const time = toTime(a);
    if (time === undefined) return false;
    const from = time + (t.value as number) * DAY;
    if (from < now) return true;
    note(acc, from);
    return false;
  },
};

function testValue(actual: unknown, test: ValueTest, now: number, acc: Acc): boolean {
  return VALUE_TESTS[test.op](actual, test, now, acc);
}
