/** Reading what a batch of events needs from the identity graph, in a few queries. */
import type { Kysely } from 'kysely';
import { identifierKey, type Identifier } from './identifiers.js';
import type { ProfileView } from './resolve.js';
import type { IdentityTables } from './tables.js';
import { suppressionHash } from './graph.js';

type Db = Kysely<IdentityTables>;
const CHUNK = 500;

async function inChunks<T, R>(values: readonly T[], load: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const rows: R[] = [];
  for (let i = 0; i < values.length; i += CHUNK) rows.push(...(await load(values.slice(i, i + CHUNK))));
  return rows;
}

/** identifierKey -> owning profile, for every identifier given that the graph holds. */
export async function loadOwners(db: Db, identifiers: readonly Identifier[]): Promise<Map<string, string>> {
  const wanted = new Set(identifiers.map(identifierKey));
  const values = [...new Set(identifiers.map((i) => i.value))];
  const rows = await inChunks(values, (chunk) => db.selectFrom('id_identities').select(['kind', 'value', 'profile_id']).where('value', 'in', chunk).execute());
  const owners = new Map<string, string>();
  for (const row of rows) if (wanted.has(identifierKey(row))) owners.set(identifierKey(row), row.profile_id);
  return owners;
}

/** The identifiers among these that stopped linking profiles (hubs). */
export async function loadHubs(db: Db, identifiers: readonly Identifier[]): Promise<Set<string>> {
  if (!(await db.selectFrom('id_hubs').select('kind').limit(1).executeTakeFirst())) return new Set();
  const wanted = new Set(identifiers.map(identifierKey));
  const values = [...new Set(identifiers.map((i) => i.value))];
  const rows = await inChunks(values, (chunk) => db.selectFrom('id_hubs').select(['kind', 'value']).where('value', 'in', chunk).execute());
  return new Set(rows.map(identifierKey).filter((k) => wanted.has(k)));
}

/** Hashes of the identifiers among these that belong to an erased person. */
export async function loadSuppressed(db: Db, identifiers: readonly Identifier[]): Promise<Set<string>> {
  if (!(await db.selectFrom('id_suppressions').select('hash').limit(1).executeTakeFirst())) return new Set();
  const hashes = [...new Set(identifiers.map(suppressionHash))];
  const rows = await inChunks(hashes, (chunk) => db.selectFrom('id_suppressions').select('hash').where('hash', 'in', chunk).execute());
  return new Set(rows.map((r) => r.hash));
}

/** What resolution needs to know of these profiles: age, identifier counts per kind, blocks. */
export async function loadViews(db: Db, ids: readonly string[]): Promise<Map<string, ProfileView>> {
  const views = new Map<string, ProfileView>();
  if (ids.length === 0) return views;
  for (const row of await inChunks(ids, (chunk) => db.selectFrom('id_profiles').select(['id', 'created_seq']).where('id', 'in', chunk).execute())) {
    views.set(row.id, { id: row.id, createdSeq: row.created_seq, counts: {}, blocked: [] });
  }
  const counts = await inChunks(ids, (chunk) =>
    db
      .selectFrom('id_identities')
      .select(['profile_id', 'kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('profile_id', 'in', chunk)
      .groupBy(['profile_id', 'kind'])
      .execute(),
  );
  for (const row of counts) views.get(row.profile_id)!.counts[row.kind] = Number(row.n);
  const blocks = await inChunks(ids, (chunk) =>
    db
      .selectFrom('id_blocks')
      .selectAll()
      .where((eb) => eb.or([eb('a', 'in', chunk), eb('b', 'in', chunk)]))
      .execute(),
  );
  for (const { a, b } of blocks) {
    views.get(a)?.blocked.push(b);
    views.get(b)?.blocked.push(a);
  }
  return views;
}

/** Profile -> the profile it was merged into (null: live), for these profiles and the chains they lead to. */
export async function loadMergeChains(db: Db, ids: readonly string[]): Promise<Map<string, string | null>> {
  const chains = new Map<string, string | null>();
  let next = [...new Set(ids)];
  for (let hops = 0; next.length > 0 && hops < 1000; hops++) {
    const rows = await inChunks(next, (chunk) => db.selectFrom('id_profiles').select(['id', 'merged_into']).where('id', 'in', chunk).execute());
    for (const row of rows) chains.set(row.id, row.merged_into);
    next = rows.map((r) => r.merged_into).filter((m): m is string => m !== null && !chains.has(m));
  }
  return chains;
}

/** The kind each alias previousId is known as (userId before anonymousId). */
export async function loadPreviousKinds(db: Db, values: readonly string[]): Promise<Map<string, string>> {
  const rows = await inChunks([...new Set(values)], (chunk) =>
    db.selectFrom('id_identities').select(['kind', 'value']).where('value', 'in', chunk).where('kind', 'in', ['userId', 'anonymousId']).execute(),
  );
  const kinds = new Map<string, string>();
  for (const row of rows) if (kinds.get(row.value) !== 'userId') kinds.set(row.value, row.kind);
  return kinds;
}

/** The profiles an identifier was already seen on, other than its owner (for hub detection). */
export async function loadObservations(db: Db, id: Identifier): Promise<Set<string>> {
  const rows = await db.selectFrom('id_observations').select('profile_id').where('kind', '=', id.kind).where('value', '=', id.value).execute();
  return new Set(rows.map((r) => r.profile_id));
}
