/**
 * Sends queued batches, oldest first and one at a time per destination: a
 * removal must not overtake the addition it undoes, so a batch waiting for
 * its next try holds back the ones behind it. A try claims the batch for a
 * lease (its next_attempt_at moves past the try), so a runner that dies
 * mid-send leaves it to be tried again, under the same id, when the lease
 * runs out. Out of tries, or refused for good, a batch is dead: it is
 * counted and the ones behind it go on.
 */
import type { Selectable } from 'kysely';
import type { DeliveryResponse, DeliveryResult } from '../channels/index.js';
import type { Store } from '../store/index.js';
import { activeWebhooks, type DestinationRow } from './records.js';
import { destinationsDb, type DestinationTables } from './tables.js';

type BatchRow = Selectable<DestinationTables['destination_batches']>;

/** One batch to deliver: a POST of `body` to `url`, signed with `secret`, with `id` as its webhook-id. */
export interface BatchDelivery {
  url: string;
  secret: string;
  id: string;
  /** The JSON text exactly as it must be signed and sent. */
  body: string;
}

export interface DeliveryOptions {
  maxAttempts: number;
  /** The wait after the first failed try; doubled after each further one, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How long a try may take before another runner may take the batch again. */
  leaseMs: number;
  /** Batches sent per destination per step at most. */
  perStep: number;
}

export interface DeliveryDeps {
  store: Store;
  send(delivery: BatchDelivery): Promise<DeliveryResult>;
  options: DeliveryOptions;
}

export const retryDelay = (attempt: number, o: Pick<DeliveryOptions, 'backoffMs' | 'maxBackoffMs'>) =>
  Math.min(o.maxBackoffMs, o.backoffMs * 2 ** Math.max(0, attempt - 1));

/** The wait before the next try: the back-off, or longer when the receiver asked for it (Retry-After). */
function nextWait(attempt: number, result: DeliveryResult, o: DeliveryOptions): number {
  const asked = result.response?.retryAfterMs;
  const backoff = retryDelay(attempt, o);
  return typeof asked === 'number' && Number.isFinite(asked) ? Math.min(o.maxBackoffMs, Math.max(backoff, asked)) : backoff;
}

const cut = (response: DeliveryResponse | undefined) => response && { ...response, body: response.body?.slice(0, 2000) };

export function createDelivery(deps: DeliveryDeps) {
  const db = () => destinationsDb(deps.store.db);

  async function head(destinationId: string): Promise<BatchRow | undefined> {
    return db()
      .selectFrom('destination_batches')
      .selectAll()
      .where('destination_id', '=', destinationId)
      .where('status', '=', 'pending')
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
  }

  /** Takes the batch for a try: false when another runner took it first. */
  async function claim(batch: BatchRow, now: number): Promise<boolean> {
    const result = await deps.store.write((trx) =>
      destinationsDb(trx)
        .updateTable('destination_batches')
        .set({ attempts: batch.attempts + 1, next_attempt_at: now + deps.options.leaseMs, updated_at: now })
        .where('id', '=', batch.id)
        .where('status', '=', 'pending')
        .where('attempts', '=', batch.attempts)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) === 1;
  }

  async function trySend(destination: DestinationRow, batch: BatchRow): Promise<DeliveryResult> {
    try {
      return await deps.send({ url: destination.url!, secret: destination.secret!, id: batch.id, body: batch.body! });
    } catch (error) {
      // send classifies what the receiver did; a throw is a bug on our side, and the batch is kept for another try.
      return { kind: 'retry', reason: `send threw: ${(error as Error).message}` };
    }
  }

  /** Records a try's outcome on the batch and the destination's counts; nothing when the batch was taken over meanwhile. */
  async function settle(batch: BatchRow, attempt: number, result: DeliveryResult, now: number): Promise<'sent' | 'retry' | 'dead'> {
    const outcome = result.kind === 'sent' ? 'sent' : result.kind === 'retry' && attempt < deps.options.maxAttempts ? 'retry' : 'dead';
    const reason = result.kind === 'sent' ? null : result.reason;
    const response = JSON.stringify({ ...(reason !== null && { reason }), ...cut(result.response) });
    await deps.store.write(async (trx) => {
      const updated = await destinationsDb(trx)
        .updateTable('destination_batches')
        .set({
          status: outcome === 'retry' ? 'pending' : outcome,
          next_attempt_at: outcome === 'retry' ? now + nextWait(attempt, result, deps.options) : now,
          response,
          updated_at: now,
          ...(outcome === 'sent' && { body: null }),
        })
        .where('id', '=', batch.id)
        .where('status', '=', 'pending')
        .where('attempts', '=', attempt)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return;
      await destinationsDb(trx)
        .updateTable('destinations')
        .set((eb) =>
          outcome === 'sent'
            ? { added: eb('added', '+', batch.adds), removed: eb('removed', '+', batch.removes), last_sync_at: now }
            : {
                last_error: `batch ${batch.id}, try ${attempt}: ${reason}`,
                last_error_at: now,
                ...(outcome === 'dead' && { failed_batches: eb('failed_batches', '+', 1) }),
              },
        )
        .where('id', '=', batch.destination_id)
        .execute();
    });
    return outcome;
  }

  /** Sends what is due of one destination, in order; stops at a batch that must wait. */
  async function sendFor(destination: DestinationRow, now: number): Promise<number> {
    let sent = 0;
    for (let i = 0; i < deps.options.perStep; i++) {
      const batch = await head(destination.id);
      if (!batch || Number(batch.next_attempt_at) > now || !(await claim(batch, now))) break;
      const outcome = await settle(batch, batch.attempts + 1, await trySend(destination, batch), now);
      if (outcome === 'retry') break;
      if (outcome === 'sent') sent++;
    }
    return sent;
  }

  return {
    /** Sends due batches of every active webhook destination, destinations side by side. */
    async sendDue(now: number): Promise<number> {
      const destinations = await activeWebhooks(deps.store.db);
      const sent = await Promise.all(destinations.map((d) => sendFor(d, now)));
      return sent.reduce((a, b) => a + b, 0);
    },
  };
}
