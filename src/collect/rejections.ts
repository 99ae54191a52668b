/**
 * The tracking API's recent refusals per source, for the console's Sources
 * page: the last few messages each source had refused and why. Bounded: a
 * source keeps its latest KEEP refusals, older ones are deleted as new ones
 * come. Only refused requests write here; accepted ones never touch it.
 */
import type { Clock } from '../clock.js';
import type { Store } from '../store/index.js';
import type { Rejection } from './ingest.js';
import type { CollectTables } from './tables.js';

/** Refusals kept per source. */
export const KEEP = 100;

export interface SourceRejection {
  at: number;
  code: string;
  message: string;
  /** The message's place in its batch (0 for single-message requests). */
  index: number;
}

export interface SourceRejections {
  record(sourceId: string, rejected: readonly Rejection[]): Promise<void>;
  /** Newest first. */
  recent(sourceId: string, limit: number): Promise<SourceRejection[]>;
}

export function createSourceRejections(store: Store, clock: Clock): SourceRejections {
  return {
    async record(sourceId, rejected) {
      if (rejected.length === 0) return;
      const at = clock.now();
      // A huge batch of bad messages keeps its first KEEP refusals: they say as much as all of them.
      const rows = rejected.slice(0, KEEP).map((r) => [sourceId, at, r.code, r.message.slice(0, 1000), r.index]);
      await store.write(async (trx) => {
        const db = trx.withTables<CollectTables>();
        await store.bulk.insert(trx, 'source_rejections', ['source_id', 'at', 'code', 'message', 'message_index'], rows);
        const edge = await db
          .selectFrom('source_rejections')
          .select('id')
          .where('source_id', '=', sourceId)
          .orderBy('id', 'desc')
          .offset(KEEP)
          .limit(1)
          .executeTakeFirst();
        if (edge) await db.deleteFrom('source_rejections').where('source_id', '=', sourceId).where('id', '<=', edge.id).execute();
      });
    },
    async recent(sourceId, limit) {
      const rows = await store.db
        .withTables<CollectTables>()
        .selectFrom('source_rejections')
        .select(['at', 'code', 'message', 'message_index'])
        .where('source_id', '=', sourceId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ at: Number(r.at), code: r.code, message: r.message, index: r.message_index }));
    },
  };
}
