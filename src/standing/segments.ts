/**
 * Segments as the API sees them: define (dynamic by condition, or static from
 * a list of identifiers), edit, delete, members, changes and size history. A
 * new or edited dynamic segment back-fills as a stored job (backfill.ts);
 * live events keep it current meanwhile.
 */
import type { Kysely } from 'kysely';
import { TouchpointError } from '../errors.js';
import type { Jobs } from '../jobs/index.js';
import { eventConditions, validateCondition } from './conditions.js';
import { missingReferences, referrers, stageCycles, type SegmentRefs } from './references.js';
import { counterName } from './context.js';
import { orderByDependencies, readModel } from './definitions.js';
import { SEGMENT_JOB, type BackfillState } from './backfill.js';
import { standingDb } from './records.js';
import type { Condition } from './schema.js';
import type { StandingTables } from './tables.js';
import type { Store } from '../store/index.js';
import type { TraitDefinition } from '../profiles/index.js';

export interface SegmentInput {
  name: string;
  description?: string;
  condition?: Condition;
  /** Static segments: the identifiers of their members. */
  identifiers?: { kind: string; value: string }[];
}

export interface SegmentDeps {
  store: Store;
  now(): number;
  newId(): string;
  jobs: Jobs;
  /** Makes an owner's hidden counters exactly these; removes them all. */
  counters: {
    ensure(owner: string, wanted: TraitDefinition[], trx: Kysely<object>): Promise<unknown>;
    remove(owner: string, trx: Kysely<object>): Promise<void>;
    /** Names of the computed traits defined through the API. */
    names(): Promise<Set<string>>;
  };
  /** The live profile holding an identifier (normalized by kind); undefined when none does. */
  resolveIdentifier(kind: string, value: string): Promise<string | undefined>;
  /** The identifier kinds there are (userId, email, ...). */
  identifierKinds: readonly string[];
}

export type SegmentRow = StandingTables['segments'];

/** A profile entering or leaving a segment: `at` when it happened (event time), `recordedAt` when it was recorded. */
export interface SegmentChange {
  id: number;
  profileId: string;
  change: 'entered' | 'exited';
  at: number;
  trigger: string;
  seq: number | null;
  recordedAt: number | null;
}

/** One hidden count per event condition, named after its owner and JSON pointer. */
export function countersFor(owner: string, condition: Condition): TraitDefinition[] {
  return eventConditions(condition).map(({ at, condition: c }) => ({
    name: counterName(owner, at),
    aggregation: 'count',
    eventType: c.eventType ?? 'track',
    event: c.event,
    where: c.where ?? [],
    ...(c.withinDays !== undefined && { windowDays: c.withinDays }),
  }));
}

export function createSegments(deps: SegmentDeps) {
  const db = standingDb(deps.store.db);

  async function find(idOrName: string, within: Kysely<object> = deps.store.db): Promise<SegmentRow> {
    const row = await standingDb(within)
      .selectFrom('segments')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
      .executeTakeFirst();
    if (!row) throw new TouchpointError('TP_SEGMENT_NOT_FOUND', `No segment has the id or name ${JSON.stringify(idOrName)}.`);
    return row;
  }

  async function segmentRefs(): Promise<SegmentRefs[]> {
    const rows = await db.selectFrom('segments').select(['id', 'name', 'condition']).execute();
    return rows.map((s) => ({ id: s.id, name: s.name, condition: s.condition ? (JSON.parse(s.condition) as Condition) : null }));
  }

  /** Checks a condition and everything it refers to: segments (no cycle), stages of the model (no stage depending on itself), computed traits. */
  async function check(name: string, condition: unknown, selfId?: string): Promise<Condition> {
    const problems = validateCondition(condition);
    if (problems.length > 0) throw new TouchpointError('TP_INVALID_CONDITION', `The condition is not valid: ${problems.join('; ')}.`);
    const checked = condition as Condition;
    const all = await segmentRefs();
    const model = await readModel(deps.store.db);
    const known = {
      segments: new Set(all.flatMap((s) => [s.id, s.name])),
      stages: new Set(model.stages.map((s) => s.name)),
      computedTraits: await deps.counters.names(),
    };
    const missing = missingReferences(checked, known);
    if (missing.length > 0) throw new TouchpointError('TP_INVALID_CONDITION', `The condition is not valid: ${missing.join('; ')}.`);
    const after = [...all.filter((s) => s.id !== selfId), { id: selfId ?? 'new', name, condition: checked }];
    try {
      orderByDependencies(after.map((s) => ({ ...s, kind: 'dynamic' as const })));
    } catch (error) {
      throw new TouchpointError('TP_INVALID_CONDITION', `${(error as Error).message}.`);
    }
    const cycles = stageCycles(model.stages, after);
    if (cycles.length > 0)
      throw new TouchpointError('TP_INVALID_CONDITION', `The condition would make a lifecycle stage depend on itself: ${cycles.join('; ')}.`);
    return checked;
  }

  /** Refuses to rename or delete a segment that others (segments, stages) refer to. */
  async function notReferred(segment: SegmentRow, by: 'name' | 'name or id', doing: string): Promise<void> {
    const users = referrers(segment, await segmentRefs(), (await readModel(deps.store.db)).stages, by);
    if (users.length === 0) return;
    throw new TouchpointError(
      'TP_SEGMENT_IN_USE',
      `Segment ${segment.name} is used${by === 'name' ? ' by its name' : ''} by ${users.join(', ')}; change those first, or ${doing} would leave them pointing at nothing.`,
    );
  }

  /** Counters first, then the job that counts them and evaluates everyone. */
  async function backfill(trx: Kysely<object>, id: string, trigger: string): Promise<void> {
    await deps.jobs.enqueue<BackfillState>(SEGMENT_JOB, id, { phase: 'counting', after: '', trigger, at: deps.now() }, trx);
  }

  /** An identifier of a kind that does not exist would only be counted as unmatched: refuse it, as /api/profiles/lookup does. */
  function checkKinds(identifiers: { kind: string }[]): void {
    const known = new Set(deps.identifierKinds);
    const unknown = identifiers.flatMap((identifier, index) => (known.has(identifier.kind) ? [] : [{ index, kind: identifier.kind }]));
    const first = unknown[0];
    if (!first) return;
    const more = unknown.length > 1 ? ` (${unknown.length} identifiers have a kind that does not exist)` : '';
    throw new TouchpointError(
      'TP_VALIDATION',
      `body/identifiers/${first.index}/kind ${JSON.stringify(first.kind)} is not an identifier kind; use one of ${[...known].join(', ')}${more}.`,
    );
  }

  async function resolveAll(identifiers: { kind: string; value: string }[]): Promise<{ members: string[]; unmatched: number }> {
    checkKinds(identifiers);
    const members = new Set<string>();
    let unmatched = 0;
    for (const { kind, value } of identifiers) {
      const profileId = await deps.resolveIdentifier(kind, value);
      if (profileId) members.add(profileId);
      else unmatched++;
    }
    return { members: [...members], unmatched };
  }

  async function replaceStaticMembers(trx: Kysely<object>, id: string, members: string[]): Promise<void> {
    await deps.store.bulk.deleteIn(trx, 'segment_members', 'segment_id', [id]);
    await deps.store.bulk.insert(
      trx,
      'segment_members',
      ['segment_id', 'profile_id', 'since'],
      members.map((p) => [id, p, deps.now()]),
    );
  }

  async function nameFree(name: string, trx: Kysely<object>): Promise<void> {
    if (await standingDb(trx).selectFrom('segments').select('id').where('name', '=', name).executeTakeFirst()) {
      throw new TouchpointError('TP_SEGMENT_EXISTS', `A segment named ${name} exists already.`);
    }
  }

  return {
    find,
    check,
    refs: segmentRefs,
    list: () => db.selectFrom('segments').selectAll().orderBy('name').execute(),
    async size(id: string): Promise<number> {
      const row = await db
        .selectFrom('segment_members')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('segment_id', '=', id)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async create(input: SegmentInput): Promise<{ id: string; unmatched?: number }> {
      const id = deps.newId();
      const now = deps.now();
      const base = { id, name: input.name, description: input.description ?? null, created_at: now, updated_at: now, backfill_done: 0, backfill_total: 0 };
      if (input.identifiers) {
        const { members, unmatched } = await resolveAll(input.identifiers);
        await deps.store.write(async (trx) => {
          await nameFree(input.name, trx);
          await standingDb(trx)
            .insertInto('segments')
            .values({ ...base, kind: 'static', condition: null, status: 'ready' })
            .execute();
          await replaceStaticMembers(trx, id, members);
        }, 'profiles');
        return { id, unmatched };
      }
      const condition = await check(input.name, input.condition);
      await deps.store.write(async (trx) => {
        await nameFree(input.name, trx);
        await standingDb(trx)
          .insertInto('segments')
          .values({ ...base, kind: 'dynamic', condition: JSON.stringify(condition), status: 'counting' })
          .execute();
        await deps.counters.ensure(`segment:${id}`, countersFor(`segment:${id}`, condition), trx);
        await backfill(trx, id, 'backfill');
      }, 'profiles');
      return { id };
    },
    async update(idOrName: string, input: Partial<SegmentInput>): Promise<SegmentRow> {
      const segment = await find(idOrName);
      const name = input.name ?? segment.name;
      if (segment.kind === 'static' && input.condition !== undefined) {
        throw new TouchpointError(
          'TP_VALIDATION',
          `Segment ${segment.name} is static (a list of identifiers): it has no condition to change. Send identifiers to replace its members, or create a dynamic segment.`,
        );
      }
      if (segment.kind === 'dynamic' && input.identifiers !== undefined) {
        throw new TouchpointError(
          'TP_VALIDATION',
          `Segment ${segment.name} is dynamic (a condition): its members follow the condition. Send a condition, or create a static segment.`,
        );
      }
      if (name !== segment.name) await notReferred(segment, 'name', 'renaming it');
      const condition = input.condition === undefined ? undefined : await check(name, input.condition, segment.id);
      const members = input.identifiers && (await resolveAll(input.identifiers)).members;
      await deps.store.write(async (trx) => {
        if (condition) await deps.counters.ensure(`segment:${segment.id}`, countersFor(`segment:${segment.id}`, condition), trx);
        if (name !== segment.name) await nameFree(name, trx);
        const changes: Partial<SegmentRow> = { name, description: input.description ?? segment.description, updated_at: deps.now() };
        if (condition) Object.assign(changes, { condition: JSON.stringify(condition), status: 'counting', backfill_done: 0, backfill_total: 0 });
        await standingDb(trx).updateTable('segments').set(changes).where('id', '=', segment.id).execute();
        if (members) await replaceStaticMembers(trx, segment.id, members);
        if (condition) await backfill(trx, segment.id, 'edit');
      }, 'profiles');
      return find(segment.id);
    },
    async remove(idOrName: string): Promise<void> {
      const segment = await find(idOrName);
      await notReferred(segment, 'name or id', 'deleting it');
      await deps.store.write(async (trx) => {
        for (const table of ['segment_members', 'segment_sizes', 'segment_changes'] as const)
          await standingDb(trx).deleteFrom(table).where('segment_id', '=', segment.id).execute();
        await standingDb(trx).deleteFrom('segments').where('id', '=', segment.id).execute();
        await deps.counters.remove(`segment:${segment.id}`, trx);
        await deps.jobs.cancel(SEGMENT_JOB, segment.id, trx);
      }, 'profiles');
    },
    async members(idOrName: string, limit: number, after?: string): Promise<{ profileId: string; since: number }[]> {
      const segment = await find(idOrName);
      let query = db.selectFrom('segment_members').select(['profile_id', 'since']).where('segment_id', '=', segment.id);
      if (after) query = query.where('profile_id', '>', after);
      return (await query.orderBy('profile_id').limit(limit).execute()).map((r) => ({ profileId: r.profile_id, since: r.since }));
    },
    /** The segments a profile is in. */
    async of(profileId: string): Promise<{ id: string; name: string; since: number }[]> {
      const rows = await db
        .selectFrom('segment_members')
        .innerJoin('segments', 'segments.id', 'segment_members.segment_id')
        .select(['segments.id as id', 'segments.name as name', 'segment_members.since as since'])
        .where('segment_members.profile_id', '=', profileId)
        .orderBy('segments.name')
        .execute();
      return rows;
    },
    async sizes(idOrName: string) {
      const segment = await find(idOrName);
      return db.selectFrom('segment_sizes').select(['day', 'size']).where('segment_id', '=', segment.id).orderBy('day').execute();
    },
    /** Who entered and left, in the order recorded (a stream to read from a position). */
    async changes(idOrName: string, limit: number, after = 0): Promise<SegmentChange[]> {
      const segment = await find(idOrName);
      const rows = await db
        .selectFrom('segment_changes')
        .selectAll()
        .where('segment_id', '=', segment.id)
        .where('id', '>', after)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, profileId: r.profile_id, change: r.change, at: r.at, trigger: r.trigger, seq: r.seq, recordedAt: r.recorded_at }));
    },
    /** Every segment's entries and exits in the order recorded, after a position: the change stream other modules consume. */
    async changesAfter(after: number, limit: number): Promise<(SegmentChange & { segmentId: string; segmentName: string })[]> {
      const rows = await db
        .selectFrom('segment_changes')
        .innerJoin('segments', 'segments.id', 'segment_changes.segment_id')
        .selectAll('segment_changes')
        .select('segments.name as segment_name')
        .where('segment_changes.id', '>', after)
        .orderBy('segment_changes.id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        segmentId: r.segment_id,
        segmentName: r.segment_name,
        profileId: r.profile_id,
        change: r.change,
        at: r.at,
        trigger: r.trigger,
        seq: r.seq,
        recordedAt: r.recorded_at,
      }));
    },
    /** The last position of the change stream (a new consumer starts there). */
    async changesHead(): Promise<number> {
      return deps.store.dialect.sequenceHead(deps.store.db, 'segment_changes', 'id');
    },
    /** Records today's size of every segment (the last run of a day stands for it). */
    async recordSizes(): Promise<void> {
      const day = new Date(deps.now()).toISOString().slice(0, 10);
      const sizes = await db
        .selectFrom('segments')
        .leftJoin('segment_members', 'segment_members.segment_id', 'segments.id')
        .select(['segments.id as id', (eb) => eb.fn.count<number>('segment_members.profile_id').as('size')])
        .groupBy('segments.id')
        .execute();
      await deps.store.write((trx) =>
        deps.store.bulk.insert(
          trx,
          'segment_sizes',
          ['segment_id', 'day', 'size'],
          sizes.map((s) => [s.id, day, Number(s.size)]),
          { conflict: { target: ['segment_id', 'day'], update: ['size'] } },
        ),
      );
    },
  };
}

export type Segments = ReturnType<typeof createSegments>;
