/**
 * The transactional outbox: events Touchpoint derives while processing (stage
 * changes) are written in the batch's transaction and appended to the log
 * after it commits, a few batches' worth at a time. Relayed rows are deleted
 * in a later batch's transaction. Appending twice is harmless (the log drops
 * a repeated messageId), so a crash in between loses nothing and repeats nothing.
 */
import type { Kysely } from 'kysely';
import type { EventLog, NewEvent } from '../log/index.js';
import type { Store } from '../store/index.js';
import type { DerivedEvent } from './stage.js';
import type { PipelineTables } from './tables.js';

const RELAY_BATCH = 1000;
/** Derived events wait at most this long, or until this many are waiting, before they are appended. */
const RELAY_EVERY_MS = 250;
const RELAY_AT = 2000;

export async function writeOutbox(store: Store, trx: Kysely<object>, events: readonly DerivedEvent[]): Promise<void> {
  if (events.length > 0)
    await store.bulk.insert(
      trx,
      'pipeline_outbox',
      ['event'],
      events.map((e) => [JSON.stringify(e)]),
    );
}

export function createOutboxRelay(deps: { store: Store; log: EventLog; sourceId: string; now(): number }) {
  const table = deps.store.db.withTables<PipelineTables>();
  let running: Promise<number> | undefined;
  /** Rows up to this id are in the log; a later write deletes them. */
  let relayed = 0;
  let deleted = 0;
  let waiting = 0;
  let last = 0;

  async function relayAll(): Promise<number> {
    let count = 0;
    for (;;) {
      const rows = await table.selectFrom('pipeline_outbox').selectAll().where('id', '>', relayed).orderBy('id').limit(RELAY_BATCH).execute();
      if (rows.length === 0) break;
      const receivedAt = deps.now();
      await deps.log.append(rows.map((r) => toLogEvent(JSON.parse(r.event) as DerivedEvent, deps.sourceId, receivedAt)));
      relayed = rows[rows.length - 1]!.id;
      count += rows.length;
    }
    waiting = 0;
    last = deps.now();
    return count;
  }

  const relay = (): Promise<number> => {
    running ??= relayAll().finally(() => (running = undefined));
    return running;
  };

  return {
    /** Appends what the outbox holds to the log now; one relay at a time. */
    relay,
    /**
     * After a batch that derived `count` events: relays when enough wait or
     * they have waited long enough, by the injected clock (a generation on a
     * manual clock relays at the same places in the log every time).
     */
    async derived(count: number): Promise<void> {
      waiting += count;
      if (waiting >= RELAY_AT || (waiting > 0 && deps.now() - last >= RELAY_EVERY_MS)) await relay();
    },
    /** Whether derived events wait to be relayed. */
    pending: () => waiting > 0,
    /** Deletes the rows already in the log, in a write of the caller's. */
    async prune(trx: Kysely<object>): Promise<void> {
      if (relayed <= deleted) return;
      await trx.withTables<PipelineTables>().deleteFrom('pipeline_outbox').where('id', '<=', relayed).execute();
      deleted = relayed;
    },
  };
}

export type OutboxRelay = ReturnType<typeof createOutboxRelay>;

/** A derived event as the log stores it: a track event of the internal source that names its profile. */
export function toLogEvent(event: DerivedEvent, sourceId: string, receivedAt: number): NewEvent {
  const message = {
    type: 'track',
    event: event.event,
    messageId: event.key,
    properties: event.properties,
    context: { touchpoint: { internal: true, profileId: event.profileId } },
    timestamp: new Date(event.at).toISOString(),
    receivedAt: new Date(receivedAt).toISOString(),
  };
  return {
    sourceId,
    messageId: event.key,
    type: 'track',
    event: event.event,
    channel: 'other',
    userId: null,
    anonymousId: null,
    timestamp: event.at,
    receivedAt,
    partitionKey: event.profileId,
    payload: JSON.stringify(message),
  };
}
