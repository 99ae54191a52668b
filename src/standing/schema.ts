/**
 * The condition language as one recursive TypeBox schema: the types
 * (Condition and its parts), the validation (conditions.ts) and the OpenAPI
 * description all come from it. A condition is an object with one key that
 * says its kind (all, any, not, trait, ...).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { StringEnum } from '../schema-kit.js';
import { CHANNELS, MESSAGE_TYPES } from '../collect/index.js';
import { FILTER_OPS } from '../profiles/index.js';

export const VALUE_OPS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'exists',
  'not_exists',
  'gt',
  'gte',
  'lt',
  'lte',
  'before',
  'after',
  'within_last_days',
  'more_than_days_ago',
] as const;
export const BUILTINS = ['orders.count', 'orders.revenue', 'eventCount', 'firstSeen', 'lastSeen'] as const;
export const CONSENT_STATES = ['granted', 'denied', 'unknown', 'allowed', 'not_allowed'] as const;
export const COMPARE_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
export const CHANNEL_OPS = ['used', 'not_used', 'only'] as const;

const Name = Type.String({ minLength: 1, pattern: '\\S' });
const Names = Type.Union([Name, Type.Array(Name, { minItems: 1 })]);
const Count = Type.Integer({ minimum: 0 });
const strict = { additionalProperties: false } as const;
const valueTest = { op: StringEnum(VALUE_OPS), value: Type.Optional(Type.Unknown({ description: 'What op compares with; its type depends on op.' })) };

export const PropertyFilterSchema = Type.Object(
  {
    property: Type.String({ minLength: 1, description: 'Dotted path in the event properties.' }),
    op: StringEnum(FILTER_OPS),
    value: Type.Optional(Type.Unknown()),
  },
  strict,
);

/** Every kind of condition, built around the schema its nested conditions use (the recursive one, or an open one). */
export function conditionVariants<C extends TSchema>(child: C) {
  return {
    all: Type.Object({ all: Type.Array(child, { minItems: 1, description: 'Every condition holds.' }) }, strict),
    any: Type.Object({ any: Type.Array(child, { minItems: 1, description: 'At least one condition holds.' }) }, strict),
    not: Type.Object({ not: child }, strict),
    trait: Type.Object({ trait: Name, ...valueTest }, strict),
    computedTrait: Type.Object({ computedTrait: Name, ...valueTest }, strict),
    profile: Type.Object({ profile: StringEnum(BUILTINS), ...valueTest }, strict),
    event: Type.Object(
      {
        event: Names,
        eventType: Type.Optional(StringEnum(MESSAGE_TYPES)),
        where: Type.Optional(Type.Array(PropertyFilterSchema)),
        atLeast: Type.Optional(Count),
        atMost: Type.Optional(Count),
        withinDays: Type.Optional(Type.Integer({ minimum: 1 })),
      },
      { ...strict, description: 'Performed an event: at least once unless said; atMost 0 is "did not perform".' },
    ),
    channel: Type.Object({ channel: StringEnum(CHANNELS), op: StringEnum(CHANNEL_OPS) }, strict),
    channelCount: Type.Object({ channelCount: Type.Object({ op: StringEnum(COMPARE_OPS), value: Count }, strict) }, strict),
    stage: Type.Object({ stage: Names }, strict),
    consent: Type.Object(
      {
        consent: Type.Object(
          { channel: StringEnum(CHANNELS), purpose: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]*$' })), is: StringEnum(CONSENT_STATES) },
          strict,
        ),
      },
      strict,
    ),
    household: Type.Object({ household: Type.String({ minLength: 1, description: '"any", "none" or a household id.' }) }, strict),
    segment: Type.Object({ segment: Name, member: Type.Optional(Type.Boolean()) }, strict),
  };
}

export const ConditionSchema = Type.Recursive((self) => Type.Union(Object.values(conditionVariants(self))), {
  $id: 'Condition',
  description: 'A condition of the segment language (docs/segments.md).',
});

export type Condition = Static<typeof ConditionSchema>;
type Variants = ReturnType<typeof conditionVariants<TSchema>>;
/** The key that says a condition's kind, in the order they are looked for. */
export const CONDITION_KINDS = [
  'all',
  'any',
  'not',
  'trait',
  'computedTrait',
  'profile',
  'event',
  'channel',
  'channelCount',
  'stage',
  'consent',
  'household',
  'segment',
] as const satisfies readonly (keyof Variants)[];
export type ConditionKind = (typeof CONDITION_KINDS)[number];
/** The condition of one kind. */
export type ConditionOf<K extends ConditionKind> = Extract<Condition, Record<K, unknown>>;
export type EventCondition = ConditionOf<'event'>;
export type ValueTest = { op: (typeof VALUE_OPS)[number]; value?: unknown };
export type ValueOp = (typeof VALUE_OPS)[number];

/** Every kind the schema has is in CONDITION_KINDS: this fails to compile otherwise. */
type KindsComplete = Exclude<keyof Variants, ConditionKind> extends never ? true : never;
export const CONDITION_KINDS_COMPLETE: KindsComplete = true;
