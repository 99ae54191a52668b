/** The contact policy: /api/policy (the document and its versions) and /api/policy/simulate. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Journeys } from '../../journeys/index.js';
import {
  assertPolicy,
  MESSAGE_CHANNELS,
  PolicyDocumentSchema,
  type Decision,
  type Policy,
  type PolicyDocument,
  type PolicyVersion,
} from '../../policy/index.js';
import { iso, isoOrNull, Nullable, typed } from '../api.js';
import { responses, StringEnum } from '../schemas.js';

const PolicyRef = Type.Unsafe<PolicyDocument>(Type.Ref(PolicyDocumentSchema));
const VersionSchema = Type.Object({
  version: Type.Integer({ description: '0: no policy was ever saved (consent only).' }),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
  policy: PolicyRef,
});
const present = (v: PolicyVersion) => ({ version: v.version, updatedAt: isoOrNull(v.updatedAt), policy: v.policy });

const DecisionSchema = Type.Object({
  kind: StringEnum(['allow', 'reroute', 'defer', 'suppress'] as const),
  reason: Type.String(),
  channel: Type.Optional(StringEnum(MESSAGE_CHANNELS)),
  from: Type.Optional(StringEnum(MESSAGE_CHANNELS, { description: 'reroute: the channel asked for.' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'defer: when it is decided again.' })),
});
const presentDecision = (d: Decision) => ({ ...d, ...(d.kind === 'defer' && { until: iso(d.until) }) });

const SimulationBody = Type.Object(
  {
    profileId: Type.String({ minLength: 1, description: 'The customer (a merged-away id is followed to the profile it joined).' }),
    channel: StringEnum(MESSAGE_CHANNELS),
    fallback: Type.Optional(Type.Array(StringEnum(MESSAGE_CHANNELS), { uniqueItems: true })),
    purpose: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'Default marketing.' })),
    consentChannel: Type.Optional(Type.String({ minLength: 1, description: 'Webhooks: the channel whose consent applies.' })),
    content: Type.Optional(Type.String({ minLength: 1, description: 'A content item id or name (fatigue and learned propensity are per content).' })),
    journey: Type.Optional(Type.String({ minLength: 1, description: 'A journey id or name: its priority, conflict rule and time zone apply.' })),
    value: Type.Optional(Type.Number({ minimum: 0 })),
    weight: Type.Optional(Type.Number({ minimum: 0 })),
    sendAt: Type.Optional(StringEnum(['now', 'best_hour'] as const)),
    maxDelayHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 168 })),
    at: Type.Optional(Type.String({ format: 'date-time', description: 'Decide as of this moment (default now); the history is read as it is now.' })),
  },
  { additionalProperties: false },
);

const TraceSchema = Type.Array(
  Type.Object({
    rule: Type.String(),
    outcome: StringEnum(['pass', 'skip', 'suppress', 'defer', 'choose'] as const),
    channel: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    detail: Type.Optional(Type.String()),
  }),
);

/** The policy's own check runs before the request schema's: its problems carry JSON pointers and TP_INVALID_POLICY. */
async function checkPolicy(request: FastifyRequest): Promise<void> {
  assertPolicy(request.body);
}

export async function policyRoutes(instance: FastifyInstance, deps: { policy: Policy; journeys: Journeys }): Promise<void> {
  const app = typed(instance);
  const tags = ['policy'];
  app.get(
    '/api/policy',
    { schema: { tags, summary: 'The contact policy in force, with its version', response: responses({ 200: VersionSchema }) } },
    async () => present(await deps.policy.current()),
  );

  app.put(
    '/api/policy',
    {
      schema: { tags, summary: 'Replace the contact policy (a new version)', body: PolicyRef, response: responses({ 200: VersionSchema }) },
      preValidation: checkPolicy,
    },
    async (request) => present(await deps.policy.put(request.body)),
  );

  app.get(
    '/api/policy/versions',
    {
      schema: {
        tags,
        summary: 'Every version of the policy, newest first, a page at a time',
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            before: Type.Optional(Type.Integer({ minimum: 1, description: 'The "next" value of the previous page.' })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ versions: Type.Array(VersionSchema), next: Nullable(Type.Integer()) }) }),
      },
    },
    async (request) => {
      const { limit, before } = request.query;
      const versions = await deps.policy.versions(limit, before);
      return { versions: versions.map(present), next: versions.length === limit ? versions[versions.length - 1]!.version : null };
    },
  );

  app.post(
    '/api/policy/simulate',
    {
      schema: {
        tags,
        summary: 'What the policy would decide for a request to a customer now, and why, rule by rule (nothing is written)',
        body: SimulationBody,
        response: responses({
          200: Type.Object({
            decision: DecisionSchema,
            trace: TraceSchema,
            policyVersion: Type.Integer(),
            profileId: Type.String(),
            at: Type.String({ format: 'date-time' }),
            zone: Type.String(),
            stage: Nullable(Type.String()),
          }),
        }),
      },
    },
    async (request) => {
      const { at, ...body } = request.body;
      const out = await deps.journeys.simulateContact({ ...body, at: at === undefined ? undefined : Date.parse(at) });
      return { ...out, decision: presentDecision(out.decision), at: iso(out.at) };
    },
  );
}
