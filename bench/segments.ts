/**
 * npm run bench:segments — (1) pipeline throughput with 100 live segments
 * beside the same events with none, in the same run; (2) a segment back-fill
 * over BENCH_PROFILES profiles (default 1,000,000) beside one raw scan of the
 * same profiles table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../src/config.js';
import { openTouchpoint, type Touchpoint } from '../src/main.js';
import type { Condition } from '../src/segments/index.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 4_000);
const PROFILES = Number(process.env.BENCH_PROFILES ?? 1_000_000);
const DAY = 86_400_000;

function segmentCondition(i: number): Condition {
  const shapes: Condition[] = [
    { trait: 'tier', op: 'eq', value: ['gold', 'silver', 'bronze'][i % 3] },
    { event: 'Order Completed', atLeast: 1 + (i % 3), withinDays: 30 + i },
    { all: [{ channel: 'store', op: 'used' }, { profile: 'orders.revenue', op: 'gte', value: i * 5 }] },
    { any: [{ stage: ['loyalty', 'advocacy'] }, { event: 'Product Viewed', where: [{ property: 'category', op: 'eq', value: `c${i % 10}` }], withinDays: 14 }] },
    { not: { consent: { channel: 'email', is: 'allowed' } } },
    { channelCount: { op: 'gte', value: 2 } },
    { trait: 'signedUpAt', op: 'within_last_days', value: 10 + i },
  ];
  return shapes[i % shapes.length]!;
}

function eventFor(n: number): { channel: 'web' | 'store'; message: Record<string, unknown> } {
  const p = (n * 7919) % PEOPLE;
  if (n % 5 === 0) return { channel: 'web', message: { type: 'identify', userId: `u${p}`, traits: { tier: ['gold', 'silver', 'bronze'][p % 3], email: `p${p}@example.com`, signedUpAt: new Date(Date.UTC(2026, 10, 1) + p * 1000).toISOString() } } };
  if (n % 5 === 1) return { channel: 'store', message: { type: 'track', userId: `u${p}`, event: 'Order Completed', properties: { total: 10 + (n % 50), revenue: 10 + (n % 50) } } };
  return { channel: 'web', message: { type: 'track', userId: `u${p}`, event: 'Product Viewed', properties: { category: `c${n % 10}` } } };
}

async function open(dir: string, name: string): Promise<Touchpoint> {
  const tp = await openTouchpoint(loadConfig({ TOUCHPOINT_DATABASE_URL: `sqlite:${join(dir, `${name}.db`)}`, TOUCHPOINT_LOG_LEVEL: 'silent' }));
  await tp.lifecycle.prepare();
  return tp;
}

async function pipelineRate(dir: string, segments: number): Promise<number> {
  const tp = await open(dir, `segments-${segments}`);
  for (let i = 0; i < segments; i++) await tp.segments.create({ name: `segment ${i}`, condition: segmentCondition(i) });
  await tp.segments.settle();
  const web = await tp.sources.create({ name: 'web', channel: 'web' });
  const store = await tp.sources.create({ name: 'store', channel: 'store' });
  const events = Array.from({ length: EVENTS }, (_, n) => eventFor(n));
  for (let i = 0; i < events.length; i += 500) {
    const slice = events.slice(i, i + 500);
    await tp.ingest.ingest(web, slice.filter((e) => e.channel === 'web').map((e) => e.message));
    await tp.ingest.ingest(store, slice.filter((e) => e.channel === 'store').map((e) => e.message));
  }
  const started = performance.now();
  await tp.pipeline.drain();
  const seconds = (performance.now() - started) / 1000;
  await tp.close();
  return EVENTS / seconds;
}

async function backfill(dir: string): Promise<{ seconds: number; scanSeconds: number; members: number }> {
  const path = join(dir, 'backfill.db');
  const tp = await openTouchpoint(loadConfig({ TOUCHPOINT_DATABASE_URL: `sqlite:${path}`, TOUCHPOINT_LOG_LEVEL: 'silent' }));
  await tp.close();
  // Profiles written straight into the table: a million through the pipeline would take far longer than the back-fill itself.
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  const insert = raw.prepare('insert into profiles (id, created_at, first_seen, last_seen, event_count, household_id, state) values (?, ?, ?, ?, ?, ?, ?)');
  const now = Date.now();
  raw.transaction(() => {
    for (let i = 0; i < PROFILES; i++) {
      const state = {
        traits: { tier: { value: ['gold', 'silver', 'bronze'][i % 3], at: now, seq: i, sourceId: 'src' }, email: { value: `p${i}@example.com`, at: now, seq: i, sourceId: 'src' } },
        channels: i % 2 ? { web: { first: now - DAY, last: now, events: 3 } } : { web: { first: now - DAY, last: now, events: 3 }, store: { first: now - DAY, last: now, events: 1 } },
        firstTouch: null, firstSeen: now - DAY, lastSeen: now, eventCount: 4, consent: {}, household: null, orders: { count: i % 4, revenue: (i % 4) * 20 },
      };
      insert.run(`prof_${String(i).padStart(8, '0')}`, now, now - DAY, now, 4, null, JSON.stringify(state));
    }
  })();
  const scanStarted = performance.now();
  let scanned = 0;
  for (const row of raw.prepare('select id, state from profiles').iterate() as Iterable<{ state: string }>) {
    if (JSON.parse(row.state).orders.count >= 2) scanned++;
  }
  const scanSeconds = (performance.now() - scanStarted) / 1000;
  raw.close();

  const reopened = await open(dir, 'backfill');
  const started = performance.now();
  const { id } = await reopened.segments.create({ name: 'Gold store buyers', condition: { all: [{ trait: 'tier', op: 'eq', value: 'gold' }, { channel: 'store', op: 'used' }, { profile: 'orders.count', op: 'gte', value: 1 }] } });
  await reopened.segments.settle();
  const seconds = (performance.now() - started) / 1000;
  const members = await reopened.segments.size(id);
  await reopened.close();
  if (scanned === 0) throw new Error('the raw scan found nothing');
  return { seconds, scanSeconds, members };
}

const dir = mkdtempSync(join(tmpdir(), 'touchpoint-bench-segments-'));
try {
  const none = await pipelineRate(dir, 0);
  const hundred = await pipelineRate(dir, 100);
  console.log(`segments benchmark: ${EVENTS.toLocaleString('en')} events of ${PEOPLE.toLocaleString('en')} people through the pipeline (identity, profile, standing), SQLite WAL synchronous=full`);
  console.log(`  with   0 segments   ${Math.round(none).toLocaleString('en')} events/s`);
  console.log(`  with 100 segments   ${Math.round(hundred).toLocaleString('en')} events/s`);
  console.log(`  ratio               ${(hundred / none).toFixed(2)}`);
  const fill = await backfill(dir);
  console.log(`back-fill of one new segment over ${PROFILES.toLocaleString('en')} profiles (lifecycle and every segment re-evaluated per profile):`);
  console.log(`  back-fill           ${fill.seconds.toFixed(1)} s   (${Math.round(PROFILES / fill.seconds).toLocaleString('en')} profiles/s, ${fill.members.toLocaleString('en')} members)`);
  console.log(`  raw scan            ${fill.scanSeconds.toFixed(1)} s   (better-sqlite3, select + JSON.parse of every row)`);
  console.log(`  ratio (scan/back-fill) ${(fill.scanSeconds / fill.seconds).toFixed(3)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
