/**
 * The baseline for acknowledgements: the same event-log rows written by the
 * database driver alone, as multi-row INSERTs of `batch` rows, each committed
 * (SQLite: one writer, synchronous=full as the server; PostgreSQL: `writers`
 * connections at once). No HTTP, no validation, no Kysely.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { normalizeMessage } from '../../src/collect/index.js';
import { partitionOf } from '../../src/log/index.js';
import { openTouchpoint } from '../../src/main.js';
import { logFileOf } from '../../src/store/index.js';
import { sessionEvent } from '../workload.js';
import { freshStore } from './stores.js';

const COLUMNS = ['partition', 'source_id', 'message_id', 'type', 'event', 'channel', 'user_id', 'anonymous_id', 'timestamp', 'received_at', 'payload'];

function rows(count: number): unknown[][] {
  const ctx = { receivedAt: Date.now(), sourceChannel: 'web' as const, maxMessageBytes: 32768, newMessageId: () => 'x' };
  return Array.from({ length: count }, (_, n) => {
    const m = normalizeMessage(sessionEvent({ people: 4000, run: 'raw' }, n, Date.now() - 3_600_000 + n), ctx);
    if (!m.ok) throw new Error(m.message);
    const v = m.value;
    return [
      partitionOf(v.userId ?? v.anonymousId!, 16),
      'src_bench',
      v.messageId,
      v.type,
      v.event,
      v.channel,
      v.userId,
      v.anonymousId,
      v.timestamp,
      v.receivedAt,
      v.payload,
    ];
  });
}

export async function rawInsertRate(kind: 'sqlite' | 'postgres', count: number, batch: number, writers: number): Promise<number> {
  const store = await freshStore('raw');
  await (await openTouchpoint(loadConfig({ TOUCHPOINT_DATABASE_URL: store.url, TOUCHPOINT_LOG_LEVEL: 'silent' }))).close();
  const data = rows(count);
  const chunks = Array.from({ length: Math.ceil(count / batch) }, (_, i) => data.slice(i * batch, (i + 1) * batch));
  let seconds: number;
  if (kind === 'sqlite') {
    const db = new Database(logFileOf(store.where));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const marks = `(${COLUMNS.map(() => '?').join(', ')})`;
    const insert = db.prepare(`insert into event_log (${COLUMNS.join(', ')}) values ${Array.from({ length: batch }, () => marks).join(', ')}`);
    const started = performance.now();
    for (const chunk of chunks) insert.run(chunk.flat());
    seconds = (performance.now() - started) / 1000;
    db.close();
  } else {
    const pool = new pg.Pool({ connectionString: store.url, max: writers });
    const sql = (n: number) =>
      `insert into event_log (${COLUMNS.join(', ')}) values ${Array.from({ length: n }, (_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`).join(', ')}`;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < chunks.length) {
          const chunk = chunks[next++]!;
          await pool.query(sql(chunk.length), chunk.flat());
        }
      }),
    );
    seconds = (performance.now() - started) / 1000;
    await pool.end();
  }
  await store.cleanup();
  return count / seconds;
}
