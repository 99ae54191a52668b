/** The identity graph in the store: live profile ids and the suppression list. */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { identifierKey, type Identifier } from './identifiers.js';
import type { IdentityTables } from './tables.js';

type Db = Kysely<IdentityTables>;
export const graphDb = (db: Kysely<object>): Db => db.withTables<IdentityTables>();

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
