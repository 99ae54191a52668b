import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { createManualClock } from '../clock.js';
import { randomIds } from '../ids.js';
import { openStore, type Store } from '../store/index.js';
import { collectMigrations, createSources, type Sources } from './index.js';

for (const dialect of DIALECTS) {
  describe(`sources on ${dialect.name}`, () => {
    let db: TestDatabase;
    let store: Store;
    let sources: Sources;
    const clock = createManualClock(1_000_000);
    before(async () => {
      db = await dialect.create();
      store = openStore(db.url, { sqliteSynchronous: 'normal' });
      await store.migrate(collectMigrations);
      sources = createSources(store, { clock, ids: randomIds, cacheSeconds: 0 });
    });
    after(async () => {
      await store.close();
      await db.cleanup();
    });

    it('creates a source whose key authenticates, and keeps only a hash', async () => {
      const created = await sources.create({ name: 'POS', channel: 'store' });
      assert.ok(created.writeKey.length >= 32);
      assert.equal((await sources.authenticate(created.writeKey))?.id, created.id);
      assert.equal(await sources.authenticate('wrong'), undefined);
      const rows = await store.db.withTables<{ sources: { write_key_hash: string } }>().selectFrom('sources').select('write_key_hash').execute();
      assert.ok(rows.every((r) => !r.write_key_hash.includes(created.writeKey)));
    });

    it('refuses a second source with the same name', async () => {
      await assert.rejects(sources.create({ name: 'POS', channel: 'web' }), { code: 'TP_SOURCE_NAME_TAKEN' });
    });

    it('rotates a key: the old one stops at once, or after a grace period', async () => {
      const created = await sources.create({ name: 'App', channel: 'app' });
      const rotated = await sources.rotateKey('App');
      assert.equal(await sources.authenticate(created.writeKey), undefined);
      assert.equal((await sources.authenticate(rotated.writeKey))?.id, created.id);
      const graced = await sources.rotateKey(created.id, 60);
      assert.equal((await sources.authenticate(rotated.writeKey))?.id, created.id, 'old key within grace');
      clock.advance(61_000);
      assert.equal(await sources.authenticate(rotated.writeKey), undefined, 'old key after grace');
      assert.equal((await sources.authenticate(graced.writeKey))?.id, created.id);
      await assert.rejects(sources.rotateKey('nope'), { code: 'TP_SOURCE_NOT_FOUND' });
    });

    it('lists sources by name and finds them by id or name', async () => {
      const list = await sources.list();
      assert.deepEqual(
        list.map((s) => s.name),
        ['App', 'POS'],
      );
      assert.equal((await sources.find(list[0]!.id))?.name, 'App');
      assert.equal((await sources.find('POS'))?.channel, 'store');
    });
  });
}
