/**
 * The contact policy document: one JSON, versioned and validated, that says
 * how much contact a customer may get across all channels and when.
 * (Groundwork for the whole policy: caps, quiet hours and the global control
 * group are decided by rules.ts; the document is not yet stored or served.)
 */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../schema-kit.js';
import { MESSAGE_CHANNELS } from './decision.js';

const strict = { additionalProperties: false } as const;
const LocalTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 24-hour, in the customer\u2019s time zone.' });

export const CapSchema = Type.Object(
  {
    channel: Type.Optional(StringEnum([...MESSAGE_CHANNELS, 'all'] as const, { description: 'One channel, or all of them (default).' })),
    purpose: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'Default marketing.' })),
    max: Type.Integer({ minimum: 0, description: 'At most this many messages sent...' }),
    withinHours: Type.Number({ exclusiveMinimum: 0, description: '...in any window of this many hours (rolling).' }),
  },
  strict,
);
export type Cap = Static<typeof CapSchema>;

export const PolicyDocumentSchema = Type.Object(
  {
    caps: Type.Array(CapSchema, { default: [] }),
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
          salt: Type.String({ minLength: 1, default: 'control', description: 'A new salt draws a new group.' }),
        },
        strict,
      ),
    ),
    transactionalPurposes: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), {
      default: ['transactional'],
      description: 'Purposes that bypass caps, quiet hours and the control group (never a denial of consent).',
    }),
  },
  { ...strict, $id: 'PolicyDocument' },
);
export type PolicyDocument = Static<typeof PolicyDocumentSchema>;
