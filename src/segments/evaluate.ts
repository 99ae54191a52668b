/**
 * Evaluating a condition for one profile, with no I/O: whether it matches now,
 * and the earliest time its answer could change with no new event (a window
 * closing, a relative date passing), so that the scheduler re-checks then.
 */
import type { Condition, ValueTest } from './conditions.js';

export interface Verdict {
  match: boolean;
  /** When the answer may change without a new event; null: only an event can change it. */
  changesAt: number | null;
}

export interface EvalContext {
  now: number;
  trait(name: string): unknown;
  computed(name: string): { value: unknown; changesAt: number | null } | undefined;
  builtin(name: string): unknown;
  /** The counter of the event condition at this JSON pointer. */
  events(at: string): { count: number; changesAt: number | null };
  channels: string[];
  consent(channel: string, purpose: string): { status: 'granted' | 'denied' | 'unknown'; allowed: boolean };
  household: string | null;
  stage: string | null;
  inSegment(name: string): boolean;
}

const DAY = 86_400_000;
const verdict = (match: boolean, changesAt: number | null = null): Verdict => ({ match, changesAt });
/** The earliest of some change times; null when none is known. */
export const earliest = (times: (number | null)[]): number | null => {
  const known = times.filter((t): t is number => t !== null);
  return known.length === 0 ? null : Math.min(...known);
};

export function evaluate(condition: Condition, ctx: EvalContext, at = ''): Verdict {
  if ('all' in condition) {
    const parts = condition.all.map((c, i) => evaluate(c, ctx, `${at}/all/${i}`));
    return verdict(parts.every((p) => p.match), earliest(parts.map((p) => p.changesAt)));
  }
  if ('any' in condition) {
    const parts = condition.any.map((c, i) => evaluate(c, ctx, `${at}/any/${i}`));
    return verdict(parts.some((p) => p.match), earliest(parts.map((p) => p.changesAt)));
  }
  if ('not' in condition) {
    const inner = evaluate(condition.not, ctx, `${at}/not`);
    return verdict(!inner.match, inner.changesAt);
  }
  if ('trait' in condition) return testValue(ctx.trait(condition.trait), condition, ctx.now);
  if ('profile' in condition) return testValue(ctx.builtin(condition.profile), condition, ctx.now);
  if ('computedTrait' in condition) {
    const computed = ctx.computed(condition.computedTrait);
    const result = testValue(computed?.value, condition, ctx.now);
    return verdict(result.match, earliest([result.changesAt, computed?.changesAt ?? null]));
  }
  if ('event' in condition) {
    const { count, changesAt } = ctx.events(at);
    const atLeast = condition.atLeast ?? (condition.atMost === undefined ? 1 : undefined);
    const match = (atLeast === undefined || count >= atLeast) && (condition.atMost === undefined || count <= condition.atMost);
    return verdict(match, condition.withinDays === undefined ? null : changesAt);
  }
  if ('channel' in condition) {
    const used = ctx.channels.includes(condition.channel);
    if (condition.op === 'used') return verdict(used);
    if (condition.op === 'not_used') return verdict(!used);
    return verdict(used && ctx.channels.length === 1);
  }
  if ('channelCount' in condition) return verdict(compare(ctx.channels.length, condition.channelCount.op, condition.channelCount.value));
  if ('stage' in condition) {
    const stages = Array.isArray(condition.stage) ? condition.stage : [condition.stage];
    return verdict(ctx.stage !== null && stages.includes(ctx.stage));
  }
  if ('consent' in condition) {
    const { channel, purpose = 'marketing', is } = condition.consent;
    const state = ctx.consent(channel, purpose);
    if (is === 'allowed') return verdict(state.allowed);
    if (is === 'not_allowed') return verdict(!state.allowed);
    return verdict(state.status === is);
  }
  if ('household' in condition) {
    if (condition.household === 'any') return verdict(ctx.household !== null);
    if (condition.household === 'none') return verdict(ctx.household === null);
    return verdict(ctx.household === condition.household);
  }
  return verdict(ctx.inSegment(condition.segment) === (condition.member ?? true));
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

export function testValue(actual: unknown, test: ValueTest, now: number): Verdict {
  const present = actual !== undefined && actual !== null;
  switch (test.op) {
    case 'exists': return verdict(present);
    case 'not_exists': return verdict(!present);
    case 'eq': return verdict(present && actual === test.value);
    case 'neq': return verdict(actual !== test.value);
    case 'in': return verdict(present && (test.value as unknown[]).includes(actual));
    case 'not_in': return verdict(!(test.value as unknown[]).includes(actual));
    case 'contains':
      if (typeof actual === 'string') return verdict(actual.toLowerCase().includes(String(test.value).toLowerCase()));
      return verdict(Array.isArray(actual) && actual.includes(test.value));
    case 'gt': case 'gte': case 'lt': case 'lte':
      return verdict(typeof actual === 'number' && compare(actual, test.op, test.value as number));
    case 'before': case 'after': {
      const t = toTime(actual);
      const limit = Date.parse(test.value as string);
      return verdict(t !== undefined && (test.op === 'before' ? t < limit : t > limit));
    }
    case 'within_last_days': {
      const t = toTime(actual);
      if (t === undefined) return verdict(false);
      const until = t + (test.value as number) * DAY;
      return until >= now ? verdict(true, until) : verdict(false);
    }
    case 'more_than_days_ago': {
      const t = toTime(actual);
      if (t === undefined) return verdict(false);
      const from = t + (test.value as number) * DAY;
      return from < now ? verdict(true) : verdict(false, from);
    }
  }
}
