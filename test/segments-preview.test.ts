/**
 * The preview reads a saved segment's counters for the event conditions they
 * already count (the builder's live count, on a brand's whole history, needs
 * that), and counts the others from the customers' timelines, reading only
 * the events they name in their window: the two give the same answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scanEvents, type CountedEvent, type EventScan } from '../src/profiles/index.js';
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

    it('scans the timelines page by page in profile and time order, whatever the page size', async () => {
      const scanned = async (scan: EventScan) => {
        const seen: [string, CountedEvent][] = [];
        const read = await scanEvents(h.tp.touchpoint.store.db, scan, (profileId, event) => seen.push([profileId, event]));
        assert.equal(read, seen.length);
        return seen;
      };
      const whole = await scanned({ types: ['track'], names: ['Order Completed'] });
      assert.equal(whole.length, 7);
      assert.deepEqual(await scanned({ types: ['track'], names: ['Order Completed'], pageRows: 2 }), whole);
      const profiles = whole.map(([p]) => p);
      assert.deepEqual(profiles, [...profiles].sort(), 'in profile order');
      assert.deepEqual(whole[0]![1].message, { type: 'track', event: 'Order Completed', name: 'Order Completed', properties: { total: 10 } });
      const recent = await scanned({ types: ['track'], names: ['Order Completed'], from: h.tp.clock.now() - 30 * DAY, pageRows: 3 });
      assert.equal(recent.length, 6, "dan's old order is before the window");
      assert.equal((await scanned({ types: ['identify'] })).length, 4, 'every identify call, no names given');
      assert.deepEqual(await scanned({ types: ['track'], names: [] }), []);
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
