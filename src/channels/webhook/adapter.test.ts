import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import type { OutboundRequest } from '../outbound.js';
import type { Delivery } from '../types.js';
import { createWebhookAdapter, type WebhookChannel, WebhookChannelSchema } from './adapter.js';
import { verifyWebhook } from './sign.js';

const NOW = Date.parse('2026-06-10T12:00:00Z');
const delivery: Delivery = {
  messageId: 'msg_42',
  profileId: 'prof_1',
  channelName: 'sms',
  channel: 'sms',
  to: '+33612345678',
  purpose: 'marketing',
  rendered: { text: 'Your cart misses you' },
  journeyId: 'j1',
  stepId: 's2',
  contentId: 'c3',
  attempt: 2,
};

describe('WebhookChannelSchema', () => {
  const valid = { kind: 'webhook', url: 'https://sms.example/send', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };

  it('fills the defaults', () => {
    assert.deepEqual(Value.Default(WebhookChannelSchema, { ...valid }), { ...valid, timeoutMs: 10_000, maxAttempts: 8 });
    assert.ok(Value.Check(WebhookChannelSchema, Value.Default(WebhookChannelSchema, { ...valid })));
  });

  it('takes every optional field', () => {
    const full = { ...valid, serves: 'sms', timeoutMs: 3000, ratePerSecond: 0.5, maxAttempts: 3, headers: { authorization: 'Bearer x' } };
    assert.deepEqual([...Value.Errors(WebhookChannelSchema, full)], []);
  });

  const bad: [string, object][] = [
    ['a URL of another scheme', { ...valid, url: 'ftp://sms.example/' }],
    ['no URL', { ...valid, url: 'not a url' }],
    ['a short secret', { ...valid, secret: 'whsec_YWJj' }],
    ['a secret that is not base64', { ...valid, secret: 'whsec_this is not base64!!' }],
    ['an unknown variant', { ...valid, serves: 'fax' }],
    ['a rate of 0', { ...valid, ratePerSecond: 0 }],
    ['0 attempts', { ...valid, maxAttempts: 0 }],
    ['an unknown field', { ...valid, retries: 3 }],
  ];
  for (const [description, config] of bad)
    it(`refuses ${description}`, () => assert.equal(Value.Check(WebhookChannelSchema, Value.Default(WebhookChannelSchema, config)), false));
});

describe('createWebhookAdapter', () => {
  it('POSTs the signed envelope with the message id as webhook-id', async () => {
    const requests: OutboundRequest[] = [];
    const outbound = {
      request: async (r: OutboundRequest) => {
        requests.push(r);
        return { status: 202, headers: {}, body: 'queued', ms: 5 };
      },
    };
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const config = Value.Default(WebhookChannelSchema, {
      kind: 'webhook',
      url: 'https://sms.example/send',
      secret,
      headers: { 'x-tenant': 'brand' },
    }) as WebhookChannel;
    const adapter = createWebhookAdapter(config, { outbound, now: () => NOW });
    assert.deepEqual(await adapter.deliver(delivery), { kind: 'sent', response: { status: 202, body: 'queued', ms: 5 } });
    const request = requests[0]!;
    assert.equal(request.url, 'https://sms.example/send');
    assert.equal(request.method, 'POST');
    assert.equal(request.timeoutMs, 10_000);
    assert.equal(request.headers?.['x-tenant'], 'brand');
    assert.equal(request.headers?.['webhook-id'], 'msg_42');
    assert.deepEqual(verifyWebhook(secret, request.headers!, request.body!, NOW / 1000), { ok: true });
    assert.deepEqual(JSON.parse(request.body!), {
      type: 'message.send',
      timestamp: '2026-06-10T12:00:00.000Z',
      data: {
        messageId: 'msg_42',
        channel: 'sms',
        contentChannel: 'sms',
        profileId: 'prof_1',
        to: '+33612345678',
        purpose: 'marketing',
        journeyId: 'j1',
        stepId: 's2',
        contentId: 'c3',
        attempt: 2,
        content: { text: 'Your cart misses you' },
      },
    });
    await adapter.close();
  });
});
