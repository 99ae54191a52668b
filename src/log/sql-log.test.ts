import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { openStore, type Store } from '../store/index.js';
import { createSqlEventLog, logMigrations, type EventLog, type NewEvent } from './index.js';

function event(n: number, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    sourceId: 'src_1',
    messageId: `m${n}`,
    type: 'track',
    event: 'E',
    channel: 'web',
    userId: `u${n % 3}`,
    anonymousId: null,
    timestamp: 1000 + n,
    receivedAt: 2000 + n,
    partitionKey: `u${n % 3}`,
    payload: JSON.stringify({ n }),
    ...overrides,
  };
}

for (const dialect of DIALECTS) {
  describe(`event log on ${dialect.name}`, () => {
    let db: TestDatabase;
    let store: Store;
    let log: EventLog;
    before(async () => {
      db = await dialect.create();
      store = openStore(db.url, { sqliteSynchronous: 'normal' });
      await store.migrate(logMigrations);
      log = createSqlEventLog(store, { partitions: 4, groupCommitMaxEvents: 1000 });
    });
    after(async () => {
      await log.close();
      await store.close();
      await db.cleanup();
    });

    it('appends, then refuses the same messageId again, within and across commits', async () => {
      const first = await log.append([event(1), event(2), event(1)]);
      assert.deepEqual(
        first.map((o) => o.status),
        ['stored', 'stored', 'duplicate'],
      );
      const again = await log.append([event(2), event(3)]);
      assert.deepEqual(
        again.map((o) => o.status),
        ['duplicate', 'stored'],
      );
      const otherSource = await log.append([event(1, { sourceId: 'src_2' })]);
      assert.equal(otherSource[0]!.status, 'stored', 'messageId is unique per source only');
    });

    it('shares commits between concurrent appends and keeps every one', async () => {
      const appends = Array.from({ length: 20 }, (_, i) => log.append(Array.from({ length: 25 }, (_, j) => event(1000 + i * 25 + j))));
      const outcomes = (await Promise.all(appends)).flat();
      assert.equal(outcomes.filter((o) => o.status === 'stored').length, 500);
      const seqs = outcomes.map((o) => (o.status === 'stored' ? o.seq : -1));
      assert.equal(new Set(seqs).size, 500, 'every event has its own position');
    });

    it('reads each partition in append order from a position', async () => {
      let total = 0;
      for (let partition = 0; partition < log.partitions; partition++) {
        let after = 0;
        for (;;) {
          const page = await log.read(partition, after, 50);
          if (page.length === 0) break;
          for (const e of page) {
            assert.ok(e.seq > after, 'ascending');
            assert.equal(e.partition, partition);
            after = e.seq;
          }
          total += page.length;
        }
      }
      assert.equal(total, 504);
    });

    it('queries newest first with filters and a cursor', async () => {
      const page1 = await log.query({ userId: 'u1', limit: 5 });
      assert.equal(page1.length, 5);
      assert.ok(page1.every((e) => e.userId === 'u1'));
      const page2 = await log.query({ userId: 'u1', limit: 5, before: page1[4]!.seq });
      assert.ok(page2[0]!.seq < page1[4]!.seq);
      assert.equal((await log.query({ sourceId: 'src_2', limit: 10 })).length, 1);
      assert.equal((await log.query({ type: 'page', limit: 10 })).length, 0);
    });

    it('reads all partitions in order, gets by position, tells its head and the last position given, erases', async () => {
      const all = await log.readAll(0, 10_000);
      assert.equal(all.length, 504);
      assert.ok(all.every((e, i) => i === 0 || e.seq > all[i - 1]!.seq));
      const head = await log.head();
      assert.equal(head, all[all.length - 1]!.seq);
      const picked = await log.get([all[5]!.seq, all[2]!.seq, 999_999]);
      assert.deepEqual(
        picked.map((e) => e.seq),
        [all[2]!.seq, all[5]!.seq],
      );
      let woken = 0;
      const stop = log.onAppend(() => woken++);
      await log.append([event(9999)]);
      stop();
      await log.append([event(9998)]);
      assert.equal(woken, 1);
      assert.equal(await log.erase([all[2]!.seq, all[5]!.seq]), 2);
      assert.deepEqual(await log.get([all[2]!.seq]), []);
      const newest = await log.head();
      assert.equal(await log.erase([newest]), 1);
      assert.ok((await log.head()) < newest);
      assert.equal(await log.lastGiven(), newest, 'an erased position was still given');
    });
  });
}
