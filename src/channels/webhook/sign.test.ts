import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './sign.js';

const NOW_SEC = Math.floor(Date.now() / 1000);
const BODY = '{"type":"message.send","data":{"text":"héllo"}}';

describe('webhook signatures agree with the standardwebhooks reference library', () => {
  const secret = newWebhookSecret();

  it('makes whsec_ secrets of 32 random bytes', () => {
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.notEqual(newWebhookSecret(), secret);
  });

  it('signs what the reference verifies', () => {
    const headers = webhookHeaders(secret, 'msg_1', NOW_SEC, BODY);
    assert.deepEqual(new Webhook(secret).verify(BODY, headers), JSON.parse(BODY));
  });

  it('verifies what the reference signs', () => {
    const signature = new Webhook(secret).sign('msg_2', new Date(NOW_SEC * 1000), BODY);
    assert.equal(signature, signWebhook(secret, 'msg_2', NOW_SEC, BODY));
    const headers = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(NOW_SEC), 'webhook-signature': signature };
    assert.deepEqual(verifyWebhook(secret, headers, BODY, NOW_SEC), { ok: true });
  });

  it('reads a secret without the prefix as base64, as the reference does', () => {
    const bare = secret.slice('whsec_'.length);
    assert.equal(signWebhook(bare, 'm', NOW_SEC, BODY), signWebhook(secret, 'm', NOW_SEC, BODY));
    assert.equal(new Webhook(bare).sign('m', new Date(NOW_SEC * 1000), BODY), signWebhook(bare, 'm', NOW_SEC, BODY));
  });

  it('refuses a secret that is not strict base64', () => {
    for (const bad of ['whsec_', '', 'whsec_abc', 'not base64 at all!', 'whsec_YWJj ZA=='])
      assert.throws(() => signWebhook(bad, 'm', NOW_SEC, BODY), /whsec_ followed by base64/, bad);
  });

  it('fails a tampered body, id or timestamp, on both sides', () => {
    const headers = webhookHeaders(secret, 'msg_3', NOW_SEC, BODY);
    const tampered: [string, Record<string, string>][] = [
      [BODY.replace('héllo', 'hello'), headers],
      [BODY, { ...headers, 'webhook-id': 'msg_4' }],
      [BODY, { ...headers, 'webhook-timestamp': String(NOW_SEC - 1) }],
    ];
    for (const [body, changed] of tampered) {
      assert.deepEqual(verifyWebhook(secret, changed, body, NOW_SEC), { ok: false, reason: 'bad_signature' });
      assert.throws(() => new Webhook(secret).verify(body, changed), /No matching signature/);
    }
    assert.deepEqual(verifyWebhook(newWebhookSecret(), headers, BODY, NOW_SEC), { ok: false, reason: 'bad_signature' });
  });
});

describe('verifyWebhook', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const headers = webhookHeaders(secret, 'msg_1', 1_700_000_000, '{}');
  const cases: { description: string; headers: Record<string, string | string[] | undefined>; now: number; expected: ReturnType<typeof verifyWebhook> }[] = [
    { description: 'a fresh, matching request', headers, now: 1_700_000_000, expected: { ok: true } },
    { description: 'up to 5 minutes late', headers, now: 1_700_000_300, expected: { ok: true } },
    { description: 'more than 5 minutes late', headers, now: 1_700_000_301, expected: { ok: false, reason: 'stale_timestamp' } },
    { description: 'more than 5 minutes early', headers, now: 1_699_999_699, expected: { ok: false, reason: 'stale_timestamp' } },
    {
      description: 'header names in any case',
      headers: { 'Webhook-Id': headers['webhook-id'], 'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'], 'Webhook-Signature': headers['webhook-signature'] },
      now: 1_700_000_000,
      expected: { ok: true },
    },
    {
      description: 'one good signature among several (a secret being rotated)',
      headers: { ...headers, 'webhook-signature': `v1,AAAA v2,xyz ${headers['webhook-signature']}` },
      now: 1_700_000_000,
      expected: { ok: true },
    },
    {
      description: 'signatures in repeated headers',
      headers: { ...headers, 'webhook-signature': ['v1,AAAA', headers['webhook-signature']] },
      now: 1_700_000_000,
      expected: { ok: true },
    },
    {
      description: 'the right signature under another version',
      headers: { ...headers, 'webhook-signature': headers['webhook-signature'].replace('v1,', 'v1a,') },
      now: 1_700_000_000,
      expected: { ok: false, reason: 'bad_signature' },
    },
    {
      description: 'no signature',
      headers: { ...headers, 'webhook-signature': undefined },
      now: 1_700_000_000,
      expected: { ok: false, reason: 'missing_headers' },
    },
    { description: 'no id', headers: { ...headers, 'webhook-id': '' }, now: 1_700_000_000, expected: { ok: false, reason: 'missing_headers' } },
    {
      description: 'a timestamp that is not an integer',
      headers: { ...headers, 'webhook-timestamp': '1700000000.5' },
      now: 1_700_000_000,
      expected: { ok: false, reason: 'missing_headers' },
    },
  ];
  for (const c of cases) it(c.description, () => assert.deepEqual(verifyWebhook(secret, c.headers, '{}', c.now), c.expected));
});
