/**
 * The transactional outbox: events Touchpoint derives while processing (stage
 * changes) are written in the batch's transaction and appended to the log
 * after it commits. Appending twice is harmless (the log drops a repeated
 * messageId), so a crash between the two steps loses nothing and repeats nothing.
 */
import type { Kysely } from 'kysely';
import type { EventLog, NewEvent } from '../log/index.js';
import type { Store } from '../store/index.js';
import type { DerivedEvent } from './stage.js';
import type { PipelineTables } from './tables.js';

const RELAY_BATCH = 1000;

export async function writeOutbox(store: Store, trx: Kysely<object>, events: readonly DerivedEvent[]): Promise<void> {
  if (events.length > 0) await store.bulk.insert(trx, 'pipeline_outbox', ['event'], events.map((e) => [JSON.stringify(e)]));
}

export function createOutboxRelay(deps: { store: Store; log: EventLog; sourceId: string; now(): number }) {
  const table = deps.store.db.withTables<PipelineTables>();
  let running: Promise<number> | undefined;

  async function relayAll(): Promise<number> {
    let relayed = 0;
    for (;;) {
      const rows = await table.selectFrom('pipeline_outbox').selectAll().orderBy('id').limit(RELAY_BATCH).execute();
      if (rows.length === 0) return relayed;
      const receivedAt = deps.now();
      await deps.log.append(rows.map((r) => toLogEvent(JSON.parse(r.event) as DerivedEvent, deps.sourceId, receivedAt)));
      await deps.store.write((trx) => trx.withTables<PipelineTables>().deleteFrom('pipeline_outbox').where('id', '<=', rows[rows.length - 1]!.id).execute());
      relayed += rows.length;
    }
  }

  return {
    /** Appends what the outbox holds to the log; one relay at a time. */
    relay(): Promise<number> {
      running ??= relayAll().finally(() => (running = undefined));
      return running;
    },
  };
}

/** A derived event as the log stores it: a track event of the internal source that names its profile. */
export function toLogEvent(event: DerivedEvent, sourceId: string, receivedAt: number): NewEvent {
  const message = {
    type: 'track', event: event.event, messageId: event.key, properties: event.properties,
    context: { touchpoint: { internal: true, profileId: event.profileId } },
    timestamp: new Date(event.at).toISOString(), receivedAt: new Date(receivedAt).toISOString(),
  };
  return {
    sourceId, messageId: event.key, type: 'track', event: event.event, channel: 'other', userId: null, anonymousId: null,
    timestamp: event.at, receivedAt, partitionKey: event.profileId, payload: JSON.stringify(message),
  };
}
