/**
 * The embedded store is two SQLite files: the event log apart from the rest,
 * so acknowledging and processing write at the same time. The two must stay a
 * pair: a missing or older log is refused at start, not silently replaced by
 * an empty one whose next events the pipeline would skip. A store made before
 * the split keeps its log inside its one file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { openTouchpoint } from '../src/main.js';
import { countProfiles } from '../src/profiles/index.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'touchpoint-files-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

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

it('keeps the log in a file of its own, and refuses to start when that file is missing', async () => {
  const env = { TOUCHPOINT_DATABASE_URL: `sqlite:${join(dir, 'shop.db')}` };
  assert.deepEqual(await trackAndProcess(env, 'ann'), { events: 1, profiles: 1 });
  assert.ok(existsSync(join(dir, 'shop-log.db')), 'the log has its own file');
  assert.deepEqual(await trackAndProcess(env, 'bob'), { events: 2, profiles: 2 });

  rmSync(join(dir, 'shop-log.db'));
  await assert.rejects(openTouchpoint(loadConfig(env)), (error: Error) => {
    assert.match(error.message, /shop-log\.db ends at position 0, but .*shop\.db has processed events up to \d+/);
    assert.match(error.message, /Restore both files from the same backup/);
    return true;
  });
});

it('puts the log where TOUCHPOINT_LOG_DATABASE_URL says', async () => {
  const env = { TOUCHPOINT_DATABASE_URL: `sqlite:${join(dir, 'a.db')}`, TOUCHPOINT_LOG_DATABASE_URL: `sqlite:${join(dir, 'elsewhere.db')}` };
  assert.deepEqual(await trackAndProcess(env, 'ann'), { events: 1, profiles: 1 });
  assert.ok(existsSync(join(dir, 'elsewhere.db')));
  assert.ok(!existsSync(join(dir, 'a-log.db')));
});

it('keeps the log of a store made before the split in its one file', async () => {
  const url = `sqlite:${join(dir, 'old.db')}`;
  // The log in the main file, as every store had it before.
  assert.deepEqual(await trackAndProcess({ TOUCHPOINT_DATABASE_URL: url, TOUCHPOINT_LOG_DATABASE_URL: url }, 'ann'), { events: 1, profiles: 1 });
  assert.deepEqual(await trackAndProcess({ TOUCHPOINT_DATABASE_URL: url }, 'bob'), { events: 2, profiles: 2 });
  assert.ok(!existsSync(join(dir, 'old-log.db')), 'no second file for a store that has its log');
});
