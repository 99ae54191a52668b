/**
 * The contact policy through the whole engine, with a manual clock: journeys
 * ask, the policy decides in the runner's transaction with the contact
 * history in view, deferred messages are released when due, and every
 * decision is in the history with its reason. Runs on every dialect.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { controlDraw } from '../src/policy/index.js';
import { DIALECTS } from './support/dialects.js';
import { restartHarness, startHarness, type Harness } from './support/journeys.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const granted = { email: 'granted', push: 'granted', sms: 'granted' };
const MAIL = (subject: string) => ({ email: { subject, html: `<p>${subject}</p>` }, sms: { text: subject }, push: { title: subject, body: subject } });

/** A journey that sends one content item on an event. */
const onEvent = (event: string, content: string, extra: Record<string, unknown> = {}, send: Record<string, unknown> = {}) => ({
  entry: { event: { name: event } },
  reentry: { mode: 'always' },
  ...extra,
  steps: [{ id: 'send', send: { channel: 'email', content, ...send } }],
});

async function setUp(h: Harness, policy: unknown, journeys: Record<string, unknown>): Promise<void> {
  const put = await h.api('PUT', '/api/policy', policy);
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const contents = new Set(Object.values(journeys).map((j) => (j as { steps: { send: { content: string } }[] }).steps[0]!.send.content));
  for (const name of contents) await h.content(name, MAIL(name));
  for (const [name, definition] of Object.entries(journeys)) await h.journey(name, definition);
}

/** Messages oldest first as "content:status[:reason]". */
async function history(h: Harness, query = ''): Promise<string[]> {
  const messages = (await h.messages(query)).reverse();
  const names = new Map<string, string>();
  for (const m of messages) if (m.journeyId && !names.has(m.journeyId)) names.set(m.journeyId, (await h.api('GET', `/api/journeys/${m.journeyId}`)).body.name);
  return messages.map((m: { journeyId: string; status: string; reason: string | null }) =>
    [names.get(m.journeyId), m.status, m.status === 'sent' ? null : m.reason].filter(Boolean).join(':'),
  );
}

for (const dialect of DIALECTS) {
  describe(`contact policy in the engine (${dialect.name})`, () => {
    it('caps across channels count what was sent, and the window rolls over', async () => {
      const h = await startHarness(dialect);
      try {
        await setUp(
          h,
          {
            caps: [
              { max: 1, withinHours: 24 },
              { channel: 'sms', max: 1, withinHours: 168 },
            ],
          },
          {
            Welcome: onEvent('Signed Up', 'Hello'),
            Promo: onEvent('Browsed', 'Promo', {}, { channel: 'sms' }),
          },
        );
        await h.identify('u1', { email: 'u1@example.com', phone: '+33612345678', consent: granted });
        await h.track('u1', 'Signed Up');
        await h.settle();
        await h.track('u1', 'Browsed');
        await h.settle();
        assert.deepEqual(await history(h), ['Welcome:sent', 'Promo:suppressed:frequency_cap']);
        await h.advance(DAY + MINUTE);
        await h.track('u1', 'Browsed');
        await h.settle();
        await h.track('u1', 'Browsed');
        await h.settle();
        await h.advance(DAY + MINUTE);
        await h.track('u1', 'Browsed');
        await h.settle();
        // The day's cap rolled over; the weekly SMS cap did not.
        assert.deepEqual((await history(h)).slice(2), ['Promo:sent', 'Promo:suppressed:frequency_cap', 'Promo:suppressed:frequency_cap']);
        const suppressed = (await h.messages('&status=suppressed'))[0];
        const steps = (await h.api('GET', `/api/messages/${suppressed.id}`)).body.history;
        assert.equal(steps.find((s: { status: string }) => s.status === 'suppressed').detail.policyVersion, 1, 'the version that decided is recorded');
        // Erasure takes the customer's guard row with their messages.
        const id = await h.profileOf('u1');
        const guards = () =>
          h.tp.touchpoint.store.db.withTables<{ contact_guards: { profile_id: string } }>().selectFrom('contact_guards').selectAll().execute();
        assert.equal((await guards()).length, 1);
        assert.equal((await h.api('DELETE', `/api/profiles/${id}`)).status, 200);
        assert.deepEqual(await guards(), []);
      } finally {
        await h.dispose();
      }
    });

    it('quiet hours defer to their end in the customer\u2019s zone, and the message then goes out through the outbox', async () => {
      const h = await startHarness(dialect);
      try {
        await setUp(h, { quietHours: { start: '21:00', end: '08:00' } }, { Welcome: onEvent('Signed Up', 'Hello') });
        // The clock starts at 2026-11-23 12:00 UTC: 22:00 in Auckland (UTC+13).
        await h.identify('u1', { email: 'u1@example.com', consent: granted, timezone: 'Pacific/Auckland' });
        const before = (await h.api('GET', '/api/outbox?limit=10')).body;
        await h.track('u1', 'Signed Up');
        await h.settle();
        const [deferred] = await h.messages();
        assert.equal(deferred.status, 'deferred');
        assert.equal(deferred.reason, 'quiet_hours');
        assert.equal(deferred.deferredUntil, '2026-11-23T19:00:00.000Z', '08:00 in Auckland');
        await h.advance(6 * HOUR);
        assert.equal((await h.messages())[0].status, 'deferred', 'not before the end of quiet hours');
        await h.advance(4 * HOUR);
        const [sent] = await h.messages();
        assert.equal(sent.status, 'sent');
        assert.equal(sent.id, deferred.id, 'the same message, not a new one');
        const outbox = (await h.api('GET', `/api/outbox?limit=10&after=${before.next ?? 0}`)).body.messages;
        assert.deepEqual(
          outbox.map((m: { id: string }) => m.id),
          [deferred.id],
          'a reader past the message\u2019s first place still gets it',
        );
        const steps = (await h.api('GET', `/api/messages/${sent.id}`)).body.history.map((s: { status: string }) => s.status);
        assert.deepEqual(steps, ['requested', 'deferred', 'allowed', 'rendered', 'queued', 'sent']);
      } finally {
        await h.dispose();
      }
    });

    it('arbitration: requests in one window compete; the winner goes, the others wait or drop as their journey says', async () => {
      const h = await startHarness(dialect);
      try {
        await setUp(
          h,
          { caps: [{ max: 1, withinHours: 24 }], arbitration: { mode: 'priority', windowMinutes: 30 } },
          {
            Cart: onEvent('Cart Abandoned', 'Cart', { priority: 10 }),
            Browse: onEvent('Cart Abandoned', 'Browse', { priority: 5 }),
            News: onEvent('Cart Abandoned', 'News', { priority: 1, onConflict: 'drop' }),
          },
        );
        await h.identify('u1', { email: 'u1@example.com', consent: granted });
        await h.track('u1', 'Cart Abandoned');
        await h.settle();
        assert.deepEqual((await history(h)).sort(), ['Browse:deferred:arbitration', 'Cart:deferred:arbitration', 'News:deferred:arbitration']);
        await h.advance(31 * MINUTE);
        const after = Object.fromEntries((await history(h)).map((m) => [m.split(':')[0], m]));
        assert.deepEqual(after, { Cart: 'Cart:sent', Browse: 'Browse:deferred:arbitration_lost', News: 'News:suppressed:arbitration_lost' });
        // The loser waits until the daily cap has room, then goes.
        await h.advance(DAY);
        assert.equal(Object.fromEntries((await history(h)).map((m) => [m.split(':')[0], m])).Browse, 'Browse:sent');
      } finally {
        await h.dispose();
      }
    });

    it('fallback: a customer without consent for email gets the push, and the history says why', async () => {
      const h = await startHarness(dialect);
      try {
        await setUp(h, {}, { Welcome: onEvent('Signed Up', 'Hello', {}, { fallback: ['push', 'sms'] }) });
        await h.identify('u1', { email: 'u1@example.com', consent: { email: 'denied', push: 'granted' } });
        await h.track('u1', 'Signed Up');
        await h.settle();
        const [m] = await h.messages();
        assert.equal(m.channel, 'push');
        assert.equal(m.status, 'sent');
        const rerouted = (await h.api('GET', `/api/messages/${m.id}`)).body.history.find((s: { status: string }) => s.status === 'rerouted');
        assert.deepEqual(rerouted.detail, { reason: 'consent_denied', from: 'email', to: 'push' });
        assert.equal(m.rendered.title, 'Hello', 'the push variant was rendered');
      } finally {
        await h.dispose();
      }
    });

    it('transactional messages bypass caps and quiet hours, never a denial', async () => {
      const h = await startHarness(dialect);
      try {
        await setUp(
          h,
          { caps: [{ max: 0, withinHours: 24 }], quietHours: { start: '00:00', end: '23:59' } },
          {
            Receipt: onEvent('Order Completed', 'Receipt', {}, { purpose: 'transactional' }),
          },
        );
        await h.identify('u1', { email: 'u1@example.com' });
        // u2 unsubscribed from marketing email: receipts still go. u3 opted out of email altogether: nothing goes.
        await h.identify('u2', { email: 'u2@example.com', consent: { email: 'denied' } });
        await h.identify('u3', { email: 'u3@example.com', consent: { email: { all: 'denied' } } });
        for (const u of ['u1', 'u2', 'u3']) await h.track(u, 'Order Completed');
        await h.settle();
        assert.deepEqual((await history(h)).sort(), ['Receipt:sent', 'Receipt:sent', 'Receipt:suppressed:consent_denied']);
      } finally {
        await h.dispose();
      }
    });

    it('the global control group is stable across restarts and its would-be messages are held out', async () => {
      let h = await startHarness(dialect);
      try {
        await setUp(h, { controlGroup: { share: 0.3, salt: 'holdout' } }, { Promo: onEvent('Browsed', 'Promo') });
        const users = Array.from({ length: 30 }, (_, i) => `c${i}`);
        for (const u of users) await h.identify(u, { email: `${u}@example.com`, consent: granted });
        for (const u of users) await h.track(u, 'Browsed');
        await h.settle();
        const held = async (harness: Harness) =>
          new Set(
            (await harness.messages('&status=suppressed'))
              .filter((m: { reason: string }) => m.reason === 'control_group')
              .map((m: { profileId: string }) => m.profileId),
          );
        const first = await held(h);
        const expected = new Set<string>();
        for (const u of users) {
          const id = await h.profileOf(u);
          if (controlDraw(id, 'holdout') < 0.3) expected.add(id);
        }
        assert.deepEqual(first, expected);
        assert.ok(first.size > 0 && first.size < users.length, `${first.size} of ${users.length} held out`);
        // A restart: the same customers are held out of the next send.
        h = await restartHarness(h);
        for (const u of users) await h.track(u, 'Browsed');
        await h.settle();
        const heldTwice = (await h.messages('&status=suppressed')).filter((m: { reason: string }) => m.reason === 'control_group');
        assert.equal(heldTwice.length, first.size * 2);
        for (const m of heldTwice) assert.ok(first.has(m.profileId));
      } finally {
        await h.dispose();
      }
    });

    it('fatigue: a content ignored three times in a row is not sent for the period, with its own reason', async () => {
      const h = await startHarness(dialect);
      try {
        await setUp(h, { fatigue: { ignoredInARow: 3, suppressForDays: 7, respondWithinHours: 24 } }, { Promo: onEvent('Browsed', 'Promo') });
        await h.identify('u1', { email: 'u1@example.com', consent: granted });
        await h.identify('u2', { email: 'u2@example.com', consent: granted });
        for (let day = 0; day < 4; day++) {
          await h.track('u1', 'Browsed');
          await h.track('u2', 'Browsed');
          await h.settle();
          // u2 opens what it gets; u1 ignores everything.
          const u2 = await h.profileOf('u2');
          for (const m of await h.messages(`&profileId=${u2}&status=sent`))
            assert.equal((await h.api('POST', `/api/messages/${m.id}/events`, { status: 'opened' })).status, 200);
          await h.advance(DAY + MINUTE);
        }
        const u1 = await h.profileOf('u1');
        assert.deepEqual((await h.messages(`&profileId=${u1}`)).map((m: { status: string; reason: string | null }) => `${m.status}:${m.reason}`).reverse(), [
          'sent:null',
          'sent:null',
          'sent:null',
          'suppressed:fatigue',
        ]);
        const u2 = await h.profileOf('u2');
        assert.equal((await h.messages(`&profileId=${u2}`)).filter((m: { status: string }) => m.status === 'opened').length, 4);
        // After the period, it may be sent again.
        await h.advance(7 * DAY);
        await h.track('u1', 'Browsed');
        await h.settle();
        assert.equal((await h.messages(`&profileId=${u1}`))[0].status, 'sent');
      } finally {
        await h.dispose();
      }
    });
    it('send-time optimisation: a send step waits for the hour the customer is usually active, within its limit', async () => {
      const h = await startHarness(dialect);
      try {
        await setUp(h, {}, { Digest: onEvent('Signed Up', 'Digest', {}, { sendAt: 'best_hour', maxDelayHours: 12 }) });
        // u1 (in Paris) visits in the evening, around 20:00 Paris (19:00 UTC); u2 has no habit yet, and the brand none either.
        await h.identify('u1', { email: 'u1@example.com', consent: granted, timezone: 'Europe/Paris' });
        await h.identify('u2', { email: 'u2@example.com', consent: granted });
        for (let day = 1; day <= 4; day++) await h.track('u1', 'Page Viewed', {}, Date.parse('2026-11-23T19:10:00Z') - day * DAY);
        await h.settle();
        await h.track('u1', 'Signed Up');
        await h.track('u2', 'Signed Up');
        await h.settle();
        const byUser = async () => {
          const [u1, u2] = [await h.profileOf('u1'), await h.profileOf('u2')];
          const all = await h.messages();
          return [all.find((m: { profileId: string }) => m.profileId === u1), all.find((m: { profileId: string }) => m.profileId === u2)];
        };
        const [first, second] = await byUser();
        assert.equal(second.status, 'sent', 'no best hour known: sent at once');
        assert.equal(first.status, 'deferred');
        assert.equal(first.reason, 'send_time');
        assert.equal(first.deferredUntil, '2026-11-23T19:00:00.000Z', '20:00 in Paris');
        await h.advance(7 * HOUR);
        assert.equal((await byUser())[0].status, 'sent');
        const simulated = await h.api('POST', '/api/policy/simulate', {
          profileId: await h.profileOf('u1'),
          channel: 'email',
          sendAt: 'best_hour',
          maxDelayHours: 2,
        });
        assert.equal(simulated.body.decision.kind, 'allow', 'the next 20:00 is beyond two hours: sent now');
      } finally {
        await h.dispose();
      }
    });
  });
}
