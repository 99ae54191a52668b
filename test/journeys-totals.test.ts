/** The journeys list carries each journey's totals (entered, in it now, converted, value), equal to its own stats. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';

const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`journeys list totals (${dialect.name})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(dialect);
      await h.content('Hi', { email: { subject: 'Hi', html: '<p>Hi</p>' } });
    });
    after(() => h.dispose());

    it('counts entries, those still in, and conversions with their value, per journey', async () => {
      await h.journey('Carts', {
        entry: { event: { name: 'Product Added' } },
        goal: { event: 'Order Completed', within: { days: 3 } },
        steps: [
          { id: 'wait', wait: { hours: 1 }, next: 'mail' },
          { id: 'mail', send: { channel: 'email', content: 'Hi' } },
        ],
      });
      await h.journey('Quiet', { entry: { event: { name: 'Never Sent' } }, steps: [{ id: 'x', exit: {} }] });
      for (const user of ['a', 'b', 'c']) await h.identify(user, { email: `${user}@example.com` });
      for (const user of ['a', 'b', 'c']) await h.track(user, 'Product Added');
      await h.settle();
      await h.track('a', 'Order Completed', { total: 40 });
      await h.settle();
      await h.advance(2 * HOUR);

      const list = await h.api('GET', '/api/journeys');
      assert.equal(list.status, 200, JSON.stringify(list.body));
      const byName = new Map(list.body.journeys.map((j: { name: string; totals: unknown }) => [j.name, j.totals]));
      assert.deepEqual(byName.get('Carts'), { entered: 3, active: 0, converted: 1, value: 40 });
      assert.deepEqual(byName.get('Quiet'), { entered: 0, active: 0, converted: 0, value: 0 });
      const stats = (await h.api('GET', '/api/journeys/Carts/stats')).body.stats;
      assert.deepEqual(byName.get('Carts'), { entered: stats.entered, active: stats.active, converted: stats.converted, value: stats.value });
    });

    it('counts a customer still waiting as active', async () => {
      await h.journey('Slow', {
        entry: { event: { name: 'Browse' } },
        steps: [
          { id: 'w', wait: { days: 2 }, next: 'x' },
          { id: 'x', exit: {} },
        ],
      });
      await h.identify('d', { email: 'd@example.com' });
      await h.track('d', 'Browse');
      await h.settle();
      const slow = (await h.api('GET', '/api/journeys')).body.journeys.find((j: { name: string }) => j.name === 'Slow');
      assert.deepEqual(slow.totals, { entered: 1, active: 1, converted: 0, value: 0 });
    });
  });
}
