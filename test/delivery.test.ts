// Responses are JSON of many shapes; tests read them as they are.
/* biome-ignore-all lint/suspicious/noExplicitAny: API bodies in tests */
/**
 * Messages through a webhook channel, end to end on every dialect: a
 * journey's SMS goes out signed to a receiver on loopback (checked with the
 * Standard Webhooks reference library), retried after 5xx answers, left as a
 * dead letter when refused for good or when the SSRF guard stops it, and
 * what the provider calls back lands in the contact history and, for the
 * customer's own responses, in their events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { webhookHeaders } from '../src/channels/webhook/sign.js';
import { DIALECTS } from './support/dialects.js';
import { admin } from './support/touchpoint.js';
import { startHarness, type Harness } from './support/journeys.js';
import { startReceiver, type Receiver } from './support/receiver.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const MINUTE = 60_000;

async function smsHarness(dialect: (typeof DIALECTS)[number], url: string, extra: Record<string, string> = {}): Promise<Harness> {
  const channels = { sms: { kind: 'webhook', url, secret: SECRET, maxAttempts: 3 } };
  const h = await startHarness(dialect, {
    TOUCHPOINT_CHANNELS: JSON.stringify(channels),
    TOUCHPOINT_OUTBOUND_ALLOW_LIST: '["127.0.0.1"]',
    TOUCHPOINT_DELIVERY_RETRY_BASE_MS: '1000',
    ...extra,
  });
  await h.content('code', { sms: { text: 'Your code is {{ event.properties.code }}' } });
  await h.journey('codes', {
    entry: { event: { name: 'Code Requested' } },
    reentry: { mode: 'always' },
    steps: [{ id: 'send', send: { channel: 'sms', content: 'code', purpose: 'transactional' } }],
  });
  await h.identify('u1', { phone: '+33612345678' });
  await h.settle();
  return h;
}

/** Runs the dispatcher until nothing it can take now is left. */
async function drain(h: Harness): Promise<void> {
  while ((await h.tp.touchpoint.channels.dispatcher.step()) > 0);
}

async function signedCallback(h: Harness, channel: string, body: unknown, secret = SECRET) {
  const text = JSON.stringify(body);
  const headers = webhookHeaders(secret, `cb-${Math.random()}`, Math.floor(h.tp.clock.now() / 1000), text);
  return h.tp.app.inject({ method: 'POST', url: `/hooks/channels/${channel}`, headers: { ...headers, 'content-type': 'application/json' }, payload: text });
}

for (const dialect of DIALECTS) {
  describe(`delivery through a webhook channel (${dialect.name})`, () => {
    let receiver: Receiver;
    before(async () => {
      receiver = await startReceiver();
    });
    after(() => receiver.close());

    it('sends a signed envelope that the reference library verifies, and records the answer', async () => {
      receiver.requests.length = 0;
      receiver.answer((_r, res) => res.writeHead(202, { 'content-type': 'application/json' }).end('{"id":"gw-1"}'));
      const h = await smsHarness(dialect, receiver.url);
      try {
        await h.track('u1', 'Code Requested', { code: '4711' });
        await h.settle();
        const [queued] = await h.messages();
        assert.equal(queued.status, 'queued', 'the journey queues; the channel sends');
        assert.equal(queued.delivery, 'sms');
        await drain(h);
        assert.equal(receiver.requests.length, 1);
        const r = receiver.requests[0]!;
        // The reference library signs alike (its verify would judge the test clock's timestamp stale).
        const timestamp = new Date(Number(r.headers['webhook-timestamp']) * 1000);
        assert.equal(new Webhook(SECRET).sign(String(r.headers['webhook-id']), timestamp, r.body), r.headers['webhook-signature']);
        const verified = JSON.parse(r.body);
        assert.equal(verified.type, 'message.send');
        assert.equal(r.headers['webhook-id'], queued.id, 'the message id is the idempotency key');
        assert.equal(verified.data.to, '+33612345678');
        assert.deepEqual(verified.data.content, { text: 'Your code is 4711' });
        const sent = (await h.api('GET', `/api/messages/${queued.id}`)).body;
        assert.equal(sent.status, 'sent');
        const step = sent.history.find((s: any) => s.status === 'sent');
        assert.equal(step.detail.response.status, 202);
        assert.equal(step.detail.response.body, '{"id":"gw-1"}');
        const metrics = (await h.tp.app.inject({ method: 'GET', url: '/metrics', headers: admin() })).body;
        assert.match(metrics, /touchpoint_deliveries_total\{channel="sms",outcome="sent"\} 1/);
        assert.match(metrics, /touchpoint_delivery_seconds_count\{channel="sms"\} 1/);
      } finally {
        await h.dispose();
      }
    });

    it('tries again after 5xx answers with a growing wait, then sends', async () => {
      receiver.requests.length = 0;
      let calls = 0;
      receiver.answer((_r, res) => (++calls <= 2 ? res.writeHead(503).end('busy') : res.writeHead(200).end('ok')));
      const h = await smsHarness(dialect, receiver.url);
      try {
        await h.track('u1', 'Code Requested', { code: '1' });
        await h.settle();
        await drain(h);
        assert.equal(receiver.requests.length, 1);
        await drain(h);
        assert.equal(receiver.requests.length, 1, 'not before the back-off');
        h.tp.clock.advance(10 * MINUTE);
        await drain(h);
        h.tp.clock.advance(60 * MINUTE);
        await drain(h);
        assert.equal(receiver.requests.length, 3);
        const [m] = await h.messages();
        const detail = (await h.api('GET', `/api/messages/${m.id}`)).body;
        assert.equal(detail.status, 'sent');
        const retries = detail.history.filter((s: any) => s.status === 'queued' && s.detail?.retry);
        assert.deepEqual(
          retries.map((s: any) => [s.detail.attempt, s.detail.retry, s.detail.response.status]),
          [
            [1, 'http_503', 503],
            [2, 'http_503', 503],
          ],
        );
        const ids = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
        assert.equal(ids.size, 1, 'every try carries the same webhook-id');
      } finally {
        await h.dispose();
      }
    });

    it('leaves a dead letter after the last try and sends it again on request', async () => {
      receiver.requests.length = 0;
      receiver.answer((_r, res) => res.writeHead(500).end('down'));
      const h = await smsHarness(dialect, receiver.url);
      try {
        await h.track('u1', 'Code Requested', { code: '2' });
        await h.settle();
        for (let i = 0; i < 3; i++) {
          await drain(h);
          h.tp.clock.advance(24 * 60 * MINUTE);
        }
        assert.equal(receiver.requests.length, 3, 'maxAttempts 3');
        const [m] = await h.messages();
        assert.equal(m.status, 'failed');
        assert.equal(m.reason, 'http_500');
        const dead = await h.api('GET', '/api/channels/sms/dead');
        assert.equal(dead.status, 200);
        assert.deepEqual(
          dead.body.dead.map((d: any) => [d.id, d.attempts, d.reason, d.response.status]),
          [[m.id, 3, 'http_500', 500]],
        );
        const channels = await h.api('GET', '/api/channels');
        assert.deepEqual(
          channels.body.map((c: any) => [c.name, c.kind, c.serves, c.waiting, c.dead]),
          [
            ['sms', 'webhook', 'sms', 0, 1],
            ['journey-calls', 'call', 'webhook', 0, 0],
          ],
        );
        receiver.answer((_r, res) => res.writeHead(200).end('ok'));
        const retried = await h.api('POST', `/api/channels/sms/dead/${m.id}/retry`);
        assert.deepEqual([retried.status, retried.body.status], [202, 'queued']);
        assert.equal((await h.messages())[0].status, 'queued');
        assert.equal((await h.api('GET', '/api/channels/sms/dead?before=garbage')).body.error.code, 'TP_INVALID_CURSOR');
        assert.equal((await h.api('POST', `/api/channels/sms/dead/${m.id}/retry`)).body.error.code, 'TP_DEAD_LETTER_NOT_FOUND');
        assert.equal((await h.api('GET', '/api/channels/nope/dead')).body.error.code, 'TP_CHANNEL_NOT_FOUND');
        await drain(h);
        assert.equal((await h.messages())[0].status, 'sent');
      } finally {
        await h.dispose();
      }
    });

    it('fails at once on a 4xx refusal', async () => {
      receiver.requests.length = 0;
      receiver.answer((_r, res) => res.writeHead(422).end('{"error":"bad number"}'));
      const h = await smsHarness(dialect, receiver.url);
      try {
        await h.track('u1', 'Code Requested', { code: '3' });
        await h.settle();
        await drain(h);
        const [m] = await h.messages();
        assert.deepEqual([m.status, m.reason, receiver.requests.length], ['failed', 'http_422', 1]);
      } finally {
        await h.dispose();
      }
    });

    it('never reaches a loopback receiver without the allow-list', async () => {
      receiver.requests.length = 0;
      receiver.answer((_r, res) => res.writeHead(200).end('ok'));
      const h = await smsHarness(dialect, receiver.url, { TOUCHPOINT_OUTBOUND_ALLOW_LIST: '[]' });
      try {
        await h.track('u1', 'Code Requested', { code: '4' });
        await h.settle();
        await drain(h);
        const [m] = await h.messages();
        assert.deepEqual([m.status, m.reason], ['failed', 'ssrf_refused']);
        assert.equal(receiver.requests.length, 0);
      } finally {
        await h.dispose();
      }
    });

    it('takes signed delivery callbacks into the history, and replies as the customer\u2019s events', async () => {
      receiver.requests.length = 0;
      receiver.answer((_r, res) => res.writeHead(200).end('ok'));
      const h = await smsHarness(dialect, receiver.url);
      try {
        await h.track('u1', 'Code Requested', { code: '5' });
        await h.settle();
        await drain(h);
        const [m] = await h.messages();
        const delivered = await signedCallback(h, 'sms', { messageId: m.id, status: 'delivered', detail: { carrier: 'Orange' } });
        assert.equal(delivered.statusCode, 200, delivered.body);
        assert.deepEqual(delivered.json(), { accepted: 1, unknown: [], repeated: false });
        const batch = await signedCallback(h, 'sms', {
          events: [
            { messageId: m.id, status: 'replied', detail: { text: 'STOP' } },
            { messageId: 'msg_nope', status: 'delivered' },
          ],
        });
        assert.deepEqual(batch.json(), { accepted: 1, unknown: ['msg_nope'], repeated: false });
        await h.settle();
        const detail = (await h.api('GET', `/api/messages/${m.id}`)).body;
        assert.equal(detail.status, 'replied');
        assert.deepEqual(
          detail.history.slice(-2).map((s: any) => [s.status, s.detail]),
          [
            ['delivered', { carrier: 'Orange' }],
            ['replied', { text: 'STOP' }],
          ],
        );
        const profileId = await h.profileOf('u1');
        const timeline = (await h.api('GET', `/api/profiles/${profileId}/timeline`)).body;
        const replied = timeline.events.find((e: any) => e.event === 'Message Replied');
        assert.ok(replied, JSON.stringify(timeline.events));
        assert.equal(replied.channel, 'sms');

        const forged = await signedCallback(h, 'sms', { messageId: m.id, status: 'clicked' }, 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
        assert.equal(forged.statusCode, 401);
        assert.equal(forged.json().error.code, 'TP_INVALID_SIGNATURE');
        const unsigned = await h.tp.app.inject({ method: 'POST', url: '/hooks/channels/sms', payload: { messageId: m.id, status: 'clicked' } });
        assert.equal(unsigned.json().error.code, 'TP_INVALID_SIGNATURE');
        const elsewhere = await signedCallback(h, 'push', { messageId: m.id, status: 'clicked' });
        assert.equal(elsewhere.json().error.code, 'TP_CHANNEL_NOT_FOUND');
        const bad = await signedCallback(h, 'sms', { messageId: m.id, status: 'exploded' });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.json().error.message, /body\/status must be one of delivered, failed, opened, clicked, replied, bounced, unsubscribed/);
        const unknownField = await signedCallback(h, 'sms', { messageId: m.id, status: 'opened', colour: 'red' });
        assert.match(unknownField.json().error.message, /colour/);
        const both = await signedCallback(h, 'sms', { messageId: m.id, status: 'opened', events: [{ messageId: m.id, status: 'opened' }] });
        assert.match(both.json().error.message, /not both/);
        const none = await signedCallback(h, 'sms', { detail: {} });
        assert.match(none.json().error.message, /needs "messageId" and "status"/);

        // A provider's retry of a callback it already made (same webhook-id) records nothing again.
        const text = JSON.stringify({ messageId: m.id, status: 'opened' });
        const headers = { ...webhookHeaders(SECRET, 'cb-once', Math.floor(h.tp.clock.now() / 1000), text), 'content-type': 'application/json' };
        const first = await h.tp.app.inject({ method: 'POST', url: '/hooks/channels/sms', headers, payload: text });
        const again = await h.tp.app.inject({ method: 'POST', url: '/hooks/channels/sms', headers, payload: text });
        assert.deepEqual([first.json().repeated, again.json().repeated, again.json().accepted], [false, true, 0]);
        const opens = (await h.api('GET', `/api/messages/${m.id}`)).body.history.filter((s: any) => s.status === 'opened');
        assert.equal(opens.length, 1);

        const smsBounce = await h.api('POST', '/api/email/bounces', { messageId: m.id, type: 'hard' });
        assert.equal(smsBounce.body.error.code, 'TP_INVALID_BOUNCE', 'an SMS is not bounced through the email endpoint');
        const notAnAddress = await h.api('POST', '/api/email/bounces', { recipient: 'not-an-email', type: 'hard' });
        assert.equal(notAnAddress.status, 400);
        assert.match(notAnAddress.body.error.message, /recipient/);
      } finally {
        await h.dispose();
      }
    });

    it('takes a provider\u2019s list of callbacks in order, an unsubscribe among them, and answers which messages it did not know', async () => {
      receiver.requests.length = 0;
      receiver.answer((_r, res) => res.writeHead(200).end('ok'));
      const h = await smsHarness(dialect, receiver.url);
      try {
        await h.track('u1', 'Code Requested', { code: '8' });
        await h.settle();
        await drain(h);
        const [m] = await h.messages();
        const t = (minutes: number) => new Date(h.tp.clock.now() + minutes * 60_000).toISOString();
        const list = await signedCallback(h, 'sms', {
          events: [
            { messageId: m.id, status: 'delivered', at: t(1) },
            { messageId: 'msg_gone', status: 'opened', at: t(2) },
            { messageId: m.id, status: 'clicked', at: t(3), detail: { url: 'https://example.com/a' } },
            { messageId: m.id, status: 'unsubscribed', at: t(4) },
            { messageId: m.id, status: 'replied', at: t(5), detail: { text: 'thanks' } },
            { messageId: 'msg_gone', status: 'delivered', at: t(6) },
          ],
        });
        assert.equal(list.statusCode, 200, list.body);
        assert.deepEqual(list.json(), { accepted: 4, unknown: ['msg_gone', 'msg_gone'], repeated: false });
        await h.settle();
        const detail = (await h.api('GET', `/api/messages/${m.id}`)).body;
        assert.deepEqual(
          detail.history.slice(-4).map((s: any) => s.status),
          ['delivered', 'clicked', 'unsubscribed', 'replied'],
        );
        const profileId = await h.profileOf('u1');
        const timeline = (await h.api('GET', `/api/profiles/${profileId}/timeline`)).body;
        const names = timeline.events.map((e: any) => e.event);
        assert.ok(names.includes('Message Link Clicked') && names.includes('Message Replied'), JSON.stringify(names));
        const { consent } = (await h.api('GET', `/api/profiles/${profileId}`)).body;
        assert.match(JSON.stringify(consent), /denied/, `the unsubscribe denied consent on the channel: ${JSON.stringify(consent)}`);
      } finally {
        await h.dispose();
      }
    });

    it('does not send a queued message after the customer opted out of the channel', async () => {
      receiver.requests.length = 0;
      receiver.answer((_r, res) => res.writeHead(200).end('ok'));
      const h = await smsHarness(dialect, receiver.url);
      try {
        await h.track('u1', 'Code Requested', { code: '7' });
        await h.settle();
        const [queued] = await h.messages();
        assert.equal(queued.status, 'queued');
        const profileId = await h.profileOf('u1');
        assert.equal((await h.api('PUT', `/api/profiles/${profileId}/consent`, { channel: 'sms', purpose: 'all', status: 'denied' })).status, 200);
        await drain(h);
        const after = (await h.api('GET', `/api/messages/${queued.id}`)).body;
        assert.deepEqual([after.status, after.reason, receiver.requests.length], ['suppressed', 'consent_denied', 0]);
        assert.deepEqual((await h.api('GET', '/api/channels/sms/dead')).body.dead, [], 'no dead letter: there is nothing to send again');
      } finally {
        await h.dispose();
      }
    });

    it('does not send a queued reminder once the customer reached the journey\u2019s goal', async () => {
      receiver.requests.length = 0;
      receiver.answer((_r, res) => res.writeHead(200).end('ok'));
      const h = await smsHarness(dialect, receiver.url);
      try {
        await h.journey('cart', {
          entry: { event: { name: 'Cart Abandoned' } },
          goal: { event: 'Order Completed', within: { days: 3 } },
          steps: [
            { id: 'remind', send: { channel: 'sms', content: 'code', purpose: 'transactional' }, next: 'pause' },
            { id: 'pause', wait: { days: 1 } },
          ],
        });
        await h.track('u1', 'Cart Abandoned', { code: '8' });
        await h.settle();
        const [reminder] = await h.messages();
        assert.equal(reminder.status, 'queued');
        await h.track('u1', 'Order Completed', { total: 40 });
        await h.settle();
        await drain(h);
        const after = (await h.api('GET', `/api/messages/${reminder.id}`)).body;
        assert.deepEqual([after.status, after.reason, receiver.requests.length], ['suppressed', 'goal_reached', 0]);
      } finally {
        await h.dispose();
      }
    });

    it('drops an erased customer\u2019s queued messages', async () => {
      receiver.requests.length = 0;
      const h = await smsHarness(dialect, receiver.url);
      try {
        await h.track('u1', 'Code Requested', { code: '6' });
        await h.settle();
        assert.equal((await h.api('GET', '/api/channels')).body[0].waiting, 1);
        const erased = await h.api('DELETE', `/api/profiles/${await h.profileOf('u1')}`);
        assert.ok(erased.status < 300, JSON.stringify(erased.body));
        await h.settle();
        await drain(h);
        assert.equal((await h.api('GET', '/api/channels')).body[0].waiting, 0);
        assert.equal(receiver.requests.length, 0);
      } finally {
        await h.dispose();
      }
    });

    it('calls a webhook from a journey step and saves fields of its answer as traits', async () => {
      receiver.requests.length = 0;
      receiver.answer((_r, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"score":0.8,"tier":{"name":"gold"}}'));
      const h = await smsHarness(dialect, receiver.url);
      try {
        const bad = await h.api('POST', '/api/journeys', {
          name: 'bad call',
          definition: { entry: { event: { name: 'Scored' } }, steps: [{ id: 'call', webhook: { url: 'ftp://x/{{ profile.id }}' } }] },
        });
        assert.equal(bad.body.error.code, 'TP_INVALID_JOURNEY');
        assert.match(bad.body.error.message, /steps\/0\/webhook\/url: must start with http/);
        const liquidHost = await h.api('POST', '/api/journeys', {
          name: 'host from data',
          definition: { entry: { event: { name: 'Scored' } }, steps: [{ id: 'call', webhook: { url: 'https://{{ event.properties.host }}/x' } }] },
        });
        assert.match(liquidHost.body.error.message, /a host written out/);
        const broken = await h.api('POST', '/api/journeys', {
          name: 'broken call',
          definition: {
            entry: { event: { name: 'Scored' } },
            steps: [{ id: 'call', webhook: { url: 'https://x.test/{{ profile.id', body: { a: '{% iff %}' } } }],
          },
        });
        assert.equal(broken.body.error.code, 'TP_INVALID_JOURNEY');
        assert.match(broken.body.error.message, /\/steps\/0\/webhook\/url: line 1/);
        assert.match(broken.body.error.message, /\/steps\/0\/webhook\/body\/a: line 1/);
        const toOutbox = await h.api('POST', '/api/journeys', {
          name: 'read by the API',
          definition: { entry: { event: { name: 'Scored' } }, steps: [{ id: 's', send: { channel: 'sms', content: 'code', via: 'outbox' } }] },
        });
        assert.equal(toOutbox.status, 201, 'the outbox may be named');
        const calls = await h.api('POST', '/api/journeys', {
          name: 'via calls',
          definition: { entry: { event: { name: 'Scored' } }, steps: [{ id: 's', send: { channel: 'webhook', content: 'code', via: 'journey-calls' } }] },
        });
        assert.match(calls.body.error.message, /journey-calls is built in, for webhook steps; it takes no messages/);
        await h.journey('scoring', {
          entry: { event: { name: 'Scored' } },
          steps: [
            {
              id: 'call',
              webhook: {
                url: `${receiver.url}?who={{ profile.traits.phone }}`,
                body: { profile: '{{ profile.id }}', amount: '{{ event.properties.amount }}' },
                headers: { 'x-brand': 'touchpoint' },
                saveTraits: { score: '/score', tier: '/tier/name', missing: '/nope' },
              },
            },
          ],
        });
        await h.track('u1', 'Scored', { amount: 42 });
        await h.settle();
        await drain(h);
        await h.settle();
        assert.equal(receiver.requests.length, 1, JSON.stringify((await h.api('GET', '/api/channels/journey-calls/dead')).body));
        const r = receiver.requests[0]!;
        const profileId = await h.profileOf('u1');
        assert.equal(r.url, '/hook?who=+33612345678');
        assert.deepEqual(JSON.parse(r.body), { profile: profileId, amount: '42' });
        assert.equal(r.headers['x-brand'], 'touchpoint');
        const timestamp = new Date(Number(r.headers['webhook-timestamp']) * 1000);
        const { secret } = (await h.api('GET', '/api/channels/journey-calls/secret')).body;
        assert.equal(new Webhook(secret).sign(String(r.headers['webhook-id']), timestamp, r.body), r.headers['webhook-signature']);
        const profile = (await h.api('GET', `/api/profiles/${profileId}`)).body;
        assert.equal(profile.traits.score, 0.8);
        assert.equal(profile.traits.tier, 'gold');
        assert.equal('missing' in profile.traits, false);
      } finally {
        await h.dispose();
      }
    });
  });
}
