/**
 * The preview reads a saved segment's counters for the event conditions they
 * already count (the builder's live count, on a brand's whole history, needs
 * that), and counts the others from the customers' timelines, reading only
 * the events they name in their window: the two give the same answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventsOfMany } from '../src/profiles/index.js';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';

const ORDERED = { event: 'Order Completed', atLeast: 2, withinDays: 30 };
const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`segment preview and saved counters (${dialect.name})`, () => {
    let h: Harness;
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
      // An order from before the window of 30 days: on the timeline, never read for a 30-day condition.
      await h.send({
        type: 'track',
        userId: 'dan',
        event: 'Order Completed',
        properties: { total: 5 },
        timestamp: new Date(h.tp.clock.now() - 40 * DAY).toISOString(),
      });
      await h.settle();
    });
    after(() => h.dispose());

    /** The events previews have read from the timelines so far (the metric). */
    const read = async () => (await h.tp.touchpoint.metrics.previewEventsRead.get()).values[0]?.value ?? 0;
    const preview = async (condition: unknown) => {
      const before = await read();
      const r = await h.api('POST', '/api/segments/preview', { condition });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return { count: r.body.count as number, eventsRead: (await read()) - before };
    };

    it('counts an event condition from the timelines while no saved counter counts the same, reading only what it names in its window', async () => {
      // The six orders of the last 30 days: not the identify calls, not dan's older order.
      assert.deepEqual(await preview({ all: [ORDERED, { trait: 'tier', op: 'eq', value: 'gold' }] }), { count: 2, eventsRead: 6 });
      assert.deepEqual(await preview({ event: 'Order Completed', atLeast: 1 }), { count: 4, eventsRead: 7 });
      assert.deepEqual(await preview({ event: 'Order Completed', atMost: 0, withinDays: 30 }), { count: 1, eventsRead: 6 });
      assert.deepEqual(await preview({ event: 'Order Completed', where: [{ property: 'total', op: 'lt', value: 8 }] }), { count: 1, eventsRead: 7 });
      assert.deepEqual(await preview({ event: 'Never Happened' }), { count: 0, eventsRead: 0 });
    });

    it('reads the events a scan names of the profiles asked for, each profile’s in time order', async () => {
      const db = h.tp.touchpoint.store.db;
      const [ann, dan] = [await h.profileOf('ann'), await h.profileOf('dan')];
      const orders = { types: ['track'], names: ['Order Completed'] };
      const both = await eventsOfMany(db, [dan, ann, 'prof_nobody'], orders);
      assert.deepEqual([...both.keys()].sort(), [ann, dan].sort(), 'only profiles with such events');
      assert.equal(both.get(ann)!.length, 3);
      assert.deepEqual(both.get(ann)![0]!.message, { type: 'track', event: 'Order Completed', name: 'Order Completed', properties: { total: 10 } });
      const times = both.get(ann)!.map((e) => e.timestamp);
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
      );
      assert.equal(both.get(dan)!.length, 1, "dan's one order, from before the window");
      assert.equal((await eventsOfMany(db, [dan], { ...orders, from: h.tp.clock.now() - 30 * DAY })).size, 0, 'the window leaves it out');
      assert.deepEqual((await eventsOfMany(db, [ann], { ...orders, properties: false })).get(ann)![0]!.message.properties, {});
      assert.equal((await eventsOfMany(db, [ann, dan], { types: ['identify'] })).size, 2, 'every identify call, no names given');
      assert.equal((await eventsOfMany(db, [ann], { types: ['track'], names: [] })).size, 0);
    });

    it('reads a back-filled segment’s counter for the same event condition, with the same answer, wherever it sits', async () => {
      assert.equal((await h.api('POST', '/api/segments', { name: 'Repeat buyers', condition: ORDERED })).status, 201);
      await h.settle();
      assert.equal((await h.api('GET', '/api/segments/Repeat%20buyers')).body.status, 'ready');
      assert.deepEqual(await preview({ all: [ORDERED, { trait: 'tier', op: 'eq', value: 'gold' }] }), { count: 2, eventsRead: 0 });
      assert.deepEqual(await preview({ any: [{ trait: 'tier', op: 'eq', value: 'silver' }, ORDERED] }), { count: 3, eventsRead: 0 });
    });

    it('still counts from the timelines what no counter counts (another window, another event)', async () => {
      assert.deepEqual(await preview({ ...ORDERED, withinDays: 7 }), { count: 2, eventsRead: 6 });
      assert.deepEqual(await preview({ event: 'Order Completed', atLeast: 1 }), { count: 4, eventsRead: 7 });
    });
  });
}
