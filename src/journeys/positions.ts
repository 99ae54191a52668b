/**
 * Where the journeys runner is in each stream it reads (the log, the segment
 * changes, the stage changes), and the write that stores a batch's plans
 * with the stream's new position.
 */
import type { Kysely } from 'kysely';
import type { Store, WriteOptions } from '../store/index.js';
import { journeysDb } from './definitions.js';
import type { Plan } from './plan.js';
import { writePlans, type Sending } from './writer.js';

export const STREAMS = ['log', 'segments', 'stages'] as const;
export type Stream = (typeof STREAMS)[number];
const WRITE: WriteOptions = { lane: 'journeys' };

export function createStreamPositions(deps: { store: Store; sending: Sending; heads: Record<Stream, () => Promise<number>> }) {
  async function position(stream: Stream, within: Kysely<object> = deps.store.db): Promise<number | undefined> {
    const row = await journeysDb(within).selectFrom('journey_positions').select('position').where('stream', '=', stream).executeTakeFirst();
    return row && Number(row.position);
  }

  /** A new store starts at the streams' heads: journeys act on what comes, not on history. */
  async function initPositions(): Promise<void> {
    for (const stream of STREAMS) {
      if ((await position(stream)) !== undefined) continue;
      const head = await deps.heads[stream]();
      await deps.store.write(async (trx) => {
        await journeysDb(trx)
          .insertInto('journey_positions')
          .values({ stream, position: head })
          .onConflict((oc) => oc.column('stream').doNothing())
          .execute();
      }, WRITE);
    }
  }

  /**
   * Where each stream is read up to. A batch with nothing to write moves the
   * position in memory only, and it is stored with the next write (or after
   * a while): reading events no journey wants must not cost the pipeline a
   * write. After a crash those events are read again, to the same effect: none.
   */
  const cursors = new Map<Stream, { stored: number; at: number; savedAt: number }>();
  const SAVE_EVERY = { items: 10_000, ms: 1000 };

  async function readFrom(stream: Stream): Promise<number> {
    let cursor = cursors.get(stream);
    if (!cursor) {
      const stored = (await position(stream)) ?? 0;
      cursor = { stored, at: stored, savedAt: performance.now() };
      cursors.set(stream, cursor);
    }
    return cursor.at;
  }

  /** Writes plans and moves a stream's position in one transaction, unless another runner moved it first. */
  async function commit(stream: Stream | null, to: number, plans: Plan[]): Promise<boolean> {
    const cursor = stream ? cursors.get(stream) : undefined;
    if (cursor && plans.length === 0 && to - cursor.stored < SAVE_EVERY.items && performance.now() - cursor.savedAt < SAVE_EVERY.ms) {
      cursor.at = to;
      return true;
    }
    const saved = await deps.store.write(async (trx) => {
      if (stream && (await position(stream, trx)) !== cursor?.stored) return false;
      await writePlans(deps.store, deps.sending, trx, plans);
      if (stream) await journeysDb(trx).updateTable('journey_positions').set({ position: to }).where('stream', '=', stream).execute();
      return true;
    }, WRITE);
    if (stream && saved) cursors.set(stream, { stored: to, at: to, savedAt: performance.now() });
    // Another runner moved it: read it again next time.
    if (stream && !saved) cursors.delete(stream);
    return saved;
  }

  return {
    prepare: initPositions,
    readFrom,
    commit,
  };
}
