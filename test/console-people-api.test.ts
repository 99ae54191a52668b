// Responses are JSON of many shapes; tests read them as they are.
/* biome-ignore-all lint/suspicious/noExplicitAny: API bodies in tests */
/**
 * The endpoints the console's Overview, Customer 360 and Sources pages read:
 * the contact history summed up by outcome, day, channel and reason; a
 * customer's enrolments in every journey; events per source per day; and a
 * source's recent refusals, kept to the last 100.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';
import { basic } from './support/touchpoint.js';

const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`console people API (${dialect.name})`, () => {
    let h: Harness;
    let journeyId: string;
    before(async () => {
      h = await startHarness(dialect);
      await h.content('Welcome', { email: { subject: 'Welcome', html: '<p>Hi</p>' } });
      journeyId = await h.journey('Welcome series', {
        entry: { event: { name: 'Signed Up' } },
        steps: [{ id: 's', send: { channel: 'email', content: 'Welcome' } }],
      });
      await h.identify('ann', { email: 'ann@example.com', consent: { email: 'granted' } });
      await h.identify('bob', { email: 'bob@example.com' });
      await h.settle();
      await h.track('ann', 'Signed Up');
      await h.track('bob', 'Signed Up');
      await h.settle();
    });
    after(() => h?.dispose());

    it('sums up the messages of a period: sent and held back, by day, channel and reason', async () => {
      const now = h.tp.clock.now();
      const r = await h.api('GET', `/api/messages/summary?from=${new Date(now - 7 * DAY).toISOString()}&to=${new Date(now + 1000).toISOString()}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.total, 2);
      assert.equal(r.body.outcomes.suppressed, 1);
      assert.equal(r.body.outcomes.sent + r.body.outcomes.pending, 1);
      assert.deepEqual(r.body.reasons, [{ outcome: 'suppressed', reason: 'no_consent', count: 1 }]);
      assert.deepEqual(
        r.body.channels.map((c: any) => [c.channel, c.suppressed]),
        [['email', 1]],
      );
      assert.equal(r.body.days.length, 8, 'every day of the period, empty ones included');
      assert.equal(r.body.days.at(-1).day, new Date(now).toISOString().slice(0, 10));
      assert.equal(r.body.days.at(-1).suppressed, 1);
      assert.equal(r.body.days[0].suppressed + r.body.days[0].sent, 0);
    });

    it('counts nothing outside the period, and refuses a period that ends before it starts', async () => {
      const now = h.tp.clock.now();
      const old = await h.api('GET', `/api/messages/summary?from=${new Date(now - 30 * DAY).toISOString()}&to=${new Date(now - DAY).toISOString()}`);
      assert.equal(old.body.total, 0);
      const bad = await h.api('GET', `/api/messages/summary?from=${new Date(now).toISOString()}&to=${new Date(now - DAY).toISOString()}`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'TP_VALIDATION');
      assert.match(bad.body.error.message, /from must be before/);
    });

    it("sums up customers' events per channel and day by event time, with orders", async () => {
      const now = h.tp.clock.now();
      await h.send({
        type: 'track',
        userId: 'ann',
        event: 'Order Completed',
        properties: { total: 5 },
        context: { channel: 'store' },
        timestamp: new Date(now - 2 * DAY).toISOString(),
      });
      await h.settle();
      const r = await h.api('GET', `/api/activity?from=${new Date(now - 3 * DAY).toISOString()}&to=${new Date(now + 1000).toISOString()}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.customers, 2);
      assert.equal(r.body.orders, 1);
      assert.equal(r.body.days.length, 4);
      const store = r.body.channels.find((c: any) => c.channel === 'store');
      assert.deepEqual(store, { channel: 'store', counts: [0, 1, 0, 0], events: 1, orders: 1 });
      const web = r.body.channels.find((c: any) => c.channel === 'web');
      assert.equal(web.counts.at(-1), web.events, "the web shop's events are all today's");
      assert.equal(r.body.events, web.events + 1);
      const before = await h.api('GET', `/api/activity?from=${new Date(now - 30 * DAY).toISOString()}&to=${new Date(now - 3 * DAY).toISOString()}`);
      assert.equal(before.body.events, 0);

      // The answer is kept a while, saying so; fresh=true counts again.
      const url = `/api/activity?from=${new Date(now - 3 * DAY).toISOString()}&to=${new Date(now + 1000).toISOString()}`;
      assert.equal(r.body.freshness.cached, false);
      await h.send({ type: 'track', userId: 'ann', event: 'Order Completed', context: { channel: 'store' }, timestamp: new Date(now - DAY).toISOString() });
      await h.settle();
      const kept = await h.api('GET', url);
      assert.equal(kept.body.orders, 1);
      assert.deepEqual([kept.body.freshness.cached, kept.body.freshness.computedAt], [true, r.body.freshness.computedAt]);
      assert.ok(kept.body.freshness.eventsSince >= 1);
      const fresh = await h.api('GET', `${url}&fresh=true`);
      assert.equal(fresh.body.orders, 2);
      assert.equal(fresh.body.freshness.cached, false);
    });

    it("lists a customer's enrolments in every journey with the journey's name", async () => {
      const ann = await h.profileOf('ann');
      const r = await h.api('GET', `/api/enrolments?profileId=${ann}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.enrolments.length, 1);
      assert.equal(r.body.enrolments[0].journeyId, journeyId);
      assert.equal(r.body.enrolments[0].journeyName, 'Welcome series');
      assert.equal(r.body.enrolments[0].profileId, ann);
      assert.deepEqual((await h.api('GET', '/api/enrolments?profileId=prf_nobody')).body.enrolments, []);
      assert.equal((await h.api('GET', '/api/enrolments')).status, 400);
    });

    it('counts events per source per day by the time they were received', async () => {
      const pos = await h.tp.createSource('Store POS', 'store');
      h.tp.clock.advance(DAY);
      const today = h.tp.clock.now();
      for (let i = 0; i < 3; i++) {
        const response = await h.tp.app.inject({
          method: 'POST',
          url: '/v1/track',
          headers: basic(pos.writeKey),
          payload: { userId: 'ann', event: 'Order Completed', properties: { total: 10 } },
        });
        assert.equal(response.statusCode, 200, response.body);
      }
      const r = await h.api('GET', '/api/sources/volume?days=3');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(
        r.body.days,
        [2, 1, 0].map((n) => new Date(today - n * DAY).toISOString().slice(0, 10)),
      );
      const byName = Object.fromEntries(r.body.sources.map((s: any) => [s.name, s]));
      assert.deepEqual(byName['Store POS'].counts, [0, 0, 3]);
      assert.equal(byName['Store POS'].channel, 'store');
      // The web shop's 6 events (2 identifies, 2 sign-ups, two orders dated earlier) were received yesterday.
      assert.deepEqual(byName['Web shop'].counts, [0, 6, 0]);
      assert.equal(byName['Web shop'].total, 6);
    });

    it("keeps a source's refused messages, newest first, up to 100", async () => {
      const web = h.source;
      const bad = await h.tp.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: basic(web.writeKey),
        payload: {
          batch: [
            { type: 'track', userId: 'ann', event: 'Fine', messageId: 'ok-1' },
            { type: 'track', event: 'No one' },
          ],
        },
      });
      assert.equal(bad.statusCode, 200);
      const r = await h.api('GET', '/api/sources/Web%20shop/rejections');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.rejections.length, 1);
      assert.equal(r.body.rejections[0].code, 'TP_MISSING_IDENTITY');
      assert.equal(r.body.rejections[0].index, 1);
      const many = Array.from({ length: 120 }, (_, i) => ({ type: 'track', event: `Bad ${i}` }));
      const all = await h.tp.app.inject({ method: 'POST', url: '/v1/batch', headers: basic(web.writeKey), payload: { batch: many } });
      assert.equal(all.statusCode, 400);
      const kept = await h.api('GET', '/api/sources/Web%20shop/rejections?limit=100');
      assert.equal(kept.body.rejections.length, 100);
      assert.ok(kept.body.rejections.every((x: any) => x.code === 'TP_MISSING_IDENTITY'));
      const stored = await h.tp.touchpoint.store.db
        .withTables<{ source_rejections: { source_id: string } }>()
        .selectFrom('source_rejections')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      assert.equal(Number(stored?.n), 100, 'older refusals are deleted');
      assert.equal((await h.api('GET', '/api/sources/nope/rejections')).body.error.code, 'TP_SOURCE_NOT_FOUND');
    });
  });
}
