/**
 * npm run bench:reports — how fast are reports over a big brand? On SQLite
 * (or PostgreSQL when TOUCHPOINT_TEST_DATABASE_URL is set): BENCH_CUSTOMERS
 * customers (default 1,000,000) with BENCH_EVENTS events (default
 * 10,000,000 on average) in the profiles' timelines — product views on the web and the
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
import { seededRandom } from '../src/random.js';
import { freshStore, rate, removeStores, storeKind } from './lib/stores.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T00:00:00Z');
const CATEGORIES = ['Shoes', 'Apparel', 'Watches', 'Nutrition', 'Bikes'];
const COLUMNS = ['seq', 'profile_id', 'origin_profile_id', 'timestamp', 'channel', 'type', 'event', 'source_id', 'properties', 'campaign'];

/** A customer's event, by its place in a visit of three (a view, then maybe a cart, then maybe an order): channel, type, name, properties, campaign. */
function eventOf(rand: () => number, customer: number, step: number): [string, string, string | null, string | null, string | null] {
  const category = CATEGORIES[customer % CATEGORIES.length]!;
  const product = `${category}-${Math.floor(rand() * 20)}`;
  const online = customer % 3 === 0 ? 'app' : 'web';
  const roll = rand();
  const item = JSON.stringify({ product_id: product, category, price: 40 });
  if (step === 0) return roll < 0.8 ? [online, 'track', 'Product Viewed', item, customer % 7 === 0 ? 'spring' : null] : [online, 'page', 'Home', null, null];
  if (step === 1) return roll < 0.5 ? [online, 'track', 'Added to Cart', item, null] : ['email', 'track', 'Email Link Clicked', null, null];
  if (roll < 0.3) {
    const order = JSON.stringify({ revenue: 80, products: [{ product_id: product, category, price: 40, quantity: 2 }] });
    return [roll < 0.2 ? online : 'store', 'track', 'Order Completed', order, null];
  }
  return [online, 'track', 'Product Viewed', item, null];
}

/** A customer's number of events (1 to twice the average), from their number alone. */
const countOf = (customer: number) => Math.max(1, Math.round((EVENTS / CUSTOMERS) * 2 * seededRandom(customer * 7 + 1)()));

/** A customer's k-th event as a timeline row: times spread over the year in order, the rest drawn from (customer, k). */
function rowOf(customer: number, k: number, count: number, seq: number): unknown[] {
  const rand = seededRandom(customer * 131 + k * 7919 + 3);
  const profile = `p${String(customer).padStart(8, '0')}`;
  // Visits of three events ten minutes apart, spread over the year.
  const visits = Math.ceil(count / 3);
  const slot = (365 * DAY) / visits;
  const visit = Math.floor(k / 3);
  const start = seededRandom(customer * 104_729 + visit * 31 + 5)();
  const at = NOW - 365 * DAY + Math.floor(visit * slot + start * Math.max(0, slot - 3_600_000)) + (k % 3) * 600_000;
  const e = eventOf(rand, customer, k % 3);
  return [seq, profile, profile, at, e[0], e[1], e[2], `src_${e[0]}`, e[3], e[4]];
}

/**
 * The brand's events as timeline rows, a batch at a time, in the order the
 * store ends up keeping them: on PostgreSQL rows stay where they were
 * written, so they come as a log gives them, every customer's events far
 * apart (the k-th event of every customer, then the (k+1)-th...); SQLite
 * keeps the timeline in key order whatever the order of writing, so they
 * come customer by customer, which loads faster. The same rows either way.
 */
function* timelineRows(batch: number, interleaved: boolean): Generator<unknown[][]> {
  const counts = Int32Array.from({ length: CUSTOMERS }, (_, c) => countOf(c));
  const most = counts.reduce((m, n) => Math.max(m, n), 0);
  let rows: unknown[][] = [];
  let seq = 0;
  const emit = function* (customer: number, k: number) {
    rows.push(rowOf(customer, k, counts[customer]!, ++seq));
    if (rows.length === batch) {
      yield rows;
      rows = [];
    }
  };
  if (interleaved) {
    for (let k = 0; k < most; k++) for (let c = 0; c < CUSTOMERS; c++) if (k < counts[c]!) yield* emit(c, k);
  } else {
    for (let c = 0; c < CUSTOMERS; c++) for (let k = 0; k < counts[c]!; k++) yield* emit(c, k);
  }
  if (rows.length) yield rows;
}

async function load(tp: Touchpoint): Promise<number> {
  const started = performance.now();
  let written = 0;
  for (const rows of timelineRows(5_000, storeKind() === 'postgres')) {
    await tp.store.db.transaction().execute((trx) => tp.store.bulk.insert(trx, 'profile_events', COLUMNS, rows));
    written += rows.length;
    if (written % 1_000_000 < rows.length) process.stderr.write(`  loaded ${rate(written)} events (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  }
  return written;
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
    console.log(`bench:reports on ${kind}: ${rate(CUSTOMERS)} customers, about ${rate(EVENTS)} events`);
    const loaded = await load(tp);
    console.log(`loaded ${rate(loaded)} events into the timeline (${kind === 'postgres' ? 'as a log writes them' : 'in key order'})`);
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
