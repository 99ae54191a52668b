/** Reads and writes of the destinations module's own tables, shared by its parts. */
import type { Kysely, Selectable } from 'kysely';
import type { Store } from '../store/index.js';
import { batchBody, toBatches, type Member, type Operation } from './batch.js';
import type { Settings } from './input.js';
import type { IdentifierKind } from './normalize.js';
import { destinationsDb, type DestinationTables } from './tables.js';

export type DestinationRow = Selectable<DestinationTables['destinations']>;

export async function findRow(db: Kysely<object>, idOrName: string): Promise<DestinationRow | undefined> {
  return destinationsDb(db)
    .selectFrom('destinations')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
    .executeTakeFirst();
}

/** Webhook destinations that are not paused: they read the stream (or back-fill) and send. */
export function activeWebhooks(db: Kysely<object>): Promise<DestinationRow[]> {
  return destinationsDb(db).selectFrom('destinations').selectAll().where('kind', '=', 'webhook').where('status', '=', 'active').orderBy('id').execute();
}

/** Among these profiles, those the platform was told of, with the hashes they were added with. */
export async function toldAmong(db: Kysely<object>, destinationId: string, profileIds: readonly string[]): Promise<Map<string, Member>> {
  if (profileIds.length === 0) return new Map();
  const rows = await destinationsDb(db)
    .selectFrom('destination_members')
    .select(['profile_id', 'email_sha256', 'phone_sha256'])
    .where('destination_id', '=', destinationId)
    .where('profile_id', 'in', profileIds)
    .execute();
  return new Map(rows.map((r) => [r.profile_id, { profileId: r.profile_id, emailSha256: r.email_sha256, phoneSha256: r.phone_sha256 }]));
}

export interface Writing {
  store: Store;
  newId(): string;
  now: number;
}

/**
 * Queues the operations as batches and makes the members table say what the
 * platform will have been told, in the caller's transaction. A dead batch
 * leaves the table ahead of the platform: the status reports it.
 */
export async function queueOperations(w: Writing, trx: Kysely<object>, destination: DestinationRow, operations: readonly Operation[]): Promise<number> {
  const batches = toBatches(operations, destination.batch_size);
  const rows = batches.map((batch) => {
    const id = w.newId();
    const body = JSON.stringify(batchBody(destination.name, destination.segment_name, id, batch));
    return [id, destination.id, body, batch.add.length, batch.remove.length, 0, w.now, 'pending', null, w.now, w.now];
  });
  const columns = ['id', 'destination_id', 'body', 'adds', 'removes', 'attempts', 'next_attempt_at', 'status', 'response', 'created_at', 'updated_at'];
  await w.store.bulk.insert(trx, 'destination_batches', columns, rows);
  const removed = operations.filter((o) => o.op === 'remove').map((o) => [destination.id, o.member.profileId]);
  await w.store.bulk.deleteTuples(trx, 'destination_members', ['destination_id', 'profile_id'], removed);
  const added = operations.filter((o) => o.op === 'add').map(({ member: m }) => [destination.id, m.profileId, m.emailSha256, m.phoneSha256, w.now]);
  await w.store.bulk.insert(trx, 'destination_members', ['destination_id', 'profile_id', 'email_sha256', 'phone_sha256', 'added_at'], added, {
    conflict: { target: ['destination_id', 'profile_id'] },
  });
  return batches.length;
}

export async function countMembers(db: Kysely<object>, destinationId: string): Promise<number> {
  const row = await destinationsDb(db)
    .selectFrom('destination_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('destination_id', '=', destinationId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function countBatches(db: Kysely<object>, destinationId: string): Promise<Record<'pending' | 'sent' | 'dead', number>> {
  const rows = await destinationsDb(db)
    .selectFrom('destination_batches')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('destination_id', '=', destinationId)
    .groupBy('status')
    .execute();
  const counts = { pending: 0, sent: 0, dead: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** A row's settings as the input checks see them. */
export function settingsOf(row: DestinationRow): Settings {
  return {
    kind: row.kind,
    url: row.url,
    secret: row.secret,
    batchSize: row.batch_size,
    identifiers: JSON.parse(row.identifiers) as IdentifierKind[],
    hashing: row.hashing as Settings['hashing'],
  };
}

/** Settings as columns. */
export function columnsOf(s: Settings) {
  return { url: s.url, secret: s.secret, batch_size: s.batchSize, identifiers: JSON.stringify(s.identifiers), hashing: s.hashing };
}
