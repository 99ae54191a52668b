/**
 * Consumer positions: where a consumer stands in the log. A consumer saves its
 * position with the same transaction as its effects, so a crash neither skips
 * nor repeats an effect.
 */
import type { Kysely } from 'kysely';
import type { PipelineTables } from './tables.js';

export interface Position {
  seq: number;
  /** The furthest the consumer has been. */
  highWater: number;
}

const table = (db: Kysely<object>) => db.withTables<PipelineTables>();

export async function loadPosition(db: Kysely<object>, consumer: string, partition: number): Promise<Position> {
  const row = await table(db)
    .selectFrom('consumer_positions')
    .select(['seq', 'high_water'])
    .where('consumer', '=', consumer)
    .where('partition', '=', partition)
    .executeTakeFirst();
  return { seq: row?.seq ?? 0, highWater: row?.high_water ?? 0 };
}

/** Moves the position (back too, for a replay); the high-water mark only rises, unless `reset`. */
export async function savePosition(db: Kysely<object>, consumer: string, partition: number, seq: number, options: { reset?: boolean } = {}): Promise<void> {
  const current = await loadPosition(db, consumer, partition);
  const highWater = options.reset ? seq : Math.max(current.highWater, seq);
  await table(db)
    .insertInto('consumer_positions')
    .values({ consumer, partition, seq, high_water: highWater })
    .onConflict((oc) => oc.columns(['consumer', 'partition']).doUpdateSet({ seq, high_water: highWater }))
    .execute();
}
