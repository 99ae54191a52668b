/**
 * The webhook channel end to end over real sockets: signed requests that the
 * standardwebhooks reference library accepts, the outcome of each kind of
 * answer, connections kept alive, and the SSRF guard refusing private
 * addresses before any connection is made.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createOutbound, type Outbound } from '../src/channels/outbound.js';
import { createAllowList } from '../src/channels/ssrf.js';
import type { Delivery } from '../src/channels/types.js';
import { createWebhookAdapter, type WebhookChannel } from '../src/channels/webhook/adapter.js';
import { newWebhookSecret } from '../src/channels/webhook/sign.js';
import { startReceiver, type Receiver } from './support/receiver.js';

const secret = newWebhookSecret();
const delivery = (messageId: string, attempt = 1): Delivery => ({
  messageId,
  profileId: 'prof_1',
  channelName: 'sms',
  channel: 'sms',
  to: '+33612345678',
  purpose: 'marketing',
  rendered: { text: 'Back in stock' },
  journeyId: 'j1',
  stepId: 's1',
  contentId: 'c1',
  attempt,
});
const channel = (url: string, over: Partial<WebhookChannel> = {}): WebhookChannel => ({
  kind: 'webhook',
  url,
  secret,
  timeoutMs: 2000,
  maxAttempts: 8,
  ...over,
});
// The reference library checks timestamps against the real clock, so these tests sign with it.
const adapterFor = (outbound: Outbound, url: string, over: Partial<WebhookChannel> = {}) =>
  createWebhookAdapter(channel(url, over), { outbound, now: Date.now });

describe('webhook delivery to a receiver on 127.0.0.1 (allowed)', () => {
  let receiver: Receiver;
  let outbound: Outbound;
  const verified: unknown[] = [];
  before(async () => {
    receiver = await startReceiver();
    outbound = createOutbound({ allow: ['127.0.0.1'] });
  });
  after(async () => {
    outbound.close();
    await receiver.close();
  });
  const answerWith = (status: number) =>
    receiver.answer((request, res) => {
      verified.push(new Webhook(secret).verify(request.body, request.headers as Record<string, string>));
      res.writeHead(status).end(`answered ${status}`);
    });

  it('sends a request the reference library verifies; webhook-id is the message id on every try', async () => {
    answerWith(200);
    const adapter = adapterFor(outbound, receiver.url);
    const first = await adapter.deliver(delivery('msg_1', 1));
    const second = await adapter.deliver(delivery('msg_1', 2));
    assert.equal(first.kind, 'sent');
    assert.deepEqual(first.response?.status, 200);
    assert.equal(second.kind, 'sent');
    const [a, b] = receiver.requests.slice(-2);
    assert.equal(a?.headers['webhook-id'], 'msg_1');
    assert.equal(b?.headers['webhook-id'], 'msg_1');
    assert.equal(a?.headers['content-type'], 'application/json');
    const envelope = verified.at(-1) as { type: string; data: { messageId: string; attempt: number; content: unknown } };
    assert.equal(envelope.type, 'message.send');
    assert.equal(envelope.data.attempt, 2);
    assert.deepEqual(envelope.data.content, { text: 'Back in stock' });
  });

  it('a 500 is worth another try', async () => {
    answerWith(500);
    const result = await adapterFor(outbound, receiver.url).deliver(delivery('msg_2'));
    assert.equal(result.kind === 'retry' && result.reason, 'http_500');
    assert.equal(result.response?.status, 500);
    assert.equal(result.response?.body, 'answered 500');
    assert.equal(typeof result.response?.ms, 'number');
  });

  it('a 400 fails for good', async () => {
    answerWith(400);
    const result = await adapterFor(outbound, receiver.url).deliver(delivery('msg_3'));
    assert.equal(result.kind, 'failed');
    assert.equal(result.kind === 'failed' && result.reason, 'http_400');
    assert.equal(result.response?.body, 'answered 400');
  });

  it('a receiver slower than timeoutMs is a timeout, worth another try', async () => {
    receiver.answer((_request, res) => setTimeout(() => res.writeHead(200).end(), 1000).unref());
    const started = Date.now();
    const result = await adapterFor(outbound, receiver.url, { timeoutMs: 200 }).deliver(delivery('msg_4'));
    assert.equal(result.kind, 'retry');
    assert.equal(result.kind === 'retry' && result.reason, 'timeout');
    assert.ok(Date.now() - started < 900);
  });

  it('a refused connection is worth another try', async () => {
    const gone = await startReceiver();
    await gone.close();
    const result = await adapterFor(outbound, gone.url).deliver(delivery('msg_5'));
    assert.equal(result.kind === 'retry' && result.reason, 'connection_error');
    assert.match(String(result.response?.error), /ECONNREFUSED/);
  });

  it('reuses one kept-alive connection for many deliveries', async () => {
    const fresh = await startReceiver();
    const adapter = adapterFor(outbound, fresh.url);
    for (let i = 0; i < 20; i++) assert.equal((await adapter.deliver(delivery(`seq_${i}`))).kind, 'sent');
    assert.equal(fresh.requests.length, 20);
    assert.equal(fresh.connections(), 1);
    await Promise.all(Array.from({ length: 10 }, (_, i) => adapter.deliver(delivery(`burst_${i}`))));
    const afterBurst = fresh.connections();
    await Promise.all(Array.from({ length: 10 }, (_, i) => adapter.deliver(delivery(`burst2_${i}`))));
    assert.equal(fresh.connections(), afterBurst, 'a second burst opens no new connection');
    await fresh.close();
  });
});

describe('the SSRF guard', () => {
  let v4: Receiver;
  let v6: Receiver;
  before(async () => {
    v4 = await startReceiver('127.0.0.1');
    v6 = await startReceiver('::1');
  });
  after(async () => {
    await v4.close();
    await v6.close();
  });
  const targets = () => [
    { name: '10.0.0.1', url: 'http://10.0.0.1/hook', allow: '10.0.0.1' },
    { name: '169.254.169.254 (cloud metadata)', url: 'http://169.254.169.254/latest/meta-data/', allow: '169.254.169.254' },
    { name: '::1', url: v6.url, allow: '::1' },
    { name: '127.0.0.1', url: v4.url, allow: '127.0.0.1' },
    { name: 'localhost (a name resolving to 127.0.0.1)', url: v4.url.replace('127.0.0.1', 'localhost'), allow: 'localhost' },
  ];

  it('refuses private addresses without the allow-list, before any connection', async () => {
    const outbound = createOutbound({ allow: [] });
    for (const target of targets()) {
      const result = await adapterFor(outbound, target.url, { timeoutMs: 300 }).deliver(delivery('msg_ssrf'));
      assert.equal(result.kind, 'failed', target.name);
      assert.equal(result.kind === 'failed' && result.reason, 'ssrf_refused', target.name);
    }
    assert.equal(v4.connections() + v6.connections(), 0, 'the receivers saw nothing');
    assert.equal(v4.requests.length + v6.requests.length, 0);
    outbound.close();
  });

  it('lets them through when the allow-list names them', async () => {
    for (const target of targets()) {
      // 10.0.0.1 and 169.254.169.254 may be real machines where the tests run: allowed means the
      // guard no longer objects, which the allow-list answers without sending them anything.
      if (!target.url.includes(`:${v4.port}/`) && !target.url.includes(`:${v6.port}/`)) {
        const host = new URL(target.url).hostname;
        assert.equal(createAllowList([target.allow]).allows(host, host), true, target.name);
        continue;
      }
      const outbound = createOutbound({ allow: [target.allow] });
      const result = await adapterFor(outbound, target.url).deliver(delivery('msg_allowed'));
      outbound.close();
      assert.equal(result.kind, 'sent', target.name);
    }
    assert.equal(v4.requests.length, 2);
    assert.equal(v6.requests.length, 1);
  });
});
