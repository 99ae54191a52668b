/**
 * npm run bench:ingest — events/s through POST /v1/batch (100 events a request,
 * concurrent clients in a worker thread) on the embedded store, beside raw
 * better-sqlite3 inserting the same rows in 100-row transactions into the same
 * table with the same pragmas. Prints both, their ratio and ack latency.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { loadConfig } from '../src/config.js';
import { normalizeMessage } from '../src/collect/index.js';
import { partitionOf } from '../src/log/index.js';
import { createServer, openTouchpoint } from '../src/main.js';
import { logFileOf } from '../src/store/index.js';
import { benchMessage, percentile } from './events.js';

const BATCH = 100;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 600);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function throughTouchpoint(dir: string, synchronous: 'full' | 'normal', pipeline: boolean) {
  const config = loadConfig({
    TOUCHPOINT_DATABASE_URL: `sqlite:${join(dir, `tp-${synchronous}-${pipeline}.db`)}`,
    TOUCHPOINT_SQLITE_SYNCHRONOUS: synchronous,
    TOUCHPOINT_LOG_LEVEL: 'silent',
  });
  const server = await createServer(config, { startPipeline: pipeline });
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const { id: sourceId, writeKey } = await server.touchpoint.sources.create({ name: 'bench', channel: 'web' });
  const result = await new Promise<{ seconds: number; latencies: number[] }>((resolve, reject) => {
    const worker = new Worker(new URL('./ingest-client.js', import.meta.url), {
      workerData: { url, writeKey, requests: REQUESTS, concurrency: CONCURRENCY, batchSize: BATCH, run: `http-${synchronous}-${pipeline}` },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const counted = await server.touchpoint.logStore.db
    .withTables<{ event_log: { source_id: string } }>()
    .selectFrom('event_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  const stored = Number(counted?.n ?? 0);
  const lag = (await server.touchpoint.pipeline.status()).lagEvents;
  await server.close();
  if (stored !== REQUESTS * BATCH) throw new Error(`expected ${REQUESTS * BATCH} stored events, found ${stored}`);
  const sorted = result.latencies.sort((a, b) => a - b);
  return { eventsPerSecond: (REQUESTS * BATCH) / result.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), lag };
}

/** The same rows, the same table (made by Touchpoint's migrations), the same pragmas, no HTTP and no Kysely. */
async function rawBetterSqlite(dir: string, synchronous: 'full' | 'normal') {
  const path = join(dir, `raw-${synchronous}.db`);
  const tp = await openTouchpoint(loadConfig({ TOUCHPOINT_DATABASE_URL: `sqlite:${path}` }));
  await tp.close();
  const db = new Database(logFileOf(path));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  const insert =
    db.prepare(`insert into event_log (partition, source_id, message_id, type, event, channel, user_id, anonymous_id, timestamp, received_at, payload)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const ctx = { receivedAt: Date.now(), sourceChannel: 'web' as const, maxMessageBytes: 32768, newMessageId: () => 'x' };
  const rows = Array.from({ length: REQUESTS * BATCH }, (_, n) => {
    const m = normalizeMessage(benchMessage(`raw-${synchronous}`, n), ctx);
    if (!m.ok) throw new Error(m.message);
    const v = m.value;
    return [partitionOf(v.userId!, 16), 'src_bench', v.messageId, v.type, v.event, v.channel, v.userId, v.anonymousId, v.timestamp, v.receivedAt, v.payload];
  });
  const insertBatch = db.transaction((batch: unknown[][]) => {
    for (const row of batch) insert.run(...row);
  });
  const started = performance.now();
  for (let r = 0; r < REQUESTS; r++) insertBatch(rows.slice(r * BATCH, (r + 1) * BATCH));
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { eventsPerSecond: rows.length / seconds };
}

const dir = mkdtempSync(join(tmpdir(), 'touchpoint-bench-'));
try {
  console.log(`ingest benchmark: ${REQUESTS} requests x ${BATCH} events, ${CONCURRENCY} concurrent clients, SQLite WAL`);
  for (const synchronous of ['full', 'normal'] as const) {
    const raw = await rawBetterSqlite(dir, synchronous);
    const ingestOnly = await throughTouchpoint(dir, synchronous, false);
    const withPipeline = await throughTouchpoint(dir, synchronous, true);
    const line = (label: string, r: typeof ingestOnly) =>
      `  ${label.padEnd(34)} ${Math.round(r.eventsPerSecond).toLocaleString('en').padStart(7)} events/s   ratio ${(r.eventsPerSecond / raw.eventsPerSecond).toFixed(2)}   ack p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms`;
    console.log(`synchronous=${synchronous}${synchronous === 'full' ? ' (default)' : ''}:`);
    console.log(`  ${'raw better-sqlite3 (100-row txns)'.padEnd(34)} ${Math.round(raw.eventsPerSecond).toLocaleString('en').padStart(7)} events/s`);
    console.log(line('/v1/batch, ingestion only', ingestOnly));
    console.log(`${line('/v1/batch, pipeline running too', withPipeline)}   (pipeline ${withPipeline.lag} events behind at the end)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
