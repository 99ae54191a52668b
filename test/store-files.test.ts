/**
 * The embedded store is two SQLite files: the event log apart from the rest,
 * so acknowledging and processing write at the same time. The two stay a
 * pair: the main file remembers where its log is (a command run without
 * TOUCHPOINT_LOG_DATABASE_URL still finds it); a missing log, another store's
 * log or an older copy of the log is refused at start, with nothing created,
 * rather than replaced by an empty log whose next events the pipeline would
 * skip. A store made before the split keeps its log inside its one file.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { openTouchpoint } from '../src/main.js';
import { countProfiles } from '../src/profiles/index.js';
import { cli } from './support/cli.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'touchpoint-files-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const sqlite = (...path: string[]) => `sqlite:${join(dir, ...path)}`;

async function trackAndProcess(env: Record<string, string>, userId: string) {
  const tp = await openTouchpoint(loadConfig({ ...env, TOUCHPOINT_SQLITE_SYNCHRONOUS: 'normal' }));
  try {
    const source = (await tp.sources.find('shop')) ?? (await tp.sources.create({ name: 'shop', channel: 'web' }));
    await tp.ingest.ingest(source, [{ type: 'track', userId, event: 'Order Completed' }]);
    await tp.pipeline.drain();
    return { events: (await tp.log.query({ sourceId: source.id, limit: 10 })).length, profiles: await countProfiles(tp.store.db) };
  } finally {
    await tp.close();
  }
}

it('keeps the log in a file of its own, and refuses to start without it, creating nothing', async () => {
  const env = { TOUCHPOINT_DATABASE_URL: sqlite('shop.db') };
  assert.deepEqual(await trackAndProcess(env, 'ann'), { events: 1, profiles: 1 });
  assert.ok(existsSync(join(dir, 'shop-log.db')), 'the log has its own file');
  assert.deepEqual(await trackAndProcess(env, 'bob'), { events: 2, profiles: 2 });

  renameSync(join(dir, 'shop-log.db'), join(dir, 'kept-aside.db'));
  await assert.rejects(
    openTouchpoint(loadConfig(env)),
    /The event log of .*shop\.db was at .*shop-log\.db, and there is no log at .*shop-log\.db\. Nothing was created/,
  );
  const migrate = await cli(['migrate'], env);
  assert.equal(migrate.code, 1);
  assert.match(migrate.stderr, /there is no log at/);
  assert.ok(!existsSync(join(dir, 'shop-log.db')), 'no empty log was made in its place');

  // Told where the log went, it carries on, and remembers the new place.
  const moved = { ...env, TOUCHPOINT_LOG_DATABASE_URL: sqlite('kept-aside.db') };
  assert.deepEqual(await trackAndProcess(moved, 'cy'), { events: 3, profiles: 3 });
  assert.deepEqual(await trackAndProcess(env, 'dee'), { events: 4, profiles: 4 });
});

it('finds a log put elsewhere without being told again, as the CLI is run', async () => {
  const env = { TOUCHPOINT_DATABASE_URL: sqlite('a.db'), TOUCHPOINT_LOG_DATABASE_URL: sqlite('disk2', 'events.db') };
  mkdirSync(join(dir, 'disk2'));
  assert.deepEqual(await trackAndProcess(env, 'ann'), { events: 1, profiles: 1 });
  assert.ok(!existsSync(join(dir, 'a-log.db')));
  assert.deepEqual(await trackAndProcess({ TOUCHPOINT_DATABASE_URL: sqlite('a.db') }, 'bob'), { events: 2, profiles: 2 });
  assert.ok(!existsSync(join(dir, 'a-log.db')), 'the recorded log was used, no second one made');
});

it('follows the two files moved together to another folder', async () => {
  assert.deepEqual(await trackAndProcess({ TOUCHPOINT_DATABASE_URL: sqlite('b.db') }, 'ann'), { events: 1, profiles: 1 });
  mkdirSync(join(dir, 'moved'));
  for (const file of ['b.db', 'b-log.db']) renameSync(join(dir, file), join(dir, 'moved', file));
  assert.deepEqual(await trackAndProcess({ TOUCHPOINT_DATABASE_URL: sqlite('moved', 'b.db') }, 'bob'), { events: 2, profiles: 2 });
});

it("refuses another store's log, and a copy of its own log older than what it processed", async () => {
  const c = { TOUCHPOINT_DATABASE_URL: sqlite('c.db') };
  const d = { TOUCHPOINT_DATABASE_URL: sqlite('d.db') };
  await trackAndProcess(c, 'ann');
  await trackAndProcess(d, 'bob');
  await assert.rejects(
    openTouchpoint(loadConfig({ ...c, TOUCHPOINT_LOG_DATABASE_URL: sqlite('d-log.db') })),
    /d-log\.db is not the event log of .*c\.db.*another store/,
  );

  copyFileSync(join(dir, 'c-log.db'), join(dir, 'c-log-old.db'));
  await trackAndProcess(c, 'cy');
  renameSync(join(dir, 'c-log-old.db'), join(dir, 'c-log.db'));
  await assert.rejects(openTouchpoint(loadConfig(c)), /c-log\.db ends at position \d+, but .*c\.db has processed events up to \d+/);
});

it('keeps the log of a store made before the split in its one file', async () => {
  const url = sqlite('old.db');
  // The log in the main file, as every store had it before.
  assert.deepEqual(await trackAndProcess({ TOUCHPOINT_DATABASE_URL: url, TOUCHPOINT_LOG_DATABASE_URL: url }, 'ann'), { events: 1, profiles: 1 });
  assert.deepEqual(await trackAndProcess({ TOUCHPOINT_DATABASE_URL: url }, 'bob'), { events: 2, profiles: 2 });
  assert.ok(!existsSync(join(dir, 'old-log.db')), 'no second file for a store that has its log');
  await assert.rejects(
    openTouchpoint(loadConfig({ TOUCHPOINT_DATABASE_URL: url, TOUCHPOINT_LOG_DATABASE_URL: sqlite('new-log.db') })),
    /keeps its event log inside itself/,
  );
});

it('with synchronous=off (the demo generating) commits without waiting for the disk, and what it wrote is in the database files once it stops', async () => {
  const env = { TOUCHPOINT_DATABASE_URL: sqlite('bulk.db'), TOUCHPOINT_SQLITE_SYNCHRONOUS: 'off' };
  const tp = await openTouchpoint(loadConfig(env));
  try {
    const mode = await sql<{ synchronous: number }>`pragma synchronous`.execute(tp.store.db);
    assert.equal(mode.rows[0]!.synchronous, 0, 'commits do not wait for the disk');
    const source = await tp.sources.create({ name: 'shop', channel: 'web' });
    await tp.ingest.ingest(source, [{ type: 'track', userId: 'ann', event: 'Order Completed' }]);
    await tp.pipeline.drain();
  } finally {
    await tp.close();
  }
  for (const file of ['bulk.db-wal', 'bulk-log.db-wal']) assert.ok(!existsSync(join(dir, file)), `${file} was checkpointed into its database and removed`);
  const again = await openTouchpoint(loadConfig({ TOUCHPOINT_DATABASE_URL: sqlite('bulk.db') }));
  try {
    assert.equal(await countProfiles(again.store.db), 1);
  } finally {
    await again.close();
  }
});

it('with journal=memory (the demo generating) writes no write-ahead log, and leaves the files with one, on disk, once it stops', async () => {
  const env = { TOUCHPOINT_DATABASE_URL: sqlite('loaded.db'), TOUCHPOINT_SQLITE_SYNCHRONOUS: 'off', TOUCHPOINT_SQLITE_JOURNAL: 'memory' };
  const tp = await openTouchpoint(loadConfig(env));
  try {
    for (const store of [tp.store, tp.logStore]) {
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      assert.equal(mode.rows[0]!.journal_mode, 'memory', `${store.location}: the rollback journal in memory`);
    }
    const source = await tp.sources.create({ name: 'shop', channel: 'web' });
    await tp.ingest.ingest(source, [{ type: 'track', userId: 'ann', event: 'Order Completed' }]);
    await tp.pipeline.drain();
    for (const file of ['loaded.db-wal', 'loaded-log.db-wal']) assert.ok(!existsSync(join(dir, file)), `no ${file} while it loads`);
  } finally {
    await tp.close();
  }
  const again = await openTouchpoint(loadConfig({ TOUCHPOINT_DATABASE_URL: sqlite('loaded.db') }));
  try {
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(again.store.db);
    assert.equal(mode.rows[0]!.journal_mode, 'wal');
    assert.equal(await countProfiles(again.store.db), 1);
  } finally {
    await again.close();
  }
});

it('refuses a journal mode it does not know, naming the setting', () => {
  assert.throws(() => loadConfig({ TOUCHPOINT_SQLITE_JOURNAL: 'delete' }), /TOUCHPOINT_SQLITE_JOURNAL/);
});
