/* biome-ignore-all lint/suspicious/noExplicitAny: review tests */
/** Edges of the contact policy found in review: each case states what docs/policy.md promises. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { releaseDue } from '../src/journeys/release.js';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const granted = { email: 'granted', push: 'granted', sms: 'granted' };
const VARIANTS = (s: string) => ({
  email: { subject: s, html: `<p>${s}</p>` },
  sms: { text: s },
  push: { title: s, body: s },
  webhook: { payload: { text: s } },
});
const onEvent = (event: string, content: string, extra: Record<string, unknown> = {}, send: Record<string, unknown> = {}) => ({
  entry: { event: { name: event } },
  reentry: { mode: 'always' },
  ...extra,
  steps: [{ id: 'send', send: { channel: 'email', content, ...send } }],
});

async function setUp(h: Harness, policy: unknown, journeys: Record<string, any>): Promise<Record<string, string>> {
  const put = await h.api('PUT', '/api/policy', policy);
  assert.equal(put.status, 200, JSON.stringify(put.body));
  for (const name of new Set(Object.values(journeys).map((j) => j.steps[0].send.content))) await h.content(name, VARIANTS(name));
  const ids: Record<string, string> = {};
  for (const [name, d] of Object.entries(journeys)) ids[name] = await h.journey(name, d);
  return ids;
}
const brief = (ms: any[]) => ms.map((m) => `${m.channel}:${m.status}:${m.reason}`).reverse();

const sqlite = DIALECTS.find((d) => d.name === 'sqlite')!;
const t = it;

describe('contact policy edges', () => {
  t('a purpose the policy lists as transactional is rendered (not render_failed)', async () => {
    const h = await startHarness(sqlite);
    try {
      await setUp(
        h,
        { transactionalPurposes: ['transactional', 'order_status'] },
        { Ship: onEvent('Order Shipped', 'Shipped', {}, { purpose: 'order_status' }) },
      );
      await h.identify('u1', { email: 'u1@example.com' }); // no consent recorded: a transactional purpose needs none
      await h.track('u1', 'Order Shipped');
      await h.settle();
      assert.deepEqual(brief(await h.messages()), ['email:sent:null']);
    } finally {
      await h.dispose();
    }
  });

  t('best_hour still applies when the policy has an arbitration window', async () => {
    const h = await startHarness(sqlite);
    try {
      await setUp(h, { arbitration: { windowMinutes: 30 } }, { Digest: onEvent('Signed Up', 'Digest', {}, { sendAt: 'best_hour', maxDelayHours: 12 }) });
      await h.identify('u1', { email: 'u1@example.com', consent: granted, timezone: 'Europe/Paris' });
      for (let day = 1; day <= 4; day++) await h.track('u1', 'Page Viewed', {}, Date.parse('2026-11-23T19:10:00Z') - day * DAY);
      await h.settle();
      await h.track('u1', 'Signed Up');
      await h.settle();
      await h.advance(31 * MINUTE);
      const [m] = await h.messages();
      // Expected: deferred (send_time) to 2026-11-23T19:00Z, 20:00 in Paris. Actual: sent at 12:31 UTC when the window closed.
      assert.equal(m.status, 'deferred', `${m.status} ${m.reason}`);
      assert.equal(m.deferredUntil, '2026-11-23T19:00:00.000Z');
    } finally {
      await h.dispose();
    }
  });

  t('a message deferred by quiet hours is not sent after the customer reached the journey goal', async () => {
    const h = await startHarness(sqlite);
    try {
      const ids = await setUp(
        h,
        { quietHours: { start: '21:00', end: '08:00' } },
        {
          Cart: {
            ...onEvent('Cart Abandoned', 'Cart'),
            goal: { event: 'Order Completed', within: { days: 3 } },
            steps: [
              { id: 'send', send: { channel: 'email', content: 'Cart' }, next: 'w' },
              { id: 'w', wait: { days: 2 } },
            ],
          },
        },
      );
      // 12:00 UTC is 22:00 in Auckland: quiet.
      await h.identify('u1', { email: 'u1@example.com', consent: granted, timezone: 'Pacific/Auckland' });
      await h.track('u1', 'Cart Abandoned');
      await h.settle();
      assert.equal((await h.messages())[0].status, 'deferred');
      await h.advance(HOUR);
      await h.track('u1', 'Order Completed', { revenue: 10 });
      await h.settle();
      const enrolments = (await h.api('GET', `/api/journeys/${ids.Cart}/enrolments`)).body.enrolments;
      assert.equal(enrolments[0].status, 'converted');
      await h.advance(10 * HOUR);
      const [m] = await h.messages();
      assert.notEqual(m.status, 'sent', `the cart reminder went out after the order: enrolment ${enrolments[0].status}`);
    } finally {
      await h.dispose();
    }
  });

  t('arbitration holds when the release batch splits a customer\u2019s window', async () => {
    const h = await startHarness(sqlite, { TOUCHPOINT_JOURNEY_BATCH_SIZE: '1' });
    try {
      await setUp(
        h,
        { arbitration: { mode: 'priority', windowMinutes: 30 } },
        { Cart: onEvent('Cart Abandoned', 'Cart', { priority: 10 }), News: onEvent('Cart Abandoned', 'News', { priority: 1, onConflict: 'drop' }) },
      );
      await h.identify('u1', { email: 'u1@example.com', consent: granted });
      await h.track('u1', 'Cart Abandoned');
      await h.settle();
      assert.deepEqual(
        (await h.messages()).map((m: any) => `${m.status}:${m.reason}`),
        ['deferred:arbitration', 'deferred:arbitration'],
      );
      await h.advance(31 * MINUTE);
      const statuses = (await h.messages()).map((m: any) => `${m.status}:${m.reason}`).sort();
      assert.deepEqual(statuses, ['sent:null', 'suppressed:arbitration_lost']);
    } finally {
      await h.dispose();
    }
  });

  t('caps count a message sent to a profile merged into the survivor since', async () => {
    const h = await startHarness(sqlite);
    try {
      await setUp(h, { caps: [{ max: 1, withinHours: 24 }] }, { Promo: onEvent('Browsed', 'Promo') });
      await h.identify('u1', { name: 'Ann' }); // the older profile: it survives the merge
      await h.advance(MINUTE);
      await h.send({ type: 'identify', anonymousId: 'a1', traits: { email: 'ann@example.com', consent: granted } });
      await h.send({ type: 'track', anonymousId: 'a1', event: 'Browsed' });
      await h.settle();
      await h.send({ type: 'identify', anonymousId: 'a1', userId: 'u1', traits: {} });
      await h.settle();
      const anon = (await h.api('GET', '/api/profiles/lookup?kind=anonymousId&value=a1')).body.id;
      assert.equal(anon, await h.profileOf('u1'), 'a1 and u1 are one customer now');
      await h.track('u1', 'Browsed');
      await h.settle();
      const all = await h.messages();
      assert.equal(new Set(all.map((m: any) => m.profileId)).size >= 1, true);
      const sent = all.filter((m: any) => m.status === 'sent');
      assert.equal(sent.length, 1, `one customer, cap 1 a day: ${JSON.stringify(all.map((m: any) => [m.profileId, m.status]))}`);
    } finally {
      await h.dispose();
    }
  });

  t('a webhook fallback does not carry a marketing message past an email opt-out', async () => {
    const h = await startHarness(sqlite);
    try {
      await setUp(h, {}, { Promo: onEvent('Browsed', 'Promo', {}, { fallback: ['webhook'] }) });
      await h.identify('u1', { email: 'u1@example.com', consent: { email: { all: 'denied' } } });
      await h.track('u1', 'Browsed');
      await h.settle();
      assert.deepEqual(brief(await h.messages()), ['email:suppressed:consent_denied']);
    } finally {
      await h.dispose();
    }
  });

  t('quiet hours longer than deferLimitHours still deliver the message (deferred, not lost)', async () => {
    const h = await startHarness(sqlite);
    try {
      await setUp(h, { quietHours: { start: '21:00', end: '08:00' }, deferLimitHours: 6 }, { Welcome: onEvent('Signed Up', 'Hello') });
      await h.identify('u1', { email: 'u1@example.com', consent: granted, timezone: 'Pacific/Auckland' });
      await h.track('u1', 'Signed Up');
      await h.settle();
      await h.advance(10 * HOUR);
      assert.deepEqual(brief(await h.messages()), ['email:sent:null']);
    } finally {
      await h.dispose();
    }
  });

  t('a policy listing marketing as transactional is refused (it would send marketing without consent)', async () => {
    const h = await startHarness(sqlite);
    try {
      const put = await h.api('PUT', '/api/policy', { transactionalPurposes: ['marketing'] });
      assert.equal(put.status, 400);
    } finally {
      await h.dispose();
    }
  });
});

for (const dialect of DIALECTS)
  describe(`policy windows within bounds (${dialect.name})`, () => {
    t('a cap window beyond a year is refused; a year-long one decides', async () => {
      const h = await startHarness(dialect);
      try {
        const refused = await h.api('PUT', '/api/policy', { caps: [{ max: 100, withinHours: 1e13 }] });
        assert.equal(refused.status, 400);
        assert.match(refused.body.error.message, /\/caps\/0\/withinHours/);
        await setUp(h, { caps: [{ max: 100, withinHours: 8760 }] }, { Welcome: onEvent('Signed Up', 'Hello') });
        await h.identify('u1', { email: 'u1@example.com', consent: granted });
        await h.track('u1', 'Signed Up');
        await h.settle();
        assert.deepEqual(brief(await h.messages()), ['email:sent:null']);
      } finally {
        await h.dispose();
      }
    });
  });

describe('release with a stale due list (a second runner)', () => {
  t('a loser re-deferred by one runner is not dropped by another that read it as due before', async () => {
    const h = await startHarness(sqlite);
    try {
      await setUp(
        h,
        { caps: [{ max: 1, withinHours: 24 }], arbitration: { mode: 'priority', windowMinutes: 30 } },
        { Cart: onEvent('Cart Abandoned', 'Cart', { priority: 10 }), Browse: onEvent('Cart Abandoned', 'Browse', { priority: 5 }) },
      );
      await h.identify('u1', { email: 'u1@example.com', consent: granted });
      await h.track('u1', 'Cart Abandoned');
      await h.settle();
      const tp = h.tp.touchpoint;
      h.tp.clock.advance(31 * MINUTE);
      const now = h.tp.clock.now();
      // Runner B reads what is due (outside its write transaction) ...
      const stale = await tp.messages.due(now, 10);
      assert.equal(stale.length, 2);
      // ... runner A releases them first: Cart goes, Browse waits for the cap.
      await h.settle();
      const byContent = async () => Object.fromEntries((await h.messages()).map((m: any) => [m.journeyId, `${m.status}:${m.reason}`]));
      const afterA = await byContent();
      // ... then runner B decides the same rows again.
      await releaseDue(
        {
          store: tp.store,
          messages: { ...tp.messages, due: async () => stale },
          policy: tp.policy,
          deliveries: { routeOf: () => 'outbox', enqueue: async () => {} },
          batchSize: 10,
          standpoints: (ids, at) => tp.standing.standpoints(ids, at),
          survivorOf: async (id) => id,
        },
        now,
      );
      assert.deepEqual(await byContent(), afterA, 'runner B changed what runner A decided');
    } finally {
      await h.dispose();
    }
  });
});
