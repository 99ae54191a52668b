/**
 * Consumer positions: where each consumer stands in each partition. A consumer
 * saves its position with the same transaction handle as its effects, so a
 * crash neither skips nor repeats an effect.
 */
import type { Kysely } from 'kysely';
import type { LogTables } from './tables.js';

export async function loadPositions(db: Kysely<object>, consumer: string): Promise<Map<number, number>> {
  const rows = await db
    .withTables<LogTables>()
    .selectFrom('log_positions')
    .select(['partition', 'seq'])
    .where('consumer', '=', consumer)
    .execute();
  return new Map(rows.map((r) => [r.partition, r.seq]));
}

export async function savePosition(db: Kysely<object>, consumer: string, partition: number, seq: number): Promise<void> {
  await db
    .withTables<LogTables>()
    .insertInto('log_positions')
    .values({ consumer, partition, seq })
    .onConflict((oc) => oc.columns(['consumer', 'partition']).doUpdateSet({ seq }))
    .execute();
}
