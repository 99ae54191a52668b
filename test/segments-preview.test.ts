/**
 * The preview reads a saved segment's counters for the event conditions they
 * already count (the builder's live count, on a brand's whole log, needs
 * that), and counts the others from the log: the two give the same answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';

const ORDERED = { event: 'Order Completed', atLeast: 2, withinDays: 30 };

for (const dialect of DIALECTS) {
  describe(`segment preview and saved counters (${dialect.name})`, () => {
    let h: Harness;
    let logReads = 0;
    let eventsRead = 0;
    before(async () => {
      h = await startHarness(dialect);
      for (const [user, orders] of [
        ['ann', 3],
        ['bob', 2],
        ['cat', 1],
        ['dan', 0],
      ] as const) {
        await h.identify(user, { email: `${user}@example.com`, tier: user === 'dan' ? 'silver' : 'gold' });
        for (let i = 0; i < orders; i++) await h.track(user, 'Order Completed', { total: 10 });
      }
      await h.settle();
      // Counts the preview's passes over the log, reading it through unchanged.
      const log = h.tp.touchpoint.log;
      const readAll = log.readAll.bind(log);
      const readNamed = log.readNamed.bind(log);
      const counted = async <T extends unknown[]>(read: Promise<T>) => {
        logReads++;
        const events = await read;
        eventsRead += events.length;
        return events;
      };
      log.readAll = (after, limit) => counted(readAll(after, limit));
      log.readNamed = (after, upTo, names, limit) => counted(readNamed(after, upTo, names, limit));
    });
    after(() => h.dispose());

    const preview = async (condition: unknown) => {
      logReads = 0;
      eventsRead = 0;
      const r = await h.api('POST', '/api/segments/preview', { condition });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return { count: r.body.count as number, logReads };
    };

    it('counts an event condition from the log while no saved counter counts the same', async () => {
      assert.deepEqual(await preview({ all: [ORDERED, { trait: 'tier', op: 'eq', value: 'gold' }] }), { count: 2, logReads: 2 });
      assert.equal(eventsRead, 6, 'the six orders, not the identify calls: only the events the condition names are read');
    });

    it('reads a back-filled segment’s counter for the same event condition, with the same answer, wherever it sits', async () => {
      assert.equal((await h.api('POST', '/api/segments', { name: 'Repeat buyers', condition: ORDERED })).status, 201);
      await h.settle();
      assert.equal((await h.api('GET', '/api/segments/Repeat%20buyers')).body.status, 'ready');
      assert.deepEqual(await preview({ all: [ORDERED, { trait: 'tier', op: 'eq', value: 'gold' }] }), { count: 2, logReads: 0 });
      assert.deepEqual(await preview({ any: [{ trait: 'tier', op: 'eq', value: 'silver' }, ORDERED] }), { count: 3, logReads: 0 });
    });

    it('still counts from the log what no counter counts (another window, another event)', async () => {
      assert.equal((await preview({ ...ORDERED, withinDays: 7 })).logReads > 0, true);
      assert.deepEqual(await preview({ event: 'Order Completed', atLeast: 1 }), { count: 3, logReads: 2 });
    });
  });
}
