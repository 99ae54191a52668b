/** Reading and writing profiles' standing, many at a time, and recording what changed. */
import type { Kysely } from 'kysely';
import type { BatchScope } from '../pipeline/index.js';
import type { Store } from '../store/index.js';
import { emptyRecord, type Changes, type StandingRecord } from './fold.js';
import type { StandingTables } from './tables.js';

export const standingDb = (db: Kysely<object>) => db.withTables<StandingTables>();
const CHUNK = 500;

/** Records as loaded, with a copy of what was stored to tell what changed. */
export interface LoadedRecords {
  records: Map<string, StandingRecord>;
  stored: Map<string, { row: string; members: ReadonlyMap<string, number> }>;
  /** Whether the rows were read; when not, only memberships and standing times are written. */
  rows: boolean;
}

const rowKey = (r: StandingRecord) => `${r.stage}|${r.since}|${r.asOf}|${r.due}`;

export interface RecordsWanted {
  /** Read the profiles' rows (stage, standing time, timer); without them records start empty and rows are left as they are. */
  rows?: boolean;
  /** Read memberships of these segments only (default: all). */
  segments?: readonly string[];
}

/** Standing of these profiles (an empty record for those with none). */
export async function loadRecords(trx: Kysely<object>, profileIds: readonly string[], wanted: RecordsWanted = {}): Promise<LoadedRecords> {
  const db = standingDb(trx);
  const records = new Map(profileIds.map((id) => [id, emptyRecord(id)]));
  const { rows = true, segments } = wanted;
  for (let i = 0; i < profileIds.length; i += CHUNK) {
    const chunk = profileIds.slice(i, i + CHUNK);
    for (const row of rows ? await db.selectFrom('standing_profiles').selectAll().where('profile_id', 'in', chunk).execute() : []) {
      Object.assign(records.get(row.profile_id)!, { stage: row.stage, since: row.since, asOf: row.as_of, due: row.due_at });
    }
    if (segments?.length === 0) continue;
    let members = db.selectFrom('segment_members').select(['segment_id', 'profile_id', 'since']).where('profile_id', 'in', chunk);
    if (segments) members = members.where('segment_id', 'in', [...segments]);
    for (const m of await members.execute()) records.get(m.profile_id)!.members.set(m.segment_id, m.since);
  }
  const stored = new Map([...records].map(([id, r]) => [id, { row: rowKey(r), members: new Map(r.members) }]));
  return { records, stored, rows };
}

/** Writes the records that changed: their rows, and their memberships by difference. */
export async function writeRecords(store: Store, trx: Kysely<object>, loaded: LoadedRecords): Promise<void> {
  const rows: unknown[][] = [];
  const gone: string[] = [];
  const joined: unknown[][] = [];
  const left: unknown[][] = [];
  for (const [id, record] of loaded.records) {
    const stored = loaded.stored.get(id);
    if (record.gone) gone.push(id);
    else if (stored?.row !== rowKey(record)) rows.push([id, record.stage, record.since, record.asOf, record.due]);
    for (const [segmentId, since] of record.members) if (!stored?.members.has(segmentId)) joined.push([segmentId, id, since]);
    for (const segmentId of stored?.members.keys() ?? []) if (!record.members.has(segmentId)) left.push([segmentId, id]);
  }
  await store.bulk.deleteIn(trx, 'standing_profiles', 'profile_id', gone);
  if (loaded.rows) {
    await store.bulk.insert(trx, 'standing_profiles', ['profile_id', 'stage', 'since', 'as_of', 'due_at'], rows, {
      conflict: { target: ['profile_id'], update: ['stage', 'since', 'as_of', 'due_at'] },
    });
  } else
    await moveStandingTimes(
      store,
      trx,
      rows.map((r) => [r[0] as string, r[3] as number | null]),
    );
  await store.bulk.deleteTuples(trx, 'segment_members', ['segment_id', 'profile_id'], left);
  await store.bulk.insert(trx, 'segment_members', ['segment_id', 'profile_id', 'since'], joined);
}

/**
 * Without the rows, a record only knows the standing time its evaluation
 * moved to: it is brought forward where it is earlier, and a profile with no
 * row yet gets one (nothing else of a row is touched).
 */
async function moveStandingTimes(store: Store, trx: Kysely<object>, moved: [string, number | null][]): Promise<void> {
  const byTime = new Map<number, string[]>();
  for (const [id, at] of moved) if (at !== null) byTime.set(at, [...(byTime.get(at) ?? []), id]);
  for (const [at, ids] of byTime) {
    await store.bulk.insert(
      trx,
      'standing_profiles',
      ['profile_id', 'stage', 'since', 'as_of', 'due_at'],
      ids.map((id) => [id, null, null, at, null]),
      {
        conflict: { target: ['profile_id'] },
      },
    );
    for (let i = 0; i < ids.length; i += CHUNK) {
      await standingDb(trx)
        .updateTable('standing_profiles')
        .set({ as_of: at })
        .where('profile_id', 'in', ids.slice(i, i + CHUNK))
        .where((eb) => eb.or([eb('as_of', 'is', null), eb('as_of', '<', at)]))
        .execute();
    }
  }
}

/** Records the changes in the stage history and the segment change stream; stage changes also go on the log. */
export async function recordChanges(store: Store, scope: BatchScope, changes: Changes): Promise<void> {
  const { trx, now } = scope;
  await store.bulk.insert(
    trx,
    'stage_history',
    ['profile_id', 'from_stage', 'to_stage', 'at', 'trigger', 'seq', 'recorded_at'],
    changes.transitions.map((t) => [t.profileId, t.from, t.to, t.at, t.trigger, t.seq, now]),
  );
  await store.bulk.insert(
    trx,
    'segment_changes',
    ['segment_id', 'profile_id', 'change', 'at', 'trigger', 'seq', 'recorded_at'],
    changes.memberships.map((c) => [c.segmentId, c.profileId, c.change, c.at, c.trigger, c.seq, now]),
  );
  for (const t of changes.transitions) {
    scope.derive({
      profileId: t.profileId,
      event: 'Stage Changed',
      at: t.at,
      key: `stage:${t.profileId}:${t.at}:${t.trigger}:${t.seq ?? ''}:${t.to ?? ''}`,
      properties: { from: t.from, to: t.to, trigger: t.trigger },
    });
  }
}
