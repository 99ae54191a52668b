/**
 * The contact policy document: one JSON, versioned and validated, that says
 * how much contact a customer may get across all channels, when, which
 * request wins when several compete, and when a customer has had enough of
 * a content. Every field is optional: the empty document applies consent only.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { TouchpointError } from '../errors.js';
import { schemaProblems } from '../standing/index.js';
import { StringEnum } from '../schema-kit.js';
import { MESSAGE_CHANNELS } from './decision.js';

const strict = { additionalProperties: false } as const;
const LocalTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 24-hour, in the customer\u2019s time zone.' });

export const CapSchema = Type.Object(
  {
    channel: Type.Optional(StringEnum([...MESSAGE_CHANNELS, 'all'] as const, { description: 'One channel, or all of them (default).' })),
    purpose: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'Default marketing.' })),
    max: Type.Integer({ minimum: 0, description: 'At most this many messages sent...' }),
    withinHours: Type.Number({ exclusiveMinimum: 0, maximum: 8760, description: '...in any window of this many hours (rolling; at most a year).' }),
    belowPriority: Type.Optional(
      Type.Integer({
        minimum: -1000,
        maximum: 1000,
        description: 'Only requests of a journey priority below this one are held by the cap (every send counts): the room it keeps is for higher priorities.',
      }),
    ),
  },
  strict,
);
export type Cap = Static<typeof CapSchema>;

export const PolicyDocumentSchema = Type.Object(
  {
    caps: Type.Optional(Type.Array(CapSchema, { default: [] })),
    quietHours: Type.Optional(
      Type.Object(
        { start: LocalTime, end: LocalTime, channels: Type.Optional(Type.Array(StringEnum(MESSAGE_CHANNELS), { minItems: 1 })) },
        { ...strict, description: 'Marketing messages asked for between start and end (local time) are deferred to the end.' },
      ),
    ),
    controlGroup: Type.Optional(
      Type.Object(
        {
          share: Type.Number({ minimum: 0, maximum: 0.5, description: 'The share of customers who get no marketing message.' }),
          salt: Type.Optional(Type.String({ minLength: 1, default: 'control', description: 'A new salt draws a new group.' })),
        },
        strict,
      ),
    ),
    arbitration: Type.Optional(
      Type.Object(
        {
          mode: Type.Optional(
            StringEnum(['priority', 'learned'] as const, {
              default: 'priority',
              description: 'priority: the journeys\u2019 fixed priorities decide; learned: propensity x value x weight, the propensity learned from outcomes.',
            }),
          ),
          windowMinutes: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 1440,
              default: 0,
              description: 'Requests for one customer within this many minutes compete; 0: only requests decided together.',
            }),
          ),
        },
        { ...strict, description: 'When several requests compete for one customer, one is sent; the others wait or are dropped as their journey says.' },
      ),
    ),
    fatigue: Type.Optional(
      Type.Object(
        {
          ignoredInARow: Type.Integer({ minimum: 1, description: 'A content (or journey) ignored this many times in a row...' }),
          suppressForDays: Type.Number({
            exclusiveMinimum: 0,
            maximum: 365,
            description: '...is not sent to that customer for this many days after the last.',
          }),
          by: Type.Optional(StringEnum(['content', 'journey'] as const, { default: 'content' })),
          respondWithinHours: Type.Optional(
            Type.Number({
              exclusiveMinimum: 0,
              maximum: 720,
              default: 72,
              description: 'A message not opened, clicked or converted within this many hours was ignored.',
            }),
          ),
        },
        strict,
      ),
    ),
    deferLimitHours: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 720,
        default: 72,
        description: 'A message that loses arbitration is not kept waiting longer than this many hours after it was asked for: it is dropped (reason expired).',
      }),
    ),
    transactionalPurposes: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), {
        default: ['transactional'],
        description: 'Purposes that bypass caps, quiet hours, arbitration, fatigue and the control group (never a denial of consent).',
      }),
    ),
  },
  { ...strict, $id: 'PolicyDocument' },
);
type Input = Static<typeof PolicyDocumentSchema>;
type Filled<T, K extends keyof T> = Omit<T, K> & Required<Pick<T, K>>;
/** The document with its defaults filled in (as it is stored and served). */
export type PolicyDocument = Filled<Omit<Input, 'controlGroup' | 'arbitration' | 'fatigue'>, 'caps' | 'deferLimitHours' | 'transactionalPurposes'> & {
  controlGroup?: Filled<NonNullable<Input['controlGroup']>, 'salt'>;
  arbitration?: Filled<NonNullable<Input['arbitration']>, 'mode' | 'windowMinutes'>;
  fatigue?: Filled<NonNullable<Input['fatigue']>, 'by' | 'respondWithinHours'>;
};

const HERE = { place: 'here', listAllowed: true };

/** The policy document's problems, each at its JSON pointer (none: it is valid). */
export function policyProblems(input: unknown): string[] {
  const problems = schemaProblems(PolicyDocumentSchema, input, '', HERE);
  if (problems.length > 0) return problems;
  const quiet = (input as PolicyDocument).quietHours;
  if (quiet && quiet.start === quiet.end) problems.push('/quietHours/end: must differ from start (quiet hours of no length)');
  const bypassing = (input as PolicyDocument).transactionalPurposes ?? [];
  // Marketing that bypassed the policy would go out with no consent, caps or quiet hours.
  if (bypassing.includes('marketing')) problems.push(`/transactionalPurposes/${bypassing.indexOf('marketing')}: marketing cannot bypass the policy`);
  return problems;
}

/** A valid document with its defaults filled in (the caller checked policyProblems first). */
export const withDefaults = (input: unknown): PolicyDocument => Value.Default(PolicyDocumentSchema, Value.Clone(input)) as PolicyDocument;

/** The policy when none was ever saved: consent only. */
export const EMPTY_POLICY: PolicyDocument = withDefaults({});

/** Throws TP_INVALID_POLICY naming each problem by JSON pointer. */
export function assertPolicy(input: unknown): void {
  const problems = policyProblems(input);
  if (problems.length > 0) throw new TouchpointError('TP_INVALID_POLICY', `The policy is not valid: ${problems.join('; ')}.`, { problems });
}
