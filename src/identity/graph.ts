/** The identity graph in the store: looking up what a plan needs, and applying a plan. */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { identifierKey, type Identifier } from './identifiers.js';
import type { GraphLookup, ProfileView, ResolutionPlan } from './resolve.js';
import type { IdentityTables } from './tables.js';

type Db = Kysely<IdentityTables>;
export const graphDb = (db: Kysely<object>): Db => db.withTables<IdentityTables>();

/** `hubsExist: false` skips looking for hubs (there are none yet). */
export async function lookupGraph(db: Db, identifiers: Identifier[], options: { hubsExist: boolean } = { hubsExist: true }): Promise<GraphLookup> {
  const owners = new Map<string, string>();
  const hubs = new Set<string>();
  if (identifiers.length > 0) {
    const byPair = (eb: any) => eb.or(identifiers.map((i) => eb.and([eb('kind', '=', i.kind), eb('value', '=', i.value)])));
    for (const row of await db.selectFrom('id_identities').select(['kind', 'value', 'profile_id']).where(byPair).execute()) {
      owners.set(identifierKey(row), row.profile_id);
    }
    if (options.hubsExist) {
      for (const row of await db.selectFrom('id_hubs').select(['kind', 'value']).where(byPair).execute()) hubs.add(identifierKey(row));
    }
  }
  const distinct = [...new Set(owners.values())];
  // The common case, a known customer with nothing new: no merge or limit to decide, so no counts to read.
  if (distinct.length === 1 && owners.size === identifiers.length && hubs.size === 0) {
    return { owners, hubs, profiles: new Map([[distinct[0]!, { id: distinct[0]!, createdSeq: 0, counts: {}, blocked: [] }]]) };
  }
  return { owners, hubs, profiles: await profileViews(db, distinct) };
}

async function profileViews(db: Db, ids: string[]): Promise<Map<string, ProfileView>> {
  const views = new Map<string, ProfileView>();
  if (ids.length === 0) return views;
  for (const row of await db.selectFrom('id_profiles').select(['id', 'created_seq']).where('id', 'in', ids).execute()) {
    views.set(row.id, { id: row.id, createdSeq: row.created_seq, counts: {}, blocked: [] });
  }
  const counts = await db.selectFrom('id_identities')
    .select(['profile_id', 'kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('profile_id', 'in', ids).groupBy(['profile_id', 'kind']).execute();
  for (const row of counts) views.get(row.profile_id)!.counts[row.kind] = Number(row.n);
  const blocks = await db.selectFrom('id_blocks').selectAll().where((eb) => eb.or([eb('a', 'in', ids), eb('b', 'in', ids)])).execute();
  for (const { a, b } of blocks) {
    views.get(a)?.blocked.push(b);
    views.get(b)?.blocked.push(a);
  }
  return views;
}

export interface ApplyContext {
  seq: number;
  at: number;
  reason: 'event' | 'alias';
  hubThreshold: number;
}

/** Applies a plan; says whether it flagged a new hub. */
export async function applyPlan(db: Db, plan: ResolutionPlan, ctx: ApplyContext): Promise<boolean> {
  if (!plan.profileId) return false;
  if (plan.created) {
    await db.insertInto('id_profiles').values({ id: plan.profileId, created_seq: ctx.seq, created_at: ctx.at, merged_into: null, merged_at: null }).execute();
  }
  for (const merge of plan.merges) {
    await db.updateTable('id_identities').set({ profile_id: merge.survivor }).where('profile_id', '=', merge.merged).execute();
    await db.updateTable('id_profiles').set({ merged_into: merge.survivor, merged_at: ctx.at }).where('id', '=', merge.merged).execute();
    await db.insertInto('id_merges').values({
      seq: ctx.seq, at: ctx.at, survivor_id: merge.survivor, merged_id: merge.merged,
      via_kind: merge.via.kind, via_value: merge.via.value, reason: ctx.reason, undone_at: null,
    }).execute();
  }
  if (plan.attach.length > 0) {
    await db.insertInto('id_identities')
      .values(plan.attach.map((i) => ({ kind: i.kind, value: i.value, profile_id: plan.profileId!, origin_profile_id: plan.profileId!, first_seq: ctx.seq })))
      .execute();
  }
  let flagged = false;
  for (const conflict of plan.conflicts) {
    await db.insertInto('id_conflicts').values({
      seq: ctx.seq, at: ctx.at, profile_id: conflict.profileId, owner_id: conflict.ownerId,
      kind: conflict.identifier.kind, value: conflict.identifier.value, reason: conflict.reason,
    }).execute();
    if (conflict.ownerId) flagged = (await observe(db, conflict.identifier, conflict.ownerId, conflict.profileId, ctx)) || flagged;
  }
  return flagged;
}

/** An identifier met on another profile than its own: past the threshold it becomes a hub and stops linking. */
async function observe(db: Db, id: Identifier, ownerId: string, profileId: string, ctx: ApplyContext): Promise<boolean> {
  await db.insertInto('id_observations').values([{ ...id, profile_id: ownerId }, { ...id, profile_id: profileId }])
    .onConflict((oc) => oc.columns(['kind', 'value', 'profile_id']).doNothing()).execute();
  const row = await db.selectFrom('id_observations').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', id.kind).where('value', '=', id.value).executeTakeFirst();
  const profiles = Number(row?.n ?? 0);
  if (profiles <= ctx.hubThreshold) return false;
  await db.insertInto('id_hubs').values({ ...id, profiles, flagged_at: ctx.at })
    .onConflict((oc) => oc.columns(['kind', 'value']).doUpdateSet({ profiles })).execute();
  return true;
}

/** The live profile a (possibly merged-away) profile id stands for today. */
export async function liveProfileId(db: Db, id: string): Promise<string | undefined> {
  let current = id;
  for (let hops = 0; hops < 1000; hops++) {
    const row = await db.selectFrom('id_profiles').select('merged_into').where('id', '=', current).executeTakeFirst();
    if (!row) return undefined;
    if (!row.merged_into) return current;
    current = row.merged_into;
  }
  throw new Error(`merge chain from ${id} does not end`);
}

export const suppressionHash = (id: Identifier) => createHash('sha256').update(identifierKey(id)).digest('hex');

export async function isSuppressed(db: Db, identifiers: Identifier[]): Promise<boolean> {
  if (identifiers.length === 0) return false;
  const row = await db.selectFrom('id_suppressions').select('hash').where('hash', 'in', identifiers.map(suppressionHash)).executeTakeFirst();
  return row !== undefined;
}
