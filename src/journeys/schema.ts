/**
 * A journey's definition as one TypeBox schema: the types, the validation
 * (validate.ts) and the OpenAPI description come from it. Entries, steps and
 * waits are objects with one key that says their kind, like conditions.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CHANNELS } from '../collect/index.js';
import { MESSAGE_CHANNELS } from '../policy/index.js';
import { StringEnum } from '../schema-kit.js';
import { ConditionSchema, PropertyFilterSchema, type Condition } from '../standing/index.js';

const strict = { additionalProperties: false } as const;
const Name = Type.String({ minLength: 1, pattern: '\\S' });
const Names = Type.Union([Name, Type.Array(Name, { minItems: 1 })]);
const StepId = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.-]+$', description: 'Unique within the journey.' });
const Filters = Type.Optional(Type.Array(PropertyFilterSchema, { description: 'Property filters, all of which must hold.' }));
const ConditionRef = Type.Unsafe<Condition>(Type.Ref(ConditionSchema));

export const DurationSchema = Type.Object(
  {
    minutes: Type.Optional(Type.Number({ minimum: 0 })),
    hours: Type.Optional(Type.Number({ minimum: 0 })),
    days: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { ...strict, description: 'A length of time: the sum of its parts, more than zero.' },
);
export type Duration = Static<typeof DurationSchema>;

export const LocalTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 24-hour, in the customer\u2019s time zone.' });

export const ENTRY_KINDS = ['event', 'segment', 'stage', 'schedule'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export const REPEATS = ['daily', 'weekly', 'monthly'] as const;

export const entryVariants = {
  event: Type.Object(
    { event: Type.Object({ name: Names, where: Filters }, strict) },
    { ...strict, description: 'A track event of this name (and these properties) enters the customer.' },
  ),
  segment: Type.Object(
    { segment: Type.Object({ name: Name, on: Type.Optional(StringEnum(['entered', 'exited'] as const, { default: 'entered' })) }, strict) },
    { ...strict, description: 'Entering (or leaving) a segment enters the customer.' },
  ),
  stage: Type.Object(
    { stage: Type.Object({ from: Type.Optional(Name), to: Type.Optional(Name) }, strict) },
    { ...strict, description: 'A lifecycle stage change (from, to; either may be left out) enters the customer.' },
  ),
  schedule: Type.Object(
    {
      schedule: Type.Object(
        {
          segment: Name,
          at: Type.String({ minLength: 1, description: 'The first run: an ISO 8601 date-time.' }),
          repeat: Type.Optional(StringEnum(REPEATS)),
          localTime: Type.Optional(LocalTime),
        },
        strict,
      ),
    },
    { ...strict, description: 'At a date (once or recurring), every member of a segment enters; with localTime, each at that hour of their own time zone.' },
  ),
};
export const EntrySchema = Type.Union(Object.values(entryVariants));
export type Entry = Static<typeof EntrySchema>;

export const STEP_KINDS = ['wait', 'waitUntil', 'waitFor', 'branch', 'split', 'send', 'setTrait', 'webhook', 'exit'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

const Next = Type.Optional(StepId);
/** Each kind of step, built around the schema of a branch's condition (the shared one, or an open one checked apart). */
function stepVariantsWith<C extends TSchema>(condition: C) {
  return {
    wait: Type.Object({ id: StepId, wait: DurationSchema, next: Next }, { ...strict, description: 'Waits for a length of time.' }),
    waitUntil: Type.Object(
      { id: StepId, waitUntil: Type.Object({ localTime: LocalTime }, strict), next: Next },
      { ...strict, description: 'Waits until the next time it is this hour in the customer\u2019s time zone.' },
    ),
    waitFor: Type.Object(
      {
        id: StepId,
        waitFor: Type.Object(
          {
            event: Names,
            where: Filters,
            matchKey: Type.Optional(Type.Boolean({ description: 'Keyed journeys: the event must carry the enrolment\u2019s key (default true).' })),
            timeout: DurationSchema,
          },
          strict,
        ),
        next: Next,
        onTimeout: Next,
      },
      { ...strict, description: 'Waits for an event; goes to next when it comes, to onTimeout when it does not in time.' },
    ),
    branch: Type.Object(
      { id: StepId, branch: condition, then: Next, else: Next },
      { ...strict, description: 'Goes to then when the condition holds now, else to else.' },
    ),
    split: Type.Object(
      {
        id: StepId,
        split: Type.Array(
          Type.Object({ arm: Type.String({ minLength: 1, maxLength: 100 }), weight: Type.Number({ exclusiveMinimum: 0 }), next: Next }, strict),
          { minItems: 2, description: 'Arms drawn by weight; the same customer always draws the same arm of a journey.' },
        ),
      },
      strict,
    ),
    send: Type.Object(
      {
        id: StepId,
        send: Type.Object(
          {
            channel: StringEnum(MESSAGE_CHANNELS),
            content: Name,
            purpose: Type.Optional(
              Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'marketing (default), transactional, or another consent purpose.' }),
            ),
            consentChannel: Type.Optional(StringEnum(CHANNELS, { description: 'Webhooks: the channel whose consent applies.' })),
            via: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 100,
                description:
                  'The configured channel that takes it (e.g. whatsapp, clienteling). Default: the one named like `channel`, else the first that sends that variant, else the outbox.',
              }),
            ),
            fallback: Type.Optional(
              Type.Array(StringEnum(MESSAGE_CHANNELS), {
                minItems: 1,
                uniqueItems: true,
                description: 'Channels to use, in order, when the customer cannot be reached on `channel` (no address, no consent, capped).',
              }),
            ),
            value: Type.Optional(Type.Number({ minimum: 0, description: 'The business value of a response (learned arbitration; default 1).' })),
            weight: Type.Optional(Type.Number({ minimum: 0, description: 'A context weight (learned arbitration; default 1).' })),
            sendAt: Type.Optional(
              StringEnum(['now', 'best_hour'] as const, { description: 'best_hour: at the customer\u2019s best hour, learned from their opens and clicks.' }),
            ),
            maxDelayHours: Type.Optional(
              Type.Number({ exclusiveMinimum: 0, maximum: 168, description: 'best_hour: wait at most this long for it (default 24).' }),
            ),
          },
          strict,
        ),
        next: Next,
      },
      { ...strict, description: 'Asks to send a content item on a channel; the contact policy decides.' },
    ),
    setTrait: Type.Object(
      { id: StepId, setTrait: Type.Object({ name: Name, value: Type.Unknown() }, strict), next: Next },
      { ...strict, description: 'Sets a trait on the profile (recorded in the log like every change).' },
    ),
    webhook: Type.Object(
      {
        id: StepId,
        webhook: Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: 2000, description: 'Liquid template; an http: or https: URL once rendered.' }),
            method: Type.Optional(StringEnum(['POST', 'PUT', 'PATCH', 'GET', 'DELETE'] as const, { description: 'Default POST.' })),
            body: Type.Optional(Type.Unknown({ description: 'Any JSON value; every string inside it is a Liquid template. Not sent with GET.' })),
            headers: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.String({ maxLength: 2000 }))),
            saveTraits: Type.Optional(
              Type.Record(Name, Type.String({ pattern: '^(/.*)?$', description: 'A JSON pointer into the JSON answer, e.g. /score.' }), {
                description: 'Traits to set from the answer: trait name -> JSON pointer.',
              }),
            ),
          },
          strict,
        ),
        next: Next,
      },
      {
        ...strict,
        description:
          'Calls a webhook, signed per Standard Webhooks, retried on 5xx and timeouts, never to a private address outside the allow-list; fields of its JSON answer become traits. The journey goes on at once.',
      },
    ),
    exit: Type.Object({ id: StepId, exit: Type.Object({}, strict) }, { ...strict, description: 'Ends the journey for the customer.' }),
  };
}
export const stepVariants = stepVariantsWith(ConditionRef);
export const StepSchema = Type.Union(Object.values(stepVariants));
export type Step = Static<typeof StepSchema>;
export type StepOf<K extends StepKind> = Static<(typeof stepVariants)[K]>;

export const REENTRY_MODES = ['once', 'after', 'always'] as const;

function definitionWith<E extends TSchema, S extends TSchema>(entry: E, step: S, options: { $id?: string }) {
  return Type.Object(
    {
      entry,
      reentry: Type.Optional(
        Type.Object(
          {
            mode: StringEnum(REENTRY_MODES, { description: 'once (default), again after a period, or always (never two at a time).' }),
            after: Type.Optional(DurationSchema),
          },
          strict,
        ),
      ),
      key: Type.Optional(
        Type.String({ minLength: 1, description: 'Event entries: a path in the trigger event (e.g. properties.cart_id); one enrolment per key.' }),
      ),
      goal: Type.Optional(
        Type.Object(
          {
            event: Names,
            where: Filters,
            within: DurationSchema,
            value: Type.Optional(
              Type.String({ minLength: 1, description: 'Path of the conversion value in the event (default properties.revenue, else properties.total).' }),
            ),
            matchKey: Type.Optional(Type.Boolean()),
          },
          strict,
        ),
      ),
      timezone: Type.Optional(Type.String({ minLength: 1, description: 'IANA time zone for customers with no timezone trait (default: the brand\u2019s).' })),
      priority: Type.Optional(
        Type.Integer({ minimum: -1000, maximum: 1000, description: 'When requests for one customer compete, the higher priority wins (default 0).' }),
      ),
      onConflict: Type.Optional(
        StringEnum(['defer', 'drop'] as const, { description: 'A message that loses arbitration waits for its turn (defer, the default) or is dropped.' }),
      ),
      steps: Type.Array(step, {
        minItems: 1,
        maxItems: 500,
        description: 'The first step is where customers start.',
      }),
    },
    { ...strict, ...options },
  );
}
export const JourneyDefinitionSchema = definitionWith(EntrySchema, StepSchema, { $id: 'JourneyDefinition' });
/** The same with the entry and the steps left open: each is checked against the schema of its kind, at its own pointer (validate.ts). */
export const ShallowDefinitionSchema = definitionWith(Type.Unknown(), Type.Unknown(), {});
/** Each kind of step with its branch condition left open: the condition language checks it. */
export const shallowStepVariants = stepVariantsWith(Type.Unknown());
export type JourneyDefinition = Static<typeof JourneyDefinitionSchema>;

export const JOURNEY_STATUSES = ['draft', 'live', 'paused', 'archived'] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

export const stepKindOf = (step: Step): StepKind => STEP_KINDS.find((k) => k in step)!;
