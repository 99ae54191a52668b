/**
 * Segments as the API sees them: define (dynamic by condition, or static from
 * a list of identifiers), edit, delete, preview, members and size history.
 * A new or edited dynamic segment back-fills: its event counters first, then
 * every profile is evaluated; live events keep it current meanwhile.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { TouchpointError } from '../errors.js';
import type { Ids } from '../ids.js';
import type { ComputedTraits, PipelineControl } from '../profiles/index.js';
import { segmentReferences, validateCondition, type Condition } from './conditions.js';
import { segmentsDb } from './membership.js';
import { countersFor, orderByDependencies } from './registry.js';
import { previewCondition, type PreviewDeps } from './preview.js';

export interface SegmentInput {
  name: string;
  description?: string;
  condition?: Condition;
  /** Static segments: the identifiers of their members. */
  identifiers?: { kind: string; value: string }[];
}

export interface SegmentDeps extends Omit<PreviewDeps, 'now'> {
  db: Kysely<object>;
  computed: ComputedTraits;
  pipeline: PipelineControl;
  clock: Clock;
  ids: Ids;
  /** Evaluates every profile (stage and segments). */
  reevaluateAll(trigger: string, onProgress: (done: number, total: number) => Promise<void>): Promise<void>;
  /** The live profile holding an identifier (normalized by kind). */
  resolveIdentifier(kind: string, value: string): Promise<string | undefined>;
  logger?: { error(obj: object, msg: string): void };
}

export function createSegmentService(deps: SegmentDeps) {
  const db = segmentsDb(deps.db);
  const jobs = new Map<string, Promise<void>>();

  async function find(idOrName: string) {
    const row = await db.selectFrom('segments').selectAll().where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)])).executeTakeFirst();
    if (!row) throw new TouchpointError('TP_SEGMENT_NOT_FOUND', `No segment has the id or name ${JSON.stringify(idOrName)}.`);
    return row;
  }

  /** Checks a condition, its references (existing, no cycle) and returns it. */
  async function check(name: string, condition: unknown, selfId?: string): Promise<Condition> {
    const problems = validateCondition(condition);
    if (problems.length > 0) throw new TouchpointError('TP_INVALID_CONDITION', `The condition is not valid: ${problems.join('; ')}.`);
    const all = await db.selectFrom('segments').select(['id', 'name', 'kind', 'condition']).execute();
    for (const ref of segmentReferences(condition as Condition)) {
      if (!all.some((s) => s.id === ref || s.name === ref)) throw new TouchpointError('TP_INVALID_CONDITION', `The condition refers to segment ${JSON.stringify(ref)}, which does not exist.`);
    }
    const others = all.filter((s) => s.id !== selfId).map((s) => ({ id: s.id, name: s.name, kind: s.kind, condition: s.condition ? JSON.parse(s.condition) as Condition : null }));
    try {
      orderByDependencies([...others, { id: selfId ?? 'new', name, kind: 'dynamic', condition: condition as Condition }]);
    } catch (error) {
      throw new TouchpointError('TP_INVALID_CONDITION', `${(error as Error).message}.`);
    }
    return condition as Condition;
  }

  function backfill(id: string, condition: Condition, trigger: string): void {
    const run = async () => {
      const traits = await deps.computed.ensureOwned(`segment:${id}`, countersFor(`segment:${id}`, condition), deps.pipeline);
      await deps.computed.whenReady(traits.map((t) => t.id));
      // From here on live events evaluate the segment too; the back-fill covers everyone else.
      await db.updateTable('segments').set({ status: 'evaluating' }).where('id', '=', id).execute();
      await deps.reevaluateAll(trigger, async (done, total) => {
        await db.updateTable('segments').set({ status: 'evaluating', backfill_done: done, backfill_total: total }).where('id', '=', id).execute();
      });
      await db.updateTable('segments').set({ status: 'ready' }).where('id', '=', id).execute();
    };
    const job = (jobs.get(id) ?? Promise.resolve()).then(run).catch((error) => deps.logger?.error({ err: error, segment: id }, 'segment back-fill failed'));
    jobs.set(id, job);
  }

  async function addStaticMembers(id: string, identifiers: { kind: string; value: string }[]): Promise<number> {
    let unmatched = 0;
    for (const { kind, value } of identifiers) {
      const profileId = await deps.resolveIdentifier(kind, value);
      if (!profileId) {
        unmatched++;
        continue;
      }
      await db.insertInto('segment_members').values({ segment_id: id, profile_id: profileId, since: deps.clock.now() })
        .onConflict((oc) => oc.columns(['segment_id', 'profile_id']).doNothing()).execute();
    }
    return unmatched;
  }

  return {
    find,
    list: () => db.selectFrom('segments').selectAll().orderBy('name').execute(),
    async size(id: string): Promise<number> {
      const row = await db.selectFrom('segment_members').select((eb) => eb.fn.countAll<number>().as('n')).where('segment_id', '=', id).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async create(input: SegmentInput): Promise<{ id: string; unmatched?: number }> {
      if (await db.selectFrom('segments').select('id').where('name', '=', input.name).executeTakeFirst()) {
        throw new TouchpointError('TP_SEGMENT_EXISTS', `A segment named ${input.name} exists already.`);
      }
      const id = deps.ids.id('seg');
      const now = deps.clock.now();
      const base = { id, name: input.name, description: input.description ?? null, created_at: now, updated_at: now, backfill_done: 0, backfill_total: 0 };
      if (input.identifiers) {
        await db.insertInto('segments').values({ ...base, kind: 'static', condition: null, status: 'ready' }).execute();
        return { id, unmatched: await addStaticMembers(id, input.identifiers) };
      }
      const condition = await check(input.name, input.condition);
      await db.insertInto('segments').values({ ...base, kind: 'dynamic', condition: JSON.stringify(condition), status: 'counting' }).execute();
      backfill(id, condition, 'backfill');
      return { id };
    },
    async update(idOrName: string, input: Partial<SegmentInput>): Promise<void> {
      const segment = await find(idOrName);
      const name = input.name ?? segment.name;
      if (name !== segment.name && (await db.selectFrom('segments').select('id').where('name', '=', name).executeTakeFirst())) {
        throw new TouchpointError('TP_SEGMENT_EXISTS', `A segment named ${name} exists already.`);
      }
      const changes: Record<string, unknown> = { name, description: input.description ?? segment.description, updated_at: deps.clock.now() };
      if (segment.kind === 'static' && input.identifiers) {
        await db.deleteFrom('segment_members').where('segment_id', '=', segment.id).execute();
        await addStaticMembers(segment.id, input.identifiers);
      }
      if (segment.kind === 'dynamic' && input.condition !== undefined) {
        const condition = await check(name, input.condition, segment.id);
        Object.assign(changes, { condition: JSON.stringify(condition), status: 'counting', backfill_done: 0, backfill_total: 0 });
        await db.updateTable('segments').set(changes).where('id', '=', segment.id).execute();
        backfill(segment.id, condition, 'edit');
        return;
      }
      await db.updateTable('segments').set(changes).where('id', '=', segment.id).execute();
    },
    async remove(idOrName: string): Promise<void> {
      const segment = await find(idOrName);
      const dependents = (await db.selectFrom('segments').select(['name', 'condition']).execute())
        .filter((s) => s.condition && segmentReferences(JSON.parse(s.condition)).some((r) => r === segment.id || r === segment.name));
      if (dependents.length > 0) {
        throw new TouchpointError('TP_INVALID_CONDITION', `Segment ${segment.name} is used by ${dependents.map((d) => d.name).join(', ')}; change those first.`);
      }
      await deps.pipeline.paused(async () => {
        for (const table of ['segment_members', 'segment_sizes', 'segment_changes'] as const) await db.deleteFrom(table).where('segment_id', '=', segment.id).execute();
        await db.deleteFrom('segments').where('id', '=', segment.id).execute();
      });
      await deps.computed.removeOwned(`segment:${segment.id}`, deps.pipeline);
    },
    async members(idOrName: string, limit: number, after?: string): Promise<{ profileId: string; since: number }[]> {
      const segment = await find(idOrName);
      let query = db.selectFrom('segment_members').select(['profile_id', 'since']).where('segment_id', '=', segment.id);
      if (after) query = query.where('profile_id', '>', after);
      return (await query.orderBy('profile_id').limit(limit).execute()).map((r) => ({ profileId: r.profile_id, since: r.since }));
    },
    /** The segments a profile is in. */
    async of(profileId: string): Promise<{ id: string; name: string; since: string }[]> {
      const rows = await db.selectFrom('segment_members').innerJoin('segments', 'segments.id', 'segment_members.segment_id')
        .select(['segments.id as id', 'segments.name as name', 'segment_members.since as since']).where('segment_members.profile_id', '=', profileId)
        .orderBy('segments.name').execute();
      return rows.map((r) => ({ id: r.id, name: r.name, since: new Date(r.since).toISOString() }));
    },
    async sizes(idOrName: string) {
      const segment = await find(idOrName);
      return db.selectFrom('segment_sizes').select(['day', 'size']).where('segment_id', '=', segment.id).orderBy('day').execute();
    },
    async changes(idOrName: string, limit: number, after = 0) {
      const segment = await find(idOrName);
      return db.selectFrom('segment_changes').selectAll().where('segment_id', '=', segment.id).where('id', '>', after).orderBy('id').limit(limit).execute();
    },
    async preview(condition: unknown, sampleSize: number) {
      const checked = await check('(preview)', condition);
      return previewCondition({ ...deps, now: deps.clock.now }, checked, sampleSize);
    },
    /** Waits for running back-fills (tests). */
    settle: () => Promise.all(jobs.values()).then(() => undefined),
  };
}

export type SegmentService = ReturnType<typeof createSegmentService>;
