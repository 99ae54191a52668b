/** Profiles through the real pipeline: computed traits with back-fill, consent, households. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './support/dialects.js';
import { openHarness, type PipelineHarness } from './support/pipeline.js';

const order = (userId: string, total: number, category: string) => ({
  type: 'track',
  userId,
  event: 'Order Completed',
  properties: { total, revenue: total, category },
});

for (const dialect of DIALECTS) {
  describe(`profiles on ${dialect.name}`, () => {
    let h: PipelineHarness;
    before(async () => {
      h = await openHarness(dialect);
    });
    after(() => h.dispose());

    it('computes traits over past events (back-fill) and new ones (pipeline), without counting any twice', async () => {
      await h.send('Shop', 'web', order('c1', 10, 'shoes'), order('c1', 20, 'shoes'), order('c1', 5, 'socks'));
      const define = (body: object) => h.tp.computed.create(body as never);
      await define({ name: 'lifetimeValue', aggregation: 'sum', eventType: 'track', event: 'Order Completed', property: 'revenue', where: [] });
      await define({ name: 'orders90d', aggregation: 'count', eventType: 'track', event: 'Order Completed', windowDays: 90, where: [] });
      await define({ name: 'favouriteCategory', aggregation: 'most_frequent', eventType: 'track', event: 'Order Completed', property: 'category', where: [] });
      await define({
        name: 'bigOrders',
        aggregation: 'count',
        eventType: 'track',
        event: 'Order Completed',
        where: [{ property: 'total', op: 'gte', value: 10 }],
      });
      await h.settle();
      await h.send('Shop', 'web', order('c1', 7, 'socks'), order('c1', 1, 'socks'));
      const profile = (await h.profileOf('userId', 'c1'))!;
      assert.deepEqual(await h.tp.computed.valuesOf(profile), { bigOrders: 2, favouriteCategory: 'socks', lifetimeValue: 43, orders90d: 5 });
      h.clock.advance(91 * 86_400_000);
      assert.equal((await h.tp.computed.valuesOf(profile)).orders90d, 0, 'the window empties with time alone');
      await assert.rejects(define({ name: 'lifetimeValue', aggregation: 'count', eventType: 'track', where: [] }), { code: 'TP_COMPUTED_TRAIT_EXISTS' });
      await assert.rejects(define({ name: 'x', aggregation: 'sum', eventType: 'track', where: [] }), { code: 'TP_VALIDATION' });
    });

    it('merges computed traits when profiles merge, and a rebuild gives the same values', async () => {
      await h.send('Shop', 'web', { ...order('', 100, 'hats'), userId: undefined, anonymousId: 'guest-1' });
      await h.send('Shop', 'web', { type: 'identify', userId: 'c2', anonymousId: 'guest-1' });
      await h.send('Shop', 'web', order('c2', 50, 'hats'));
      const profile = (await h.profileOf('userId', 'c2'))!;
      const values = await h.tp.computed.valuesOf(profile);
      assert.equal(values.lifetimeValue, 150);
      assert.equal((await h.tp.profiles.state(profile))!.orders.revenue, 150);
      await h.tp.pipeline.rebuild();
      assert.deepEqual(await h.tp.computed.valuesOf((await h.profileOf('userId', 'c2'))!), values);
      assert.equal((await h.tp.computed.valuesOf((await h.profileOf('userId', 'c1'))!)).lifetimeValue, 43);
    });

    it('keeps consent per channel and purpose from events', async () => {
      await h.send('App', 'app', { type: 'identify', userId: 'c3', traits: { consent: { email: 'granted', sms: { marketing: 'denied' } } } });
      await h.send('Email', 'email', {
        type: 'track',
        userId: 'c3',
        event: 'Consent Updated',
        properties: { channel: 'email', purpose: 'newsletter', status: 'denied' },
      });
      const state = (await h.tp.profiles.state((await h.profileOf('userId', 'c3'))!))!;
      assert.equal(state.consent.email!.marketing!.value, 'granted');
      assert.equal(state.consent.email!.newsletter!.value, 'denied');
      assert.equal(state.consent.sms!.marketing!.value, 'denied');
      assert.ok(state.consent.email!.newsletter!.sourceId.startsWith('src_'));
    });

    it('groups profiles into households by group call', async () => {
      await h.send('Web', 'web', { type: 'group', userId: 'c1', groupId: 'smith', traits: { type: 'household', name: 'The Smiths' } });
      await h.send('Web', 'web', { type: 'group', userId: 'c2', groupId: 'smith', traits: { type: 'household' } });
      const members = await h.tp.profiles.householdMembers('hh_smith');
      assert.deepEqual(members.sort(), [await h.profileOf('userId', 'c1'), await h.profileOf('userId', 'c2')].sort());
    });
  });
}
