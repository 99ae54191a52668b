/**
 * npm run bench:reports — how fast are reports over a big brand? On SQLite
 * (or PostgreSQL when TOUCHPOINT_TEST_DATABASE_URL is set): BENCH_CUSTOMERS
 * customers (default 1,000,000) with BENCH_EVENTS events (default
 * 10,000,000) in the profiles' timelines — product views on the web and the
 * app, carts, orders online and in stores, email clicks — written straight
 * into the timeline table as the profile stage writes it (the pipeline's
 * own speed is bench:pipeline's). Then, timed in the same run: one raw scan
 * of that table (every row and column read, in its stored order, nothing
 * computed), a 3-step funnel and the cross-channel report.
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { openTouchpoint, type Touchpoint } from '../src/main.js';
import { rawTimelineScan } from '../src/profiles/index.js';
import { freshStore, rate, removeStores, storeKind } from './lib/stores.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T00:00:00Z');
const CATEGORIES = ['Shoes', 'Apparel', 'Watches', 'Nutrition', 'Bikes'];
const COLUMNS = ['seq', 'profile_id', 'origin_profile_id', 'timestamp', 'channel', 'type', 'event', 'source_id', 'properties', 'campaign'];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One event of a customer: its channel, type, name, properties and campaign. */
function eventOf(rand: () => number, customer: number): [string, string, string | null, string | null, string | null] {
  const category = CATEGORIES[customer % CATEGORIES.length]!;
  const product = `${category}-${Math.floor(rand() * 20)}`;
  const online = customer % 3 === 0 ? 'app' : 'web';
  const roll = rand();
  if (roll < 0.55)
    return [online, 'track', 'Product Viewed', JSON.stringify({ product_id: product, category, price: 40 }), customer % 7 === 0 ? 'spring' : null];
  if (roll < 0.7) return [online, 'page', 'Home', null, null];
  if (roll < 0.82) return [online, 'track', 'Added to Cart', JSON.stringify({ product_id: product, category, price: 40 }), null];
  if (roll < 0.9) {
    const order = JSON.stringify({ revenue: 80, products: [{ product_id: product, category, price: 40, quantity: 2 }] });
    return [roll < 0.86 ? online : 'store', 'track', 'Order Completed', order, null];
  }
  return ['email', 'track', 'Email Link Clicked', null, null];
}

/**
 * The brand's events as timeline rows, customer after customer (a customer's
 * events at random times of the year; seq as the log gave them), a batch at a
 * time. Written in the table's own order: loading is not what is measured.
 */
function* timelineRows(batch: number): Generator<unknown[][]> {
  const rand = random(11);
  let rows: unknown[][] = [];
  let seq = 0;
  const perCustomer = EVENTS / CUSTOMERS;
  for (let customer = 0; customer < CUSTOMERS; customer++) {
    const profile = `p${String(customer).padStart(8, '0')}`;
    const count = Math.max(1, Math.round(perCustomer * 2 * rand()));
    const times = Array.from({ length: count }, () => NOW - 365 * DAY + Math.floor(rand() * 365 * DAY)).sort((a, b) => a - b);
    for (const at of times) {
      if (seq >= EVENTS) break;
      const e = eventOf(rand, customer);
      rows.push([++seq, profile, profile, at, e[0], e[1], e[2], `src_${e[0]}`, e[3], e[4]]);
      if (rows.length === batch) {
        yield rows;
        rows = [];
      }
    }
  }
  if (rows.length) yield rows;
}

async function load(tp: Touchpoint): Promise<void> {
  const started = performance.now();
  let written = 0;
  for (const rows of timelineRows(5_000)) {
    await tp.store.db.transaction().execute((trx) => tp.store.bulk.insert(trx, 'profile_events', COLUMNS, rows));
    written += rows.length;
    if (written % 1_000_000 === 0) process.stderr.write(`  loaded ${rate(written)} events (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  }
}

async function timed<T>(name: string, work: () => Promise<T>): Promise<{ name: string; seconds: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { name, seconds: (performance.now() - started) / 1000, result };
}

async function main(): Promise<void> {
  const kind = storeKind();
  const store = await freshStore('reports');
  const tp = await openTouchpoint(loadConfig({ TOUCHPOINT_DATABASE_URL: store.url, TOUCHPOINT_SQLITE_SYNCHRONOUS: 'normal' }), {
    clock: { now: () => NOW } as never,
  });
  try {
    console.log(`bench:reports on ${kind}: ${rate(CUSTOMERS)} customers, ${rate(EVENTS)} events`);
    await load(tp);
    const rawScan = () => rawTimelineScan(tp.store.db, () => {});
    await rawScan(); // warm-up: every run below reads a table already in the cache
    const raw = await timed('raw scan', async () => {
      let rows = 0;
      await rawTimelineScan(tp.store.db, (n) => {
        rows += n;
      });
      return rows;
    });
    const period = { from: new Date(NOW - 365 * DAY).toISOString(), to: new Date(NOW).toISOString() };
    const funnel = await timed('funnel (3 steps)', () =>
      tp.analytics.run('funnel', { ...period, steps: 'Product Viewed > Added to Cart > Order Completed', window: '7d' }),
    );
    const cross = await timed('cross-channel', () => tp.analytics.run('cross-channel', period));
    const again = await timed('raw scan', rawScan);
    const baseline = (raw.seconds + again.seconds) / 2;
    console.log(
      `raw scan: ${rate(raw.result)} rows in ${raw.seconds.toFixed(2)} s and ${again.seconds.toFixed(2)} s (before and after the reports; baseline ${baseline.toFixed(2)} s)`,
    );
    for (const r of [funnel, cross]) {
      console.log(`${r.name}: ${r.seconds.toFixed(2)} s, ${(r.seconds / baseline).toFixed(2)}x the raw scan (aim: within 2x)`);
    }
    const steps = funnel.result.tables[0]!.rows.map((r) => r.customers);
    const counts = cross.result.tables[0]!.rows.map((r) => `${r.channels}: ${r.customers}`);
    console.log(`funnel customers per step: ${steps.join(' > ')}; customers by channels used: ${counts.join(', ')}`);
  } finally {
    await tp.close();
    if (!process.env.BENCH_KEEP) {
      await store.cleanup();
      removeStores();
    } else console.log(`kept: ${store.url}`);
  }
}

await main();
