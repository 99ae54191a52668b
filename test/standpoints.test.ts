/**
 * Where a profile stands now (a journey's branch): an event condition is
 * counted from the profile's own timeline, reading only the events it names,
 * with its property filters, its window and pages by name.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';

const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`conditions evaluated now (${dialect.name})`, () => {
    let h: Harness;
    let profileId: string;
    before(async () => {
      h = await startHarness(dialect);
      const now = h.tp.clock.now();
      await h.track('ann', 'Order Completed', { revenue: 150, category: 'Shoes' }, now - 10 * DAY);
      await h.track('ann', 'Order Completed', { revenue: 40, category: 'Socks' }, now - 2 * 3_600_000);
      await h.track('ann', 'Product Viewed', { category: 'Shoes' });
      await h.send({ type: 'page', userId: 'ann', name: 'Pricing', properties: { plan: 'pro' } });
      await h.settle();
      profileId = await h.profileOf('ann');
    });
    after(() => h.dispose());

    const holds = async (condition: unknown) => {
      const standpoint = (await h.tp.touchpoint.standing.standpoints([profileId], h.tp.clock.now())).get(profileId);
      assert.ok(standpoint, 'the profile stands somewhere');
      return standpoint.matches(condition as never);
    };

    it('counts the events a condition names, with its filters and window', async () => {
      assert.equal(await holds({ event: 'Order Completed', atLeast: 2 }), true);
      assert.equal(await holds({ event: 'Order Completed', atLeast: 3 }), false);
      assert.equal(await holds({ event: 'Order Completed', withinDays: 1 }), true, 'the order two hours ago');
      assert.equal(await holds({ event: 'Order Completed', atLeast: 2, withinDays: 1 }), false, 'the other is ten days old');
      assert.equal(await holds({ event: 'Order Completed', where: [{ property: 'revenue', op: 'gte', value: 100 }] }), true);
      assert.equal(await holds({ event: 'Order Completed', where: [{ property: 'revenue', op: 'gte', value: 100 }], withinDays: 1 }), false);
      assert.equal(await holds({ event: ['Product Viewed', 'Order Completed'], atLeast: 3 }), true, 'a list of names counts each');
      assert.equal(await holds({ event: 'Cart Viewed' }), false);
    });

    it('counts pages by their name, and not a track event of the same name', async () => {
      assert.equal(await holds({ event: 'Pricing', eventType: 'page', where: [{ property: 'plan', op: 'eq', value: 'pro' }] }), true);
      assert.equal(await holds({ event: 'Pricing' }), false, 'a track condition does not count the page');
      assert.equal(await holds({ event: 'Product Viewed', eventType: 'page' }), false);
    });

    it('combines an event condition with the profile’s other facts', async () => {
      assert.equal(
        await holds({
          all: [
            { event: 'Order Completed', atLeast: 2 },
            { profile: 'orders.count', op: 'gte', value: 2 },
          ],
        }),
        true,
      );
      assert.equal(await holds({ not: { event: 'Order Completed', withinDays: 1 } }), false);
    });
  });
}
