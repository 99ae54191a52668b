/** Identity scenarios through the real pipeline and store, on every dialect. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './support/dialects.js';
import { openHarness, type PipelineHarness } from './support/pipeline.js';

for (const dialect of DIALECTS) {
  describe(`identity resolution on ${dialect.name}`, () => {
    let h: PipelineHarness;
    before(async () => {
      h = await openHarness(dialect, { TOUCHPOINT_IDENTITY_HUB_THRESHOLD: '3' });
    });
    after(() => h.dispose());

    it('web visit -> app sign-up -> email click on another device -> store purchase: one profile, four channels', async () => {
      await h.send('Web shop', 'web', { type: 'page', anonymousId: 'web-anon-1', name: 'Home' });
      await h.send('App', 'app', { type: 'identify', userId: 'cust-1', anonymousId: 'web-anon-1', traits: { email: 'Ann@Example.com', loyaltyCard: 'L-100', name: 'Ann' } });
      await h.send('Email platform', 'email', { type: 'track', anonymousId: 'phone-browser-7', event: 'Email Link Clicked', properties: { email: 'ann@example.com' } });
      await h.send('Store POS', 'store', { type: 'track', anonymousId: 'loyaltyCard:L-100', event: 'Order Completed', context: { traits: { loyaltyCard: 'L-100' } }, properties: { total: 42 } });
      const ids = await Promise.all([
        h.profileOf('anonymousId', 'web-anon-1'), h.profileOf('userId', 'cust-1'), h.profileOf('email', 'ann@example.com'),
        h.profileOf('anonymousId', 'phone-browser-7'), h.profileOf('loyaltyCard', 'L-100'), h.profileOf('anonymousId', 'loyaltyCard:L-100'),
      ]);
      assert.equal(new Set(ids).size, 1, `one profile: ${ids.join(', ')}`);
      const state = await h.tp.profiles.state(ids[0]!);
      assert.deepEqual(Object.keys(state!.channels).sort(), ['app', 'email', 'store', 'web']);
      assert.equal(state!.eventCount, 4);
      assert.equal(state!.traits.name!.value, 'Ann');
      const timeline = await h.tp.profiles.timeline(ids[0]!, { limit: 10 });
      assert.deepEqual(timeline.map((e) => e.channel), ['store', 'email', 'app', 'web']);
    });

    it('two people on one shared device stay two people', async () => {
      await h.send('Web shop', 'web', { type: 'identify', userId: 'dad', anonymousId: 'family-ipad', traits: { name: 'Dad' } });
      await h.send('Web shop', 'web', { type: 'identify', userId: 'kid', anonymousId: 'family-ipad', traits: { name: 'Kid' } });
      const dad = await h.profileOf('userId', 'dad');
      const kid = await h.profileOf('userId', 'kid');
      assert.ok(dad && kid && dad !== kid);
      assert.equal(await h.profileOf('anonymousId', 'family-ipad'), dad, 'the device stays with its first person');
      assert.equal((await h.tp.profiles.state(kid))!.traits.name!.value, 'Kid');
      const conflicts = await h.tp.identity.conflicts(kid);
      assert.equal(conflicts.length, 1);
      assert.match(conflicts[0]!.reason, /more than 1 userId/);
    });

    it('conflicting userIds never merge, whatever links them', async () => {
      await h.send('App', 'app', { type: 'identify', userId: 'alice', traits: { email: 'alice@example.com' } });
      await h.send('App', 'app', { type: 'identify', userId: 'bob', traits: { email: 'alice@example.com' } });
      await h.send('Web shop', 'web', { type: 'alias', userId: 'bob', previousId: 'alice' });
      assert.notEqual(await h.profileOf('userId', 'alice'), await h.profileOf('userId', 'bob'));
      assert.equal(await h.profileOf('email', 'alice@example.com'), await h.profileOf('userId', 'alice'));
    });

    it('alias merges an anonymous history into the user, and the merged id still resolves', async () => {
      await h.send('Web shop', 'web', { type: 'track', anonymousId: 'anon-9', event: 'Product Viewed' }, { type: 'track', anonymousId: 'anon-9', event: 'Cart Viewed' });
      await h.send('App', 'app', { type: 'identify', userId: 'u9' });
      const anonymous = (await h.profileOf('anonymousId', 'anon-9'))!;
      const known = (await h.profileOf('userId', 'u9'))!;
      assert.notEqual(anonymous, known);
      await h.send('App', 'app', { type: 'alias', previousId: 'anon-9', userId: 'u9' });
      const survivor = (await h.profileOf('userId', 'u9'))!;
      assert.equal(await h.profileOf('anonymousId', 'anon-9'), survivor);
      assert.equal(survivor, anonymous, 'the older profile survives');
      assert.equal(await h.tp.identity.live(known), survivor);
      assert.equal((await h.tp.profiles.state(survivor))!.eventCount, 4);
      const merges = await h.tp.identity.merges(survivor);
      assert.deepEqual(merges.map((m) => [m.survivorId, m.mergedId, m.reason, m.via.kind]), [[survivor, known, 'alias', 'anonymousId']]);
      assert.equal(await h.tp.profiles.state(known), undefined, 'the merged-away profile has no state of its own');
    });

    it('a hub identifier stops linking once met on too many profiles', async () => {
      for (const user of ['t1', 't2', 't3', 't4']) {
        await h.send('App', 'app', { type: 'identify', userId: user, traits: { email: 'test@test.com' } });
      }
      const hubs = await h.tp.identity.hubs();
      assert.deepEqual(hubs.map((x) => [x.kind, x.value]), [['email', 'test@test.com']]);
      await h.send('Web shop', 'web', { type: 'identify', anonymousId: 'stranger', traits: { email: 'test@test.com' } });
      assert.notEqual(await h.profileOf('anonymousId', 'stranger'), await h.profileOf('userId', 't1'));
    });

    it('rebuilding from the log gives the same profiles', async () => {
      const snapshot = async () => {
        const owners: Record<string, string | undefined> = {};
        for (const [kind, value] of [['userId', 'cust-1'], ['userId', 'dad'], ['userId', 'kid'], ['userId', 'u9'], ['userId', 'alice'], ['userId', 'bob'], ['anonymousId', 'stranger']]) {
          owners[`${kind}:${value}`] = await h.profileOf(kind!, value!);
        }
        const states = await Promise.all(Object.values(owners).map(async (id) => [id, await h.tp.profiles.state(id!)]));
        return { owners, states, hubs: await h.tp.identity.hubs() };
      };
      const before = await snapshot();
      const status = await h.tp.pipeline.rebuild();
      assert.equal(status.lagEvents, 0);
      assert.deepEqual(await snapshot(), before);
    });
  });
}
