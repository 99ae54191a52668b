/**
 * Validating conditions and reading what they refer to, with no I/O. The
 * shape comes from the schema (schema.ts); what the schema cannot say (which
 * value an op needs) is in the table of value checks below. Every problem
 * names the JSON pointer of the part at fault.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { Value, type ValueError } from '@sinclair/typebox/value';
import { CONDITION_KINDS, conditionVariants, VALUE_OPS, type Condition, type ConditionKind, type EventCondition, type ValueOp } from './schema.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Each kind's schema with its nested conditions left open: they are checked one by one, each at its own pointer. */
const SHALLOW = conditionVariants(Type.Unknown());

export function kindOf(condition: object): ConditionKind | undefined {
  return CONDITION_KINDS.find((k) => k in condition);
}

/** What the value of each op must be, when the op needs one. */
const VALUE_CHECKS: Record<ValueOp, (value: unknown) => string | undefined> = {
  exists: () => undefined,
  not_exists: () => undefined,
  eq: (v) => (v === undefined ? 'eq needs a value' : undefined),
  neq: (v) => (v === undefined ? 'neq needs a value' : undefined),
  contains: (v) => (v === undefined ? 'contains needs a value' : undefined),
  in: (v) => (Array.isArray(v) ? undefined : 'in needs a list'),
  not_in: (v) => (Array.isArray(v) ? undefined : 'not_in needs a list'),
  gt: (v) => (typeof v === 'number' ? undefined : 'gt needs a number'),
  gte: (v) => (typeof v === 'number' ? undefined : 'gte needs a number'),
  lt: (v) => (typeof v === 'number' ? undefined : 'lt needs a number'),
  lte: (v) => (typeof v === 'number' ? undefined : 'lte needs a number'),
  before: (v) => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? undefined : 'before needs an ISO 8601 date'),
  after: (v) => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? undefined : 'after needs an ISO 8601 date'),
  within_last_days: (v) => (typeof v === 'number' && v > 0 ? undefined : 'within_last_days needs a number of days'),
  more_than_days_ago: (v) => (typeof v === 'number' && v > 0 ? undefined : 'more_than_days_ago needs a number of days'),
};

/** Every problem in a condition, as "JSON pointer: what is wrong". Empty when valid. */
export function validateCondition(condition: unknown, at = ''): string[] {
  if (!isObject(condition)) return [`${at || '/'}: a condition must be an object`];
  const kind = kindOf(condition);
  if (!kind) return [`${at || '/'}: a condition needs one of ${CONDITION_KINDS.join(', ')}`];
  const problems = schemaProblems(SHALLOW[kind], condition, at);
  if (problems.length > 0) return problems;
  if (kind === 'all' || kind === 'any') return (condition[kind] as unknown[]).flatMap((c, i) => validateCondition(c, `${at}/${kind}/${i}`));
  if (kind === 'not') return validateCondition(condition.not, `${at}/not`);
  if ('op' in condition && (VALUE_OPS as readonly unknown[]).includes(condition.op)) {
    const problem = VALUE_CHECKS[condition.op as ValueOp](condition.value);
    if (problem) return [`${at}/value: ${problem}`];
  }
  return [];
}

/** How problems are worded: what a field that does not belong is "not a field" of, and whether the allowed fields are listed. */
export interface Wording {
  place: string;
  listAllowed: boolean;
}
const CONDITION_WORDING: Wording = { place: 'of this condition', listAllowed: false };

/** The schema's errors, one per place, in words a person can act on. */
export function schemaProblems(schema: TSchema, value: unknown, at = '', wording: Wording = CONDITION_WORDING): string[] {
  const byPath = new Map<string, string>();
  for (const error of Value.Errors(schema, value)) {
    const path = `${at}${error.path}` || '/';
    if (!byPath.has(path)) byPath.set(path, describe(error, wording));
  }
  return [...byPath].map(([path, message]) => `${path}: ${message}`);
}

function describe(error: ValueError, wording: Wording): string {
  const allowed = (error.schema.anyOf as { const?: unknown }[] | undefined)?.map((s) => s.const);
  if (allowed?.every((v) => typeof v === 'string')) return `must be one of ${allowed.join(', ')}`;
  if (error.message === 'Unexpected property') {
    const fields = Object.keys((error.schema.properties as object | undefined) ?? {});
    return `is not a field ${wording.place}${wording.listAllowed && fields.length > 0 ? `; allowed: ${fields.join(', ')}` : ''}`;
  }
  if (error.message === 'Expected required property') return 'is required';
  if (error.message.startsWith('Expected array length to be greater or equal to'))
    return `needs at least ${error.schema.minItems} item${error.schema.minItems === 1 ? '' : 's'}`;
  if (error.schema.type === 'integer' && error.schema.minimum === 0) return 'must be a whole number';
  if (error.schema.type === 'integer') return `must be a whole number of at least ${error.schema.minimum}`;
  return error.message.charAt(0).toLowerCase() + error.message.slice(1);
}

/** The event conditions of a condition tree, with their JSON pointers (their counters' keys). */
export function eventConditions(condition: Condition, at = ''): { at: string; condition: EventCondition }[] {
  if ('all' in condition) return condition.all.flatMap((c, i) => eventConditions(c, `${at}/all/${i}`));
  if ('any' in condition) return condition.any.flatMap((c, i) => eventConditions(c, `${at}/any/${i}`));
  if ('not' in condition) return eventConditions(condition.not, `${at}/not`);
  if ('event' in condition) return [{ at, condition }];
  return [];
}

/** Every leaf of a condition tree. */
function leaves(condition: Condition): Condition[] {
  if ('all' in condition) return condition.all.flatMap(leaves);
  if ('any' in condition) return condition.any.flatMap(leaves);
  if ('not' in condition) return leaves(condition.not);
  return [condition];
}

/** Names (or ids) of the segments a condition refers to. */
export const segmentReferences = (condition: Condition): string[] => leaves(condition).flatMap((c) => ('segment' in c ? [c.segment] : []));

/** Names of the stages a condition refers to. */
export const stageReferences = (condition: Condition): string[] =>
  leaves(condition).flatMap((c) => ('stage' in c ? (Array.isArray(c.stage) ? c.stage : [c.stage]) : []));

/** Names of the computed traits a condition refers to. */
export const computedTraitReferences = (condition: Condition): string[] => leaves(condition).flatMap((c) => ('computedTrait' in c ? [c.computedTrait] : []));

/** Whether a condition's truth can change with time alone. */
export function dependsOnTime(condition: Condition): boolean {
  return leaves(condition).some((c) => {
    if ('event' in c) return c.withinDays !== undefined;
    if ('computedTrait' in c) return true;
    return 'op' in c && (c.op === 'within_last_days' || c.op === 'more_than_days_ago');
  });
}
