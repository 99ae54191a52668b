/** The embedded event log: one table, written with group commit. */
import type { Kysely, Selectable } from 'kysely';
import type { Store } from '../store/index.js';
import { createGroupCommit } from './group-commit.js';
import { partitionOf } from './partition.js';
import { countBySource } from './volume.js';
import type { LogTables } from './tables.js';
import type { AppendOutcome, EventFilter, EventLog, LoggedEvent, NewEvent } from './types.js';

export interface SqlLogOptions {
  partitions: number;
  /** Most events in one commit. */
  groupCommitMaxEvents: number;
  /** Called after each commit with the number of events it held. */
  onCommit?: (events: number) => void;
}

export function createSqlEventLog(store: Store, options: SqlLogOptions): EventLog {
  const db = store.db.withTables<LogTables>();
  let closed = false;
  const listeners = new Set<() => void>();

  const commits = createGroupCommit<NewEvent, AppendOutcome>(
    async (events) => {
      const outcomes = await store.write((trx) => writeEvents(store, trx, events, options.partitions), 'event_log');
      options.onCommit?.(events.length);
      for (const listener of listeners) listener();
      return outcomes;
    },
    { maxItems: options.groupCommitMaxEvents },
  );

  return {
    partitions: options.partitions,
    append(events) {
      if (closed) return Promise.reject(new Error('The event log is closed.'));
      return commits.submit(events);
    },
    async read(partition, after, limit) {
      const rows = await db
        .selectFrom('event_log')
        .selectAll()
        .where('partition', '=', partition)
        .where('seq', '>', after)
        .orderBy('seq', 'asc')
        .limit(limit)
        .execute();
      return rows.map(toLoggedEvent);
    },
    async readAll(after, limit) {
      const rows = await db.selectFrom('event_log').selectAll().where('seq', '>', after).orderBy('seq', 'asc').limit(limit).execute();
      return rows.map(toLoggedEvent);
    },
    async readNamed(after, upTo, names, limit) {
      if (names.length === 0 || upTo <= after) return [];
      const rows = await db
        .selectFrom('event_log')
        .selectAll()
        .where('seq', '>', after)
        .where('seq', '<=', upTo)
        .where('type', '=', 'track')
        .where('event', 'in', [...names])
        .orderBy('seq', 'asc')
        .limit(limit)
        .execute();
      return rows.map(toLoggedEvent);
    },
    async get(seqs) {
      const rows: Selectable<LogTables['event_log']>[] = [];
      for (let i = 0; i < seqs.length; i += 500) {
        rows.push(
          ...(await db
            .selectFrom('event_log')
            .selectAll()
            .where('seq', 'in', seqs.slice(i, i + 500))
            .execute()),
        );
      }
      return rows.sort((a, b) => a.seq - b.seq).map(toLoggedEvent);
    },
    async head() {
      const row = await db
        .selectFrom('event_log')
        .select((eb) => eb.fn.max('seq').as('head'))
        .executeTakeFirst();
      return Number(row?.head ?? 0);
    },
    lastGiven: () => store.dialect.sequenceHead(store.db, 'event_log', 'seq'),
    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async eraseSource(sourceId) {
      const result = await store.write(
        (trx) => trx.withTables<LogTables>().deleteFrom('event_log').where('source_id', '=', sourceId).executeTakeFirst(),
        'event_log',
      );
      return Number(result.numDeletedRows);
    },
    erase: (seqs) => store.write((trx) => store.bulk.deleteIn(trx, 'event_log', 'seq', seqs), 'event_log'),
    countBySource: (edges, sourceIds) => countBySource(db, edges, sourceIds),
    async query(filter: EventFilter) {
      let query = db.selectFrom('event_log').selectAll();
      if (filter.sourceId !== undefined) query = query.where('source_id', '=', filter.sourceId);
      if (filter.excludeSourceIds?.length) query = query.where('source_id', 'not in', filter.excludeSourceIds);
      if (filter.type !== undefined) query = query.where('type', '=', filter.type);
      if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      if (filter.anonymousId !== undefined) query = query.where('anonymous_id', '=', filter.anonymousId);
      if (filter.before !== undefined) query = query.where('seq', '<', filter.before);
      const rows = await query.orderBy('seq', 'desc').limit(filter.limit).execute();
      return rows.map(toLoggedEvent);
    },
    async close() {
      closed = true;
      await commits.drain();
    },
  };
}

const COLUMNS = ['partition', 'source_id', 'message_id', 'type', 'event', 'channel', 'user_id', 'anonymous_id', 'timestamp', 'received_at', 'payload'] as const;

async function writeEvents(store: Store, trx: Kysely<object>, events: NewEvent[], partitions: number): Promise<AppendOutcome[]> {
  const rows = events.map((e) => {
    const r = toRow(e, partitions);
    return [r.partition, r.source_id, r.message_id, r.type, r.event, r.channel, r.user_id, r.anonymous_id, r.timestamp, r.received_at, r.payload];
  });
  const inserted = (await store.bulk.insert(trx, 'event_log', COLUMNS, rows, {
    conflict: { target: ['source_id', 'message_id'] },
    returning: ['seq', 'source_id', 'message_id'],
  })) as { seq: number; source_id: string; message_id: string }[];
  const stored = new Map<string, number>();
  for (const row of inserted) stored.set(dedupeKey(row.source_id, row.message_id), Number(row.seq));
  // The first occurrence of a key claims the stored row; later ones in the same commit are duplicates.
  return events.map((event) => {
    const key = dedupeKey(event.sourceId, event.messageId);
    const seq = stored.get(key);
    if (seq === undefined) return { status: 'duplicate' };
    stored.delete(key);
    return { status: 'stored', seq };
  });
}

function dedupeKey(sourceId: string, messageId: string): string {
  return `${sourceId}\u0000${messageId}`;
}

function toRow(event: NewEvent, partitions: number) {
  return {
    partition: partitionOf(event.partitionKey, partitions),
    source_id: event.sourceId,
    message_id: event.messageId,
    type: event.type,
    event: event.event,
    channel: event.channel,
    user_id: event.userId,
    anonymous_id: event.anonymousId,
    timestamp: event.timestamp,
    received_at: event.receivedAt,
    payload: event.payload,
  };
}

function toLoggedEvent(row: Selectable<LogTables['event_log']>): LoggedEvent {
  return {
    seq: row.seq,
    partition: row.partition,
    sourceId: row.source_id,
    messageId: row.message_id,
    type: row.type,
    event: row.event,
    channel: row.channel,
    userId: row.user_id,
    anonymousId: row.anonymous_id,
    timestamp: row.timestamp,
    receivedAt: row.received_at,
    payload: row.payload,
  };
}
