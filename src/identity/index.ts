/**
 * identity: the identity graph. Which identifiers (userId, anonymousId, email,
 * phone, device id, loyalty card, customer number, and kinds added in config)
 * belong to which profile; merges under per-kind limits, with conflicts,
 * hubs and every merge recorded. The decision (resolve.ts) is pure; graph.ts
 * reads and writes the tables; stage.ts is the pipeline stage.
 */
import type { Kysely } from 'kysely';
import { startsWith, type Store } from '../store/index.js';
import { graphDb, liveProfileId } from './graph.js';
import { loadMergeChains } from './lookup.js';
import type { IdentityTables } from './tables.js';

export { BUILT_IN_KINDS, buildKinds, type KindConfig, type KindSpec } from './kinds.js';
export { extractIdentifiers, identifierKey, normalizeIdentifier, readPath, type Identifier } from './identifiers.js';
export { suppressionHash } from './graph.js';
export { createErasureScreen, type ErasureScreen } from './erasure-screen.js';
export { decideResolution, type ResolutionPlan } from './resolve.js';
export { createIdentityStage, type Identified, type IdentityOptions, type Origin } from './stage.js';
export { identityMigrations } from './tables.js';
export { eraseFromGraph, splitMerge, type Split } from './maintenance.js';

export interface IdentityRecord {
  kind: string;
  value: string;
  firstSeq: number;
}
export interface MergeRecord {
  id: number;
  at: number;
  seq: number;
  survivorId: string;
  mergedId: string;
  via: { kind: string; value: string };
  reason: string;
  undoneAt: number | null;
}
export interface ConflictRecord {
  at: number;
  seq: number;
  profileId: string;
  ownerId: string | null;
  kind: string;
  value: string;
  reason: string;
}

export function createIdentityReader(store: Pick<Store, 'db' | 'dialect'>) {
  const graph = graphDb(store.db);
  const valueKey = store.dialect.searchKey('value', { foldAscii: true });
  const idKey = store.dialect.searchKey('id', { foldAscii: true });
  return {
    live: (id: string) => liveProfileId(graph, id),
    /** Each of these profiles' live profile: itself, or the one it was merged into since (at the end of the chain). */
    async liveMany(ids: readonly string[]): Promise<Map<string, string>> {
      const chains = await loadMergeChains(graph, ids);
      const end = (id: string): string => {
        let at = id;
        for (let hops = 0; chains.get(at) && hops < 1000; hops++) at = chains.get(at)!;
        return at;
      };
      return new Map(ids.map((id) => [id, end(id)]));
    },
    async owner(kind: string, value: string): Promise<string | undefined> {
      const row = await graph.selectFrom('id_identities').select('profile_id').where('kind', '=', kind).where('value', '=', value).executeTakeFirst();
      return row?.profile_id;
    },
    /**
     * Profiles whose id, or one of whose identifier values (any kind), starts
     * with `prefix`, A-Z matching a-z (other letters as stored): the closest
     * values first, identifiers before ids, with repeats. Ids may be of
     * profiles merged away since (`live` tells their survivor).
     */
    async withPrefix(prefix: string, limit: number): Promise<string[]> {
      if (prefix === '') return [];
      const [owners, ids] = await Promise.all([
        graph.selectFrom('id_identities').select('profile_id').where(startsWith(valueKey, prefix)).orderBy(valueKey).limit(limit).execute(),
        graph.selectFrom('id_profiles').select('id').where(startsWith(idKey, prefix)).orderBy(idKey).limit(limit).execute(),
      ]);
      return [...owners.map((r) => r.profile_id), ...ids.map((r) => r.id)];
    },
    async identities(profileId: string): Promise<IdentityRecord[]> {
      const rows = await graph
        .selectFrom('id_identities')
        .select(['kind', 'value', 'first_seq'])
        .where('profile_id', '=', profileId)
        .orderBy('first_seq')
        .execute();
      return rows.map((r) => ({ kind: r.kind, value: r.value, firstSeq: r.first_seq }));
    },
    async identitiesOfMany(profileIds: string[]): Promise<Map<string, { kind: string; value: string }[]>> {
      const found = new Map<string, { kind: string; value: string }[]>();
      if (profileIds.length === 0) return found;
      const rows = await graph
        .selectFrom('id_identities')
        .select(['profile_id', 'kind', 'value'])
        .where('profile_id', 'in', profileIds)
        .orderBy('first_seq')
        .execute();
      for (const r of rows) found.set(r.profile_id, [...(found.get(r.profile_id) ?? []), { kind: r.kind, value: r.value }]);
      return found;
    },
    /** Profiles merged (and not split out again) into these, each with the one of these it now lives on; read through `db` when given (a transaction). */
    async absorbed(profileIds: readonly string[], db?: Kysely<object>): Promise<Map<string, string>> {
      const into = new Map<string, string>();
      const within = db ? graphDb(db) : graph;
      let frontier = [...profileIds];
      for (let hop = 0; hop < 10 && frontier.length > 0; hop++) {
        const rows = await within
          .selectFrom('id_merges')
          .select(['merged_id', 'survivor_id'])
          .where('survivor_id', 'in', frontier)
          .where('undone_at', 'is', null)
          .execute();
        frontier = [];
        for (const r of rows) {
          if (into.has(r.merged_id) || profileIds.includes(r.merged_id)) continue;
          into.set(r.merged_id, into.get(r.survivor_id) ?? r.survivor_id);
          frontier.push(r.merged_id);
        }
      }
      return into;
    },
    async merges(profileId: string): Promise<MergeRecord[]> {
      const rows = await graph
        .selectFrom('id_merges')
        .selectAll()
        .where((eb) => eb.or([eb('survivor_id', '=', profileId), eb('merged_id', '=', profileId)]))
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        seq: r.seq,
        survivorId: r.survivor_id,
        mergedId: r.merged_id,
        via: { kind: r.via_kind, value: r.via_value },
        reason: r.reason,
        undoneAt: r.undone_at,
      }));
    },
    async conflicts(profileId: string): Promise<ConflictRecord[]> {
      const rows = await graph
        .selectFrom('id_conflicts')
        .selectAll()
        .where((eb) => eb.or([eb('profile_id', '=', profileId), eb('owner_id', '=', profileId)]))
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ at: r.at, seq: r.seq, profileId: r.profile_id, ownerId: r.owner_id, kind: r.kind, value: r.value, reason: r.reason }));
    },
    async hubs(): Promise<{ kind: string; value: string; profiles: number; flaggedAt: number }[]> {
      const rows = await graph.selectFrom('id_hubs').selectAll().orderBy('flagged_at').execute();
      return rows.map((r) => ({ kind: r.kind, value: r.value, profiles: r.profiles, flaggedAt: r.flagged_at }));
    },
  };
}

export type IdentityReader = ReturnType<typeof createIdentityReader>;

/** Deletes everything the identity stage derived (before a rebuild). Suppressions stay: they come from erasures. */
export const identityResettable = {
  async reset(db: Kysely<object>): Promise<void> {
    const graph = db.withTables<IdentityTables>();
    for (const table of ['id_identities', 'id_observations', 'id_hubs', 'id_merges', 'id_conflicts', 'id_blocks', 'id_profiles'] as const) {
      await graph.deleteFrom(table).execute();
    }
  },
};
