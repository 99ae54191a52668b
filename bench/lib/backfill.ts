/**
 * Back-fill of one new segment over many profiles, beside one raw scan of the
 * same profiles table (select + JSON.parse of every row) in the same run.
 * The profiles are written straight into the table with SQL: a million
 * through the pipeline would take far longer than the back-fill itself.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { openTouchpoint } from '../../src/main.js';
import type { BenchStore } from './stores.js';

const CONDITION = {
  all: [
    { trait: 'tier', op: 'eq', value: 'gold' },
    { channel: 'store', op: 'used' },
    { profile: 'orders.count', op: 'gte', value: 1 },
  ],
} as const;

/** The state JSON of profile i, built by the database (tiers, channels and orders vary with i). */
const stateSql = (json: (pairs: string) => string, i: string, now: number) =>
  json(`
  'traits', ${json(`'tier', ${json(`'value', (case ${i} % 3 when 0 then 'gold' when 1 then 'silver' else 'bronze' end), 'at', ${now}, 'seq', ${i}, 'sourceId', 'src'`)},
            'email', ${json(`'value', 'p' || ${i} || '@example.com', 'at', ${now}, 'seq', ${i}, 'sourceId', 'src'`)}`)},
  'channels', (case ${i} % 2 when 1 then ${json(`'web', ${json(`'first', ${now - 86_400_000}, 'last', ${now}, 'events', 3`)}`)}
               else ${json(`'web', ${json(`'first', ${now - 86_400_000}, 'last', ${now}, 'events', 3`)}, 'store', ${json(`'first', ${now - 86_400_000}, 'last', ${now}, 'events', 1`)}`)} end),
  'firstTouch', null, 'firstSeen', ${now - 86_400_000}, 'lastSeen', ${now}, 'eventCount', 4, 'consent', ${json('')}, 'household', null,
  'orders', ${json(`'count', ${i} % 4, 'revenue', (${i} % 4) * 20`)}`);

async function fillSqlite(path: string, count: number, now: number): Promise<number> {
  const db = new Database(path);
  db.exec(`with recursive n(i) as (select 0 union all select i + 1 from n where i + 1 < ${count})
    insert into profiles (id, created_at, first_seen, last_seen, event_count, household_id, state)
    select 'prof_' || substr('00000000' || i, -8, 8), ${now}, ${now - 86_400_000}, ${now}, 4, null, ${stateSql((p) => `json_object(${p})`, 'i', now)} from n`);
  const started = performance.now();
  let matched = 0;
  for (const row of db.prepare('select id, state from profiles').iterate() as Iterable<{ state: string }>) if (matches(row.state)) matched++;
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return check(matched, seconds);
}

async function fillPostgres(store: BenchStore, count: number, now: number): Promise<number> {
  const client = new pg.Client({ connectionString: store.url });
  await client.connect();
  await client.query(`insert into profiles (id, created_at, first_seen, last_seen, event_count, household_id, state)
    select 'prof_' || lpad(i::text, 8, '0'), ${now}, ${now - 86_400_000}, ${now}, 4, null, (${stateSql((p) => `json_build_object(${p})`, 'i', now)})::text
    from generate_series(0, ${count - 1}) i`);
  await client.query('analyze profiles');
  const started = performance.now();
  let matched = 0;
  await client.query('begin');
  await client.query('declare scan cursor for select id, state from profiles');
  for (;;) {
    const { rows } = await client.query<{ state: string }>('fetch 10000 from scan');
    if (rows.length === 0) break;
    for (const row of rows) if (matches(row.state)) matched++;
  }
  await client.query('commit');
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return check(matched, seconds);
}

function matches(json: string): boolean {
  const state = JSON.parse(json) as { traits: { tier?: { value: string } }; channels: Record<string, unknown>; orders: { count: number } };
  return state.traits.tier?.value === 'gold' && 'store' in state.channels && state.orders.count >= 1;
}

let scanned = 0;
function check(matched: number, seconds: number): number {
  if (matched === 0) throw new Error('the raw scan found nothing');
  scanned = matched;
  return seconds;
}

export async function backfillBench(store: BenchStore, kind: 'sqlite' | 'postgres', count: number) {
  const config = loadConfig({ TOUCHPOINT_DATABASE_URL: store.url, TOUCHPOINT_LOG_LEVEL: 'silent' });
  await (await openTouchpoint(config)).close();
  const now = Date.now();
  const scanSeconds = kind === 'sqlite' ? await fillSqlite(store.where, count, now) : await fillPostgres(store, count, now);
  const tp = await openTouchpoint(config);
  tp.jobs.start();
  await tp.standing.lifecycle.prepare();
  await tp.jobs.settle();
  const started = performance.now();
  const { id } = await tp.standing.segments.create({ name: 'Gold store buyers', condition: CONDITION as never });
  await tp.jobs.settle();
  const seconds = (performance.now() - started) / 1000;
  const members = await tp.standing.segments.size(id);
  await tp.close();
  if (members !== scanned) throw new Error(`the back-fill found ${members} members, the raw scan ${scanned}`);
  return { seconds, scanSeconds, members };
}
