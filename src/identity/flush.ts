/** Writing what a batch changed in the identity graph, in multi-row statements, in the order the events made the changes. */
import type { Kysely } from 'kysely';
import type { Store } from '../store/index.js';
import type { PendingGraph } from './overlay.js';
import type { IdentityTables } from './tables.js';

export async function flushGraph(store: Store, trx: Kysely<object>, pending: PendingGraph): Promise<void> {
  const { bulk } = store;
  await bulk.insert(
    trx,
    'id_profiles',
    ['id', 'created_seq', 'created_at', 'merged_into', 'merged_at'],
    pending.profiles.map((p) => [p.id, p.createdSeq, p.createdAt, null, null]),
  );
  await bulk.insert(
    trx,
    'id_identities',
    ['kind', 'value', 'profile_id', 'origin_profile_id', 'first_seq'],
    pending.attach.map((a) => [a.kind, a.value, a.profileId, a.profileId, a.firstSeq]),
  );
  // Merges move every identifier of the merged profile, those attached earlier in this batch included.
  const graph = trx.withTables<IdentityTables>();
  for (const merge of pending.merges) {
    await graph.updateTable('id_identities').set({ profile_id: merge.survivor }).where('profile_id', '=', merge.merged).execute();
    await graph.updateTable('id_profiles').set({ merged_into: merge.survivor, merged_at: merge.at }).where('id', '=', merge.merged).execute();
  }
  await bulk.insert(
    trx,
    'id_merges',
    ['seq', 'at', 'survivor_id', 'merged_id', 'via_kind', 'via_value', 'reason', 'undone_at'],
    pending.merges.map((m) => [m.seq, m.at, m.survivor, m.merged, m.via.kind, m.via.value, m.reason, null]),
  );
  await bulk.insert(
    trx,
    'id_conflicts',
    ['seq', 'at', 'profile_id', 'owner_id', 'kind', 'value', 'reason'],
    pending.conflicts.map((c) => [c.seq, c.at, c.profileId, c.ownerId, c.kind, c.value, c.reason]),
  );
  await bulk.insert(
    trx,
    'id_observations',
    ['kind', 'value', 'profile_id'],
    pending.observations.map((o) => [o.kind, o.value, o.profileId]),
    { conflict: { target: ['kind', 'value', 'profile_id'] } },
  );
  await bulk.insert(
    trx,
    'id_hubs',
    ['kind', 'value', 'profiles', 'flagged_at'],
    [...pending.hubs.values()].map((h) => [h.kind, h.value, h.profiles, h.flaggedAt]),
    { conflict: { target: ['kind', 'value'], update: ['profiles'] } },
  );
}
