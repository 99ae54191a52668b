/**
 * The segment condition language: types and validation, with no I/O.
 * Conditions are JSON; every problem names the JSON pointer of the part at fault.
 */
import { CHANNELS, MESSAGE_TYPES } from '../collect/index.js';
import { FILTER_OPS } from '../profiles/index.js';

export const VALUE_OPS = [
  'eq', 'neq', 'in', 'not_in', 'contains', 'exists', 'not_exists', 'gt', 'gte', 'lt', 'lte',
  'before', 'after', 'within_last_days', 'more_than_days_ago',
] as const;
export type ValueOp = (typeof VALUE_OPS)[number];
export const BUILTINS = ['orders.count', 'orders.revenue', 'eventCount', 'firstSeen', 'lastSeen'] as const;
export const CONSENT_STATES = ['granted', 'denied', 'unknown', 'allowed', 'not_allowed'] as const;
const COMPARE_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;

export interface ValueTest { op: ValueOp; value?: unknown }
export interface PropertyFilter { property: string; op: (typeof FILTER_OPS)[number]; value?: unknown }

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | ({ trait: string } & ValueTest)
  | ({ computedTrait: string } & ValueTest)
  | ({ profile: (typeof BUILTINS)[number] } & ValueTest)
  | EventCondition
  | { channel: string; op: 'used' | 'not_used' | 'only' }
  | { channelCount: { op: (typeof COMPARE_OPS)[number]; value: number } }
  | { stage: string | string[] }
  | { consent: { channel: string; purpose?: string; is: (typeof CONSENT_STATES)[number] } }
  | { household: string }
  | { segment: string; member?: boolean };

/** Performed an event: at least once unless said; `atMost: 0` is "did not perform". */
export interface EventCondition {
  event: string | string[];
  eventType?: string;
  where?: PropertyFilter[];
  atLeast?: number;
  atMost?: number;
  withinDays?: number;
}

const KINDS = ['all', 'any', 'not', 'trait', 'computedTrait', 'profile', 'event', 'channel', 'channelCount', 'stage', 'consent', 'household', 'segment'] as const;
export type ConditionKind = (typeof KINDS)[number];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

export function kindOf(condition: Json): ConditionKind | undefined {
  return KINDS.find((k) => k in condition);
}

/** Every problem in a condition, as "JSON pointer: what is wrong". Empty when valid. */
export function validateCondition(condition: unknown, at = ''): string[] {
  if (!isObject(condition)) return [`${at || '/'}: a condition must be an object`];
  const kind = kindOf(condition);
  if (!kind) return [`${at || '/'}: a condition needs one of ${KINDS.join(', ')}`];
  switch (kind) {
    case 'all':
    case 'any': {
      const list = condition[kind];
      if (!Array.isArray(list) || list.length === 0) return [`${at}/${kind}: must be a non-empty array of conditions`];
      return list.flatMap((c, i) => validateCondition(c, `${at}/${kind}/${i}`));
    }
    case 'not':
      return validateCondition(condition.not, `${at}/not`);
    case 'trait':
    case 'computedTrait':
      return [...name(condition[kind], `${at}/${kind}`), ...valueTest(condition, at)];
    case 'profile':
      return [
        ...((BUILTINS as readonly unknown[]).includes(condition.profile) ? [] : [`${at}/profile: must be one of ${BUILTINS.join(', ')}`]),
        ...valueTest(condition, at),
      ];
    case 'event':
      return eventCondition(condition, at);
    case 'channel':
      return [
        ...((CHANNELS as readonly unknown[]).includes(condition.channel) ? [] : [`${at}/channel: must be one of ${CHANNELS.join(', ')}`]),
        ...(['used', 'not_used', 'only'].includes(condition.op as string) ? [] : [`${at}/op: must be used, not_used or only`]),
      ];
    case 'channelCount': {
      const c = condition.channelCount;
      if (!isObject(c)) return [`${at}/channelCount: must be {op, value}`];
      return [
        ...((COMPARE_OPS as readonly unknown[]).includes(c.op) ? [] : [`${at}/channelCount/op: must be one of ${COMPARE_OPS.join(', ')}`]),
        ...(isCount(c.value) ? [] : [`${at}/channelCount/value: must be a whole number`]),
      ];
    }
    case 'stage': {
      const s = condition.stage;
      const ok = typeof s === 'string' || (Array.isArray(s) && s.length > 0 && s.every((x) => typeof x === 'string'));
      return ok ? [] : [`${at}/stage: must be a stage name or a list of them`];
    }
    case 'consent': {
      const c = condition.consent;
      if (!isObject(c)) return [`${at}/consent: must be {channel, purpose?, is}`];
      return [
        ...((CHANNELS as readonly unknown[]).includes(c.channel) ? [] : [`${at}/consent/channel: must be one of ${CHANNELS.join(', ')}`]),
        ...(c.purpose === undefined || (typeof c.purpose === 'string' && /^[a-z][a-z0-9_]*$/.test(c.purpose)) ? [] : [`${at}/consent/purpose: lower-case letters, digits and _`]),
        ...((CONSENT_STATES as readonly unknown[]).includes(c.is) ? [] : [`${at}/consent/is: must be one of ${CONSENT_STATES.join(', ')}`]),
      ];
    }
    case 'household':
      return typeof condition.household === 'string' && condition.household !== '' ? [] : [`${at}/household: "any", "none" or a household id`];
    case 'segment':
      return [
        ...name(condition.segment, `${at}/segment`),
        ...(condition.member === undefined || typeof condition.member === 'boolean' ? [] : [`${at}/member: must be true or false`]),
      ];
  }
}

function name(value: unknown, at: string): string[] {
  return typeof value === 'string' && value.trim() !== '' ? [] : [`${at}: must be a name`];
}

function valueTest(condition: Json, at: string): string[] {
  const op = condition.op;
  if (!(VALUE_OPS as readonly unknown[]).includes(op)) return [`${at}/op: must be one of ${VALUE_OPS.join(', ')}`];
  const value = condition.value;
  switch (op) {
    case 'exists':
    case 'not_exists':
      return [];
    case 'in':
    case 'not_in':
      return Array.isArray(value) ? [] : [`${at}/value: ${op} needs a list`];
    case 'gt': case 'gte': case 'lt': case 'lte':
      return typeof value === 'number' ? [] : [`${at}/value: ${op} needs a number`];
    case 'before': case 'after':
      return typeof value === 'string' && Number.isFinite(Date.parse(value)) ? [] : [`${at}/value: ${op} needs an ISO 8601 date`];
    case 'within_last_days': case 'more_than_days_ago':
      return typeof value === 'number' && value > 0 ? [] : [`${at}/value: ${op} needs a number of days`];
    default:
      return value === undefined ? [`${at}/value: ${op} needs a value`] : [];
  }
}

function eventCondition(condition: Json, at: string): string[] {
  const problems: string[] = [];
  const names = Array.isArray(condition.event) ? condition.event : [condition.event];
  if (names.length === 0 || !names.every((n) => typeof n === 'string' && n !== '')) problems.push(`${at}/event: an event name or a list of them`);
  if (condition.eventType !== undefined && !(MESSAGE_TYPES as readonly unknown[]).includes(condition.eventType)) {
    problems.push(`${at}/eventType: must be one of ${MESSAGE_TYPES.join(', ')}`);
  }
  for (const field of ['atLeast', 'atMost'] as const) {
    if (condition[field] !== undefined && !isCount(condition[field])) problems.push(`${at}/${field}: must be a whole number`);
  }
  if (condition.withinDays !== undefined && !(Number.isInteger(condition.withinDays) && (condition.withinDays as number) > 0)) {
    problems.push(`${at}/withinDays: must be a whole number of days`);
  }
  const where = condition.where;
  if (where !== undefined) {
    if (!Array.isArray(where)) problems.push(`${at}/where: must be a list of {property, op, value}`);
    else where.forEach((f, i) => {
      if (!isObject(f) || typeof f.property !== 'string' || !(FILTER_OPS as readonly unknown[]).includes(f.op)) {
        problems.push(`${at}/where/${i}: must be {property, op (${FILTER_OPS.join(', ')}), value}`);
      }
    });
  }
  return problems;
}

/** The event conditions of a condition tree, with their JSON pointers (their counters' keys). */
export function eventConditions(condition: Condition, at = ''): { at: string; condition: EventCondition }[] {
  if ('all' in condition) return condition.all.flatMap((c, i) => eventConditions(c, `${at}/all/${i}`));
  if ('any' in condition) return condition.any.flatMap((c, i) => eventConditions(c, `${at}/any/${i}`));
  if ('not' in condition) return eventConditions(condition.not, `${at}/not`);
  if ('event' in condition) return [{ at, condition }];
  return [];
}

/** Names of the segments a condition refers to. */
export function segmentReferences(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(segmentReferences);
  if ('any' in condition) return condition.any.flatMap(segmentReferences);
  if ('not' in condition) return segmentReferences(condition.not);
  return 'segment' in condition ? [condition.segment] : [];
}

/** Whether a condition's truth can change with time alone. */
export function dependsOnTime(condition: Condition): boolean {
  if ('all' in condition) return condition.all.some(dependsOnTime);
  if ('any' in condition) return condition.any.some(dependsOnTime);
  if ('not' in condition) return dependsOnTime(condition.not);
  if ('event' in condition) return condition.withinDays !== undefined;
  if ('op' in condition) return condition.op === 'within_last_days' || condition.op === 'more_than_days_ago' || 'computedTrait' in condition;
  return false;
}
