/** Segments and lifecycle through the real pipeline, with an injected clock, on every dialect. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Condition } from '../src/standing/index.js';
import { DIALECTS } from './support/dialects.js';
import { openHarness, type PipelineHarness } from './support/pipeline.js';

const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`segments and lifecycle on ${dialect.name}`, () => {
    let h: PipelineHarness;
    const define = async (name: string, condition: Condition) => {
      const { id } = await h.tp.standing.segments.create({ name, condition });
      await h.settle();
      return id;
    };
    const members = async (segment: string) => (await h.tp.standing.segments.members(segment, 1000)).map((m) => m.profileId).sort();
    const stageOf = async (userId: string) => (await h.tp.standing.lifecycle.current((await h.profileOf('userId', userId))!))?.stage;
    before(async () => {
      h = await openHarness(dialect);
    });
    after(() => h.dispose());

    it('a profile leaves "active in the last 7 days" on day 8 with no new event', async () => {
      await h.send('Web', 'web', { type: 'track', userId: 'ada', event: 'Product Viewed' });
      const active = await define('Active 7d', { event: ['Product Viewed', 'Order Completed'], withinDays: 7 });
      const ada = (await h.profileOf('userId', 'ada'))!;
      assert.deepEqual(await members(active), [ada], 'the back-fill found her');
      await h.passTime(6 * DAY);
      assert.deepEqual(await members(active), [ada], 'still in on day 7');
      await h.passTime(2 * DAY);
      assert.deepEqual(await members(active), [], 'out on day 8, by the scheduler');
      const changes = await h.tp.standing.segments.changes(active, 10);
      assert.deepEqual(
        changes.map((c) => [c.change, c.trigger]),
        [
          ['entered', 'backfill'],
          ['exited', 'schedule'],
        ],
      );
      await h.send('Web', 'web', { type: 'track', userId: 'ada', event: 'Order Completed', properties: { total: 5 } });
      assert.deepEqual(await members(active), [ada], 'back in with a new event');
    });

    it('lifecycle moves forward on purchases and back to lapsed after 180 days', async () => {
      await h.send('Web', 'web', { type: 'page', userId: 'bo', name: 'Home' });
      assert.equal(await stageOf('bo'), 'awareness');
      await h.send('Web', 'web', { type: 'track', userId: 'bo', event: 'Product Viewed' });
      assert.equal(await stageOf('bo'), 'consideration');
      await h.send('Store', 'store', { type: 'track', userId: 'bo', event: 'Order Completed', properties: { total: 20 } });
      assert.equal(await stageOf('bo'), 'purchase');
      await h.send(
        'Store',
        'store',
        { type: 'track', userId: 'bo', event: 'Order Completed', properties: { total: 20 } },
        { type: 'track', userId: 'bo', event: 'Order Completed', properties: { total: 20 } },
      );
      assert.equal(await stageOf('bo'), 'loyalty');
      await h.passTime(181 * DAY);
      assert.equal(await stageOf('bo'), 'lapsed', 'no event needed');
      await h.send('Store', 'store', { type: 'track', userId: 'bo', event: 'Order Completed', properties: { total: 20 } });
      assert.equal(await stageOf('bo'), 'loyalty', 'stages move both ways');
      const history = await h.tp.standing.lifecycle.history((await h.profileOf('userId', 'bo'))!);
      assert.deepEqual(
        history.map((x) => x.to),
        ['awareness', 'consideration', 'purchase', 'loyalty', 'lapsed', 'loyalty'],
      );
      assert.deepEqual(
        history.map((x) => x.trigger),
        ['event', 'event', 'event', 'event', 'schedule', 'event'],
      );
      const now = h.clock.now();
      const distribution = await h.tp.standing.lifecycle.distribution(now);
      assert.equal(distribution.loyalty, 1);
      assert.equal((await h.tp.standing.lifecycle.distribution(now - 500)).lapsed, 2, 'as it was just before the last order: ada and bo');
      assert.equal((await h.tp.standing.lifecycle.distribution(now - 2 * DAY)).lapsed, undefined, 'and not two days before');
    });

    it('nests segments, and handles not / or edge cases', async () => {
      await h.send(
        'Store',
        'store',
        { type: 'identify', userId: 'cy', traits: { tier: 'gold', email: 'cy@example.com' } },
        { type: 'track', userId: 'cy', event: 'Order Completed', properties: { total: 300 } },
      );
      await h.send('Web', 'web', { type: 'identify', userId: 'di', traits: { tier: 'silver' } });
      const gold = await define('Gold', { trait: 'tier', op: 'eq', value: 'gold' });
      const storeOnly = await define('Store only', { channel: 'store', op: 'only' });
      const goldStore = await define('Gold store buyers', { all: [{ segment: 'Gold' }, { segment: 'Store only' }] });
      const notGold = await define('Not gold', { not: { segment: gold } });
      const eitherWay = await define('Gold or silver', { any: [{ trait: 'tier', op: 'eq', value: 'silver' }, { segment: 'Gold' }] });
      const cy = (await h.profileOf('userId', 'cy'))!;
      const di = (await h.profileOf('userId', 'di'))!;
      assert.deepEqual(await members(goldStore), [cy]);
      assert.ok((await members(notGold)).includes(di));
      assert.ok(!(await members(notGold)).includes(cy));
      assert.deepEqual(await members(eitherWay), [cy, di].sort());
      assert.ok((await members(storeOnly)).includes(cy));
      await h.send('Web', 'web', { type: 'identify', userId: 'cy', traits: { tier: 'silver' } });
      assert.deepEqual(await members(goldStore), [], 'left Gold (trait) and Store only (now web too) at once');
      assert.ok((await members(notGold)).includes(cy), 'the dependent segment follows in the same event');
      await assert.rejects(h.tp.standing.segments.update(gold, { condition: { segment: 'Gold store buyers' } }), { code: 'TP_INVALID_CONDITION' });
      await assert.rejects(h.tp.standing.segments.create({ name: 'Bad', condition: { trait: 'x', op: 'gt', value: 'y' } }), { code: 'TP_INVALID_CONDITION' });
      await assert.rejects(h.tp.standing.segments.remove(gold), {
        code: 'TP_SEGMENT_IN_USE',
        message: /used by segment Gold store buyers, segment Not gold, segment Gold or silver/,
      });
      await assert.rejects(h.tp.standing.segments.update(gold, { name: 'Golden' }), {
        code: 'TP_SEGMENT_IN_USE',
        message: /used by its name by segment Gold store buyers, segment Gold or silver/,
      });
      await h.tp.standing.segments.update(notGold, { name: 'Not golden' });
      assert.equal((await h.tp.standing.segments.find(notGold)).name, 'Not golden', 'a segment nobody refers to by name can be renamed');
    });

    it('refuses references that do not hold, naming every one with its JSON pointer', async () => {
      const condition = { all: [{ segment: 'Nope' }, { any: [{ stage: ['loyalty', 'x'] }, { computedTrait: 'ltv', op: 'gte', value: 1 }] }] } as Condition;
      await assert.rejects(h.tp.standing.segments.create({ name: 'Broken', condition }), (error: Error & { code: string }) => {
        assert.equal(error.code, 'TP_INVALID_CONDITION');
        assert.match(error.message, /\/all\/0: refers to segment "Nope", which does not exist/);
        assert.match(error.message, /\/all\/1\/any\/0: refers to stage "x", which the lifecycle model does not have/);
        assert.match(error.message, /\/all\/1\/any\/1: refers to computed trait "ltv", which does not exist/);
        return true;
      });
      const stageBound = await define('Lapsed or loyal', { stage: ['lapsed', 'loyalty'] });
      const model = await h.tp.standing.lifecycle.model();
      await assert.rejects(h.tp.standing.lifecycle.replaceModel({ stages: model.stages.filter((s) => s.name !== 'lapsed') }), {
        code: 'TP_INVALID_CONDITION',
        message: /segment Lapsed or loyal refers to stage lapsed, which this model does not have/,
      });
      const cyclic = { stages: [{ name: 'vip', condition: { segment: 'Lapsed or loyal' } }, ...model.stages] } as typeof model;
      await assert.rejects(h.tp.standing.lifecycle.replaceModel(cyclic), {
        code: 'TP_INVALID_CONDITION',
        message: /stage vip refers to segment Lapsed or loyal, which refers to stages/,
      });
      const plain = await define('Has an email', { trait: 'email', op: 'exists' });
      await h.tp.standing.lifecycle.replaceModel({ stages: [{ name: 'known', condition: { segment: 'Has an email' } }, ...model.stages] });
      await h.settle();
      await assert.rejects(h.tp.standing.segments.remove(plain), { code: 'TP_SEGMENT_IN_USE', message: /stage known/ });
      await assert.rejects(h.tp.standing.segments.update(plain, { condition: { stage: 'loyalty' } }), {
        code: 'TP_INVALID_CONDITION',
        message: /stage known refers to segment Has an email/,
      });
      await h.tp.standing.lifecycle.replaceModel(model);
      await h.settle();
      await h.tp.standing.segments.remove(plain);
      await h.tp.standing.segments.remove(stageBound);
    });

    it('static segments from identifiers, and edits back-fill', async () => {
      const { id, unmatched } = await h.tp.standing.segments.create({
        name: 'VIP list',
        identifiers: [
          { kind: 'email', value: 'CY@example.com' },
          { kind: 'userId', value: 'nobody' },
        ],
      });
      assert.equal(unmatched, 1);
      assert.deepEqual(await members(id), [await h.profileOf('userId', 'cy')]);
      const buyers = await define('Buyers', { event: 'Order Completed', atLeast: 2 });
      const before = await members(buyers);
      await h.tp.standing.segments.update(buyers, { condition: { event: 'Order Completed', atLeast: 1 } });
      await h.settle();
      assert.ok((await members(buyers)).length > before.length);
      assert.equal((await h.tp.standing.segments.find(buyers)).status, 'ready');
    });

    it('records daily sizes', async () => {
      await h.tp.standing.segments.recordSizes();
      const sizes = await h.tp.standing.segments.sizes('Gold or silver');
      assert.equal(sizes.length, 1);
      assert.equal(sizes[0]!.size, 2);
    });

    it('a rebuild gives the same stages and memberships', async () => {
      const snapshot = async () => ({
        stages: await Promise.all(['ada', 'bo', 'cy', 'di'].map(stageOf)),
        members: await Promise.all(['Active 7d', 'Gold', 'Gold or silver', 'Not golden', 'VIP list'].map(members)),
      });
      const before = await snapshot();
      await h.tp.pipeline.rebuild();
      await h.tp.pipeline.drain();
      assert.deepEqual(await snapshot(), before);
    });
  });
}
