/** Profiles: search, view, lookup, timeline, unmerge, export, erasure and consent. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { MESSAGE_TYPES } from '../../collect/index.js';
import { TouchpointError } from '../../errors.js';
import { normalizeIdentifier, type IdentityReader, type KindSpec } from '../../identity/index.js';
import type { EventLog } from '../../log/index.js';
import type {
  ConsentAdmin,
  ExportedEvent,
  ProfileExporter,
  ProfileMaintenance,
  ProfileReader,
  ProfileSearch,
  ProfileStanding,
  ProfileView,
  ProfileViews,
} from '../../profiles/index.js';
import type { Messages } from '../../history/index.js';
import { iso, isoOrNull, Loose, typed } from '../api.js';
import { presentMessage } from './messages.js';
import { cursors, nextCursor } from '../cursor.js';
import { ChannelSchema, responses, StringEnum } from '../schemas.js';

export interface ProfileRouteDeps {
  profiles: ProfileReader;
  search: ProfileSearch;
  exporter: ProfileExporter;
  identity: IdentityReader;
  views: ProfileViews;
  maintenance: ProfileMaintenance;
  consent: ConsentAdmin;
  log: EventLog;
  kinds: KindSpec[];
  phoneRegion?: string;
  messages: Messages;
}

const IdParams = Type.Object({ id: Type.String() });

export async function profileRoutes(instance: FastifyInstance, deps: ProfileRouteDeps): Promise<void> {
  const app = typed(instance);
  /** The live profile for an id; a merged-away id answers with a redirect to the survivor. */
  async function liveOrRedirect(id: string, reply: FastifyReply, url: string): Promise<string | undefined> {
    const live = await deps.identity.live(id);
    if (!live || !(await deps.profiles.state(live))) throw new TouchpointError('TP_PROFILE_NOT_FOUND', `No profile has the id ${JSON.stringify(id)}.`);
    if (live === id) return live;
    void reply
      .status(308)
      .header('location', url.replace(`/${encodeURIComponent(id)}`, `/${encodeURIComponent(live)}`))
      .send({ redirect: live, mergedInto: live });
    return undefined;
  }

  app.get(
    '/api/profiles',
    {
      schema: {
        tags: ['profiles'],
        summary: 'Find profiles by the start of an id, identifier or trait value (q), case aside; or list them by last seen',
        querystring: Type.Object(
          {
            q: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 512,
                description: 'The start of a profile id, an identifier (email, userId, phone, ...) or a trait value (a name).',
              }),
            ),
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            before: Type.Optional(Type.String({ description: 'The "next" cursor of the previous page (listing only).' })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ profiles: Type.Array(Loose), next: Type.Union([Type.String(), Type.Null()]) }) }),
      },
    },
    async (request) => {
      const { q, limit, before } = request.query;
      if (q !== undefined && before !== undefined) {
        throw new TouchpointError(
          'TP_VALIDATION',
          'before pages the listing without q; a search answers its best `limit` matches at once (raise limit, up to 100, or narrow q).',
        );
      }
      const position = before === undefined ? undefined : cursors.profiles.decode(before, 'before');
      if (q !== undefined) return { profiles: await deps.search.search(q, limit), next: null };
      const page = await deps.search.list(limit, position);
      return { profiles: page.profiles, next: page.next ? cursors.profiles.encode(page.next) : null };
    },
  );

  app.get(
    '/api/profiles/lookup',
    {
      schema: {
        tags: ['profiles'],
        summary: 'The profile holding one identifier',
        querystring: Type.Object({ kind: Type.String({ minLength: 1 }), value: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
        response: responses({ 200: Loose }),
      },
    },
    async (request) => {
      const { kind, value } = request.query;
      const spec = deps.kinds.find((k) => k.kind === kind);
      if (!spec) throw new TouchpointError('TP_VALIDATION', `kind must be one of ${deps.kinds.map((k) => k.kind).join(', ')}.`);
      const normalized = normalizeIdentifier(spec.normalize, value, { phoneRegion: deps.phoneRegion });
      const owner = normalized === undefined ? undefined : await deps.identity.owner(kind, normalized);
      const view = owner && (await deps.views.view(owner));
      if (!view) throw new TouchpointError('TP_PROFILE_NOT_FOUND', `No profile holds ${kind} ${JSON.stringify(value)}.`);
      return fullView(owner);
    },
  );

  app.get(
    '/api/profiles/:id',
    {
      schema: {
        tags: ['profiles'],
        summary: 'One profile: traits, computed traits, identities, household, consent, merges',
        params: IdParams,
        response: responses({ 200: Loose, 308: Loose }),
      },
    },
    async (request, reply) => {
      const id = await liveOrRedirect(request.params.id, reply, request.url);
      return id ? fullView(id) : reply;
    },
  );

  /** The profile with where it stands: lifecycle stage and its history, segments. */
  async function fullView(id: string) {
    const held = await deps.exporter.withStanding(id);
    if (!held) throw new TouchpointError('TP_PROFILE_NOT_FOUND', `No profile has the id ${JSON.stringify(id)}.`);
    return presentProfile(held.profile, held.standing);
  }

  app.get(
    '/api/profiles/:id/timeline',
    {
      schema: {
        tags: ['profiles'],
        summary: "One stream of the profile's touchpoints, newest first: inbound events on every channel and outbound messages with their status",
        params: IdParams,
        querystring: Type.Object(
          {
            channel: Type.Optional(ChannelSchema),
            type: Type.Optional(StringEnum(MESSAGE_TYPES, { description: 'Inbound events of this type only (leaves messages out).' })),
            direction: StringEnum(['both', 'inbound', 'outbound'] as const, { default: 'both' }),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            before: Type.Optional(Type.String({ description: 'The "next" cursor of the previous page.' })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ events: Type.Array(Loose), next: Type.Union([Type.String(), Type.Null()]) }), 308: Loose }),
      },
    },
    async (request, reply) => {
      const id = await liveOrRedirect(request.params.id, reply, request.url);
      if (!id) return reply;
      const q = request.query;
      const at = q.before === undefined ? undefined : cursors.timeline.decode(q.before, 'before');
      const inbound = q.direction !== 'outbound';
      const outbound = q.direction !== 'inbound' && q.type === undefined;
      // Newest first; at one moment messages come before events, each by position, newest first.
      const eventsBefore = at && { timestamp: at.timestamp, seq: at.kind === 'message' ? Number.MAX_SAFE_INTEGER : at.seq };
      const messagesBefore = at && { at: at.timestamp, seq: at.kind === 'message' ? at.seq : 0 };
      const [entries, sent] = await Promise.all([
        inbound ? deps.profiles.timeline(id, { channel: q.channel, type: q.type, limit: q.limit, before: eventsBefore }) : [],
        outbound ? deps.messages.ofProfile(id, messagesBefore, q.limit, q.channel) : [],
      ]);
      const payloads = new Map((await deps.log.get(entries.map((e) => e.seq))).map((e) => [e.seq, JSON.parse(e.payload)]));
      const merged = [
        ...entries.map((e) => ({ kind: 'event' as const, timestamp: e.timestamp, seq: e.seq, entry: e })),
        ...sent.map((m) => ({ kind: 'message' as const, timestamp: m.requestedAt, seq: m.seq, message: m })),
      ]
        .sort((a, b) => b.timestamp - a.timestamp || (a.kind === b.kind ? b.seq - a.seq : a.kind === 'message' ? -1 : 1))
        .slice(0, q.limit);
      const events = merged.map((x) =>
        x.kind === 'event'
          ? { direction: 'inbound', ...x.entry, timestamp: iso(x.timestamp), message: payloads.get(x.seq) ?? null }
          : { direction: 'outbound', ...presentMessage(x.message), timestamp: iso(x.timestamp) },
      );
      return { events, next: nextCursor(cursors.timeline, merged, q.limit, (x) => ({ timestamp: x.timestamp, seq: x.seq, kind: x.kind })) };
    },
  );

  app.post(
    '/api/profiles/:id/unmerge',
    {
      schema: {
        tags: ['profiles'],
        summary: 'Undo a merge: the merged profile gets back its identifiers, events and traits',
        params: IdParams,
        body: Type.Object(
          { mergedProfileId: Type.Optional(Type.String({ description: 'The profile to split out; default: the latest merged.' })) },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ profile: Loose, restored: Loose }) }),
      },
    },
    async (request) => {
      const result = await deps.maintenance.unmerge(request.params.id, request.body.mergedProfileId);
      return { profile: await deps.views.view(result.profileId), restored: await deps.views.view(result.restoredId) };
    },
  );

  app.get(
    '/api/profiles/:id/export',
    {
      schema: {
        tags: ['profiles'],
        summary: 'Everything held about the person, as JSON (right of access)',
        params: IdParams,
        response: responses({ 200: Loose, 308: Loose }),
      },
    },
    async (request, reply) => {
      const id = await liveOrRedirect(request.params.id, reply, request.url);
      if (!id) return reply;
      const held = await deps.exporter.export(id);
      if (!held) throw new TouchpointError('TP_PROFILE_NOT_FOUND', `No profile has the id ${JSON.stringify(id)}.`);
      reply.header('content-disposition', `attachment; filename="${id}.json"`);
      return { exportedAt: iso(held.exportedAt), profile: presentProfile(held.profile, held.standing), events: held.events.map(presentEvent) };
    },
  );

  app.delete(
    '/api/profiles/:id',
    {
      schema: {
        tags: ['profiles'],
        summary: 'Erase the person: profile, identities, events and derived data; its identifiers are suppressed',
        params: IdParams,
        response: responses({ 200: Type.Object({ erased: Type.Object({ profiles: Type.Integer(), identifiers: Type.Integer(), events: Type.Integer() }) }) }),
      },
    },
    async (request) => ({ erased: await deps.maintenance.erase(request.params.id) }),
  );

  app.put(
    '/api/profiles/:id/consent',
    {
      schema: {
        tags: ['profiles'],
        summary: "Record consent for a channel and purpose (an admin change: it changes consent, and nothing about the customer's activity)",
        params: IdParams,
        body: Type.Object(
          {
            channel: ChannelSchema,
            purpose: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', default: 'marketing' }),
            status: StringEnum(['granted', 'denied'] as const),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ profileId: Type.String(), consent: Loose }) }),
      },
    },
    async (request) => {
      const live = await deps.identity.live(request.params.id);
      if (!live || !(await deps.profiles.state(live)))
        throw new TouchpointError('TP_PROFILE_NOT_FOUND', `No profile has the id ${JSON.stringify(request.params.id)}.`);
      await deps.consent.set(live, request.body);
      const profileId = (await deps.identity.live(live)) ?? live;
      return { profileId, consent: (await deps.views.view(profileId))!.consent };
    },
  );
}

function presentProfile(profile: ProfileView, standing: ProfileStanding) {
  return {
    ...profile,
    stage: standing.stage ? { name: standing.stage.stage, since: iso(standing.stage.since) } : null,
    stageHistory: standing.history.map((h) => ({ from: h.from, to: h.to, at: iso(h.at), trigger: h.trigger, seq: h.seq, recordedAt: isoOrNull(h.recordedAt) })),
    segments: standing.segments.map((m) => ({ ...m, since: iso(m.since) })),
  };
}

const presentEvent = (e: ExportedEvent) => ({ seq: e.seq, sourceId: e.sourceId, channel: e.channel, timestamp: iso(e.timestamp), message: e.message });
