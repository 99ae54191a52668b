/** Undoing a merge and erasing a person from the identity graph. */
import type { Kysely } from 'kysely';
import { TouchpointError } from '../errors.js';
import { graphDb, liveProfileId, suppressionHash } from './graph.js';

type Db = ReturnType<typeof graphDb>;

/** The profile and every profile merged into it, directly or through others. */
export async function mergeTree(db: Db, root: string): Promise<string[]> {
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    const children = await db.selectFrom('id_profiles').select('id').where('merged_into', '=', tree[i]!).execute();
    tree.push(...children.map((c) => c.id));
  }
  return tree;
}

export interface Split {
  /** The live profile that held the merged one. */
  holder: string;
  /** The profile given back its own life. */
  restored: string;
  /** restored and the profiles that had merged into it before. */
  restoredTree: string[];
  mergeId: number;
}

/**
 * Undoes a merge: the merged profile (and what had merged into it) gets back
 * the identifiers it brought; the two are blocked from merging again.
 * `mergedId` picks the merge by the profile it absorbed; without it, the
 * latest merge into `profileId`.
 */
export async function splitMerge(raw: Kysely<object>, profileId: string, mergedId: string | undefined, at: number): Promise<Split> {
  const db = graphDb(raw);
  const holder = await liveProfileId(db, profileId);
  if (!holder) throw new TouchpointError('TP_PROFILE_NOT_FOUND', `No profile has the id ${JSON.stringify(profileId)}.`);
  const tree = await mergeTree(db, holder);
  let query = db.selectFrom('id_merges').selectAll().where('undone_at', 'is', null).where('survivor_id', 'in', tree);
  if (mergedId) query = query.where('merged_id', '=', mergedId);
  const merge = await query.orderBy('id', 'desc').executeTakeFirst();
  if (!merge) {
    throw new TouchpointError(
      'TP_MERGE_NOT_FOUND',
      mergedId ? `${mergedId} was not merged into ${holder} (or that merge was undone already).` : `${holder} has no merge to undo.`,
    );
  }
  const restored = merge.merged_id;
  await db.updateTable('id_profiles').set({ merged_into: null, merged_at: null }).where('id', '=', restored).execute();
  const restoredTree = await mergeTree(db, restored);
  await db.updateTable('id_identities').set({ profile_id: restored }).where('profile_id', '=', holder).where('origin_profile_id', 'in', restoredTree).execute();
  await db.updateTable('id_merges').set({ undone_at: at }).where('id', '=', merge.id).execute();
  for (const other of new Set([holder, merge.survivor_id])) {
    await db
      .insertInto('id_blocks')
      .values({ a: other, b: restored })
      .onConflict((oc) => oc.columns(['a', 'b']).doNothing())
      .execute();
  }
  return { holder, restored, restoredTree, mergeId: merge.id };
}

/**
 * Removes a person from the graph: every profile of its merge tree, its
 * identifiers (which go on the suppression list, hashed, so that events
 * carrying them are dropped), merges, conflicts, observations and hub flags.
 */
export async function eraseFromGraph(raw: Kysely<object>, profileId: string, at: number): Promise<{ profiles: string[]; identifiers: number }> {
  const db = graphDb(raw);
  const live = await liveProfileId(db, profileId);
  if (!live) throw new TouchpointError('TP_PROFILE_NOT_FOUND', `No profile has the id ${JSON.stringify(profileId)}.`);
  const profiles = await mergeTree(db, live);
  const identifiers = await db.selectFrom('id_identities').select(['kind', 'value']).where('profile_id', '=', live).execute();
  for (const id of identifiers) {
    await db
      .insertInto('id_suppressions')
      .values({ hash: suppressionHash(id), at })
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
    for (const table of ['id_observations', 'id_hubs', 'id_conflicts'] as const) {
      await db.deleteFrom(table).where('kind', '=', id.kind).where('value', '=', id.value).execute();
    }
  }
  await db.deleteFrom('id_identities').where('profile_id', '=', live).execute();
  await db.deleteFrom('id_observations').where('profile_id', 'in', profiles).execute();
  await db
    .deleteFrom('id_conflicts')
    .where((eb) => eb.or([eb('profile_id', 'in', profiles), eb('owner_id', 'in', profiles)]))
    .execute();
  await db
    .deleteFrom('id_merges')
    .where((eb) => eb.or([eb('survivor_id', 'in', profiles), eb('merged_id', 'in', profiles)]))
    .execute();
  await db
    .deleteFrom('id_blocks')
    .where((eb) => eb.or([eb('a', 'in', profiles), eb('b', 'in', profiles)]))
    .execute();
  await db.deleteFrom('id_profiles').where('id', 'in', profiles).execute();
  return { profiles, identifiers: identifiers.length };
}
