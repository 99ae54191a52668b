/** Keeping one profile's segment memberships current: evaluate, then record who entered and who left. */
import type { Kysely } from 'kysely';
import type { ConsentDefault } from '../profiles/index.js';
import type { Condition } from './conditions.js';
import { profileContext, type ProfileFacts } from './context.js';
import { earliest, evaluate } from './evaluate.js';
import type { SegmentTables } from './tables.js';

export interface LiveSegment {
  id: string;
  name: string;
  kind: 'dynamic' | 'static';
  /** Null for static segments. */
  condition: Condition | null;
}

export interface MembershipChange { segmentId: string; change: 'entered' | 'exited' }

export interface Occasion {
  now: number;
  /** event, schedule, backfill, edit, merge */
  trigger: string;
  seq: number | null;
  consentDefaults: Record<string, ConsentDefault>;
}

export const segmentsDb = (db: Kysely<object>) => db.withTables<SegmentTables>();

export async function membershipsOf(db: Kysely<object>, profileId: string): Promise<Set<string>> {
  const rows = await segmentsDb(db).selectFrom('segment_members').select('segment_id').where('profile_id', '=', profileId).execute();
  return new Set(rows.map((r) => r.segment_id));
}

/**
 * Evaluates the dynamic segments (given in dependency order) for a profile and
 * writes the changes. Returns them and the earliest time an answer may change
 * with no new event.
 */
export async function updateMemberships(
  trx: Kysely<object>, facts: Omit<ProfileFacts, 'segments'>, segments: LiveSegment[], occasion: Occasion,
): Promise<{ changes: MembershipChange[]; changesAt: number | null }> {
  if (!segments.some((s) => s.kind === 'dynamic')) return { changes: [], changesAt: null };
  const current = await membershipsOf(trx, facts.profileId);
  const names = new Map(segments.map((s) => [s.id, s.name]));
  // Ids and names of the segments the profile is in, kept up to date as this loop changes them.
  const refs = new Set([...current].flatMap((id) => [id, names.get(id) ?? id]));
  const contextFor = profileContext({ ...facts, segments: refs }, occasion.now, occasion.consentDefaults);
  const changes: MembershipChange[] = [];
  let changesAt: number | null = null;
  for (const segment of segments) {
    if (segment.kind !== 'dynamic' || !segment.condition) continue;
    const verdict = evaluate(segment.condition, contextFor(`segment:${segment.id}`));
    changesAt = earliest([changesAt, verdict.changesAt]);
    if (verdict.match === current.has(segment.id)) continue;
    // Later segments may refer to this one: they see the new membership.
    if (verdict.match) {
      current.add(segment.id);
      refs.add(segment.id).add(segment.name);
    } else {
      current.delete(segment.id);
      refs.delete(segment.id);
      refs.delete(segment.name);
    }
    changes.push({ segmentId: segment.id, change: verdict.match ? 'entered' : 'exited' });
  }
  await writeChanges(trx, facts.profileId, changes, occasion);
  return { changes, changesAt };
}

async function writeChanges(trx: Kysely<object>, profileId: string, changes: MembershipChange[], occasion: Occasion): Promise<void> {
  if (changes.length === 0) return;
  const db = segmentsDb(trx);
  const entered = changes.filter((c) => c.change === 'entered').map((c) => c.segmentId);
  const exited = changes.filter((c) => c.change === 'exited').map((c) => c.segmentId);
  if (entered.length > 0) {
    await db.insertInto('segment_members').values(entered.map((segment_id) => ({ segment_id, profile_id: profileId, since: occasion.now }))).execute();
  }
  if (exited.length > 0) await db.deleteFrom('segment_members').where('profile_id', '=', profileId).where('segment_id', 'in', exited).execute();
  await db.insertInto('segment_changes').values(changes.map((c) => ({
    segment_id: c.segmentId, profile_id: profileId, change: c.change, at: occasion.now, trigger: occasion.trigger, seq: occasion.seq,
  }))).execute();
}

/** A merged-away profile's memberships: static ones move to the survivor, dynamic ones end (the survivor is evaluated anew). */
export async function foldMemberships(trx: Kysely<object>, survivor: string, merged: string, segments: LiveSegment[], occasion: Occasion): Promise<void> {
  const db = segmentsDb(trx);
  const staticIds = new Set(segments.filter((s) => s.kind === 'static').map((s) => s.id));
  for (const segmentId of await membershipsOf(trx, merged)) {
    await db.deleteFrom('segment_members').where('segment_id', '=', segmentId).where('profile_id', '=', merged).execute();
    if (staticIds.has(segmentId)) {
      await db.insertInto('segment_members').values({ segment_id: segmentId, profile_id: survivor, since: occasion.now })
        .onConflict((oc) => oc.columns(['segment_id', 'profile_id']).doNothing()).execute();
    } else {
      await db.insertInto('segment_changes').values({
        segment_id: segmentId, profile_id: merged, change: 'exited', at: occasion.now, trigger: 'merge', seq: occasion.seq,
      }).execute();
    }
  }
}

/** Profiles whose standing must be checked again at a time (windows closing, relative dates passing). */
export async function setTimer(trx: Kysely<object>, profileId: string, dueAt: number | null): Promise<void> {
  const db = segmentsDb(trx);
  const current = await db.selectFrom('profile_timers').select('due_at').where('profile_id', '=', profileId).executeTakeFirst();
  if ((current?.due_at ?? null) === dueAt) return; // most events leave the time as it was: a read is cheaper than a write
  if (dueAt === null) {
    await db.deleteFrom('profile_timers').where('profile_id', '=', profileId).execute();
    return;
  }
  await db.insertInto('profile_timers').values({ profile_id: profileId, due_at: dueAt })
    .onConflict((oc) => oc.column('profile_id').doUpdateSet({ due_at: dueAt })).execute();
}

export async function dueProfiles(db: Kysely<object>, now: number, limit: number): Promise<string[]> {
  const rows = await segmentsDb(db).selectFrom('profile_timers').select('profile_id').where('due_at', '<=', now).orderBy('due_at').limit(limit).execute();
  return rows.map((r) => r.profile_id);
}
