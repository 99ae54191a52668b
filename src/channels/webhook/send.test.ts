import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { OutboundRefused, OutboundTimeout, type OutboundRequest, type OutboundResponse } from '../outbound.js';
import type { DeliveryResult } from '../types.js';
import { retryAfterMs, sendSigned } from './send.js';
import { newWebhookSecret } from './sign.js';

const NOW = Date.parse('2026-06-10T12:00:00Z');
const secret = newWebhookSecret();
const send = { url: 'https://hooks.example/in', secret, id: 'msg_1', body: '{"a":1}', timeoutMs: 5000 };

/** An outbound client that answers from a script and remembers what it was asked. */
function fakeOutbound(answer: (r: OutboundRequest) => Promise<OutboundResponse>) {
  const requests: OutboundRequest[] = [];
  return {
    requests,
    request: (r: OutboundRequest) => {
      requests.push(r);
      return answer(r);
    },
  };
}
const answering = (status: number, body = '', headers: Record<string, string> = {}) => fakeOutbound(async () => ({ status, body, headers, ms: 12 }));
const throwing = (error: unknown) =>
  fakeOutbound(async () => {
    throw error;
  });
const systemError = (code: string) => Object.assign(new Error(`connect ${code} 203.0.113.9:443`), { code });

describe('sendSigned classifies the answer', () => {
  const cases: { description: string; outbound: ReturnType<typeof fakeOutbound>; expected: DeliveryResult }[] = [
    { description: '200', outbound: answering(200, 'ok'), expected: { kind: 'sent', response: { status: 200, body: 'ok', ms: 12 } } },
    { description: '204', outbound: answering(204), expected: { kind: 'sent', response: { status: 204, body: '', ms: 12 } } },
    { description: '500', outbound: answering(500, 'boom'), expected: { kind: 'retry', reason: 'http_500', response: { status: 500, body: 'boom', ms: 12 } } },
    { description: '503', outbound: answering(503), expected: { kind: 'retry', reason: 'http_503', response: { status: 503, body: '', ms: 12 } } },
    { description: '408', outbound: answering(408), expected: { kind: 'retry', reason: 'http_408', response: { status: 408, body: '', ms: 12 } } },
    {
      description: '429 with Retry-After',
      outbound: answering(429, '', { 'retry-after': '30' }),
      expected: { kind: 'retry', reason: 'http_429', response: { status: 429, body: '', ms: 12, retryAfterMs: 30_000 } },
    },
    { description: '400', outbound: answering(400, 'bad'), expected: { kind: 'failed', reason: 'http_400', response: { status: 400, body: 'bad', ms: 12 } } },
    { description: '404', outbound: answering(404), expected: { kind: 'failed', reason: 'http_404', response: { status: 404, body: '', ms: 12 } } },
    {
      description: 'a redirect (never followed)',
      outbound: answering(301),
      expected: { kind: 'failed', reason: 'http_301', response: { status: 301, body: '', ms: 12 } },
    },
    {
      description: 'a timeout',
      outbound: throwing(new OutboundTimeout('hooks.example', 5000)),
      expected: { kind: 'retry', reason: 'timeout', response: { error: 'hooks.example did not answer within 5000 ms', ms: 5000 } },
    },
    {
      description: 'a refused connection',
      outbound: throwing(systemError('ECONNREFUSED')),
      expected: { kind: 'retry', reason: 'connection_error', response: { error: 'ECONNREFUSED: connect ECONNREFUSED 203.0.113.9:443' } },
    },
    {
      description: 'a private address',
      outbound: throwing(new OutboundRefused('private_address', 'hooks.example', '10.0.0.1', 'private')),
      expected: {
        kind: 'failed',
        reason: 'ssrf_refused',
        response: { error: 'hooks.example is at 10.0.0.1, a private address; add it to outboundAllowList to reach it' },
      },
    },
    {
      description: 'a URL of another scheme',
      outbound: throwing(new OutboundRefused('scheme', 'x')),
      expected: { kind: 'failed', reason: 'bad_url', response: { error: 'x: only http: and https: URLs are requested' } },
    },
  ];
  for (const c of cases) it(c.description, async () => assert.deepEqual(await sendSigned(c.outbound, send, NOW), c.expected));

  it('keeps 2,000 characters of the body', async () => {
    const result = await sendSigned(answering(500, 'x'.repeat(5000)), send, NOW);
    assert.equal(result.response?.body, 'x'.repeat(2000));
  });

  it('throws what is a bug rather than a network failure', async () => {
    await assert.rejects(sendSigned(throwing(new TypeError('oops')), send, NOW), TypeError);
  });
});

describe('sendSigned signs each try', () => {
  it('POSTs JSON signed with the time of the try, which the reference library verifies', async () => {
    const outbound = answering(200);
    await sendSigned(outbound, send, NOW);
    await sendSigned(outbound, send, NOW + 90_000);
    const [first, second] = outbound.requests;
    assert.equal(first?.method, 'POST');
    assert.equal(first?.headers?.['content-type'], 'application/json');
    assert.equal(first?.headers?.['webhook-id'], 'msg_1');
    assert.equal(second?.headers?.['webhook-id'], 'msg_1');
    assert.equal(first?.headers?.['webhook-timestamp'], String(NOW / 1000));
    assert.equal(second?.headers?.['webhook-timestamp'], String(NOW / 1000 + 90));
    assert.notEqual(first?.headers?.['webhook-signature'], second?.headers?.['webhook-signature']);
    const verify = new Webhook(secret);
    // The reference checks the timestamp against the real clock: sign one with it.
    const fresh = answering(200);
    await sendSigned(fresh, send, Date.now());
    assert.deepEqual(verify.verify(send.body, fresh.requests[0]!.headers!), { a: 1 });
  });

  it('adds configured headers, which cannot replace the signature or the content type', async () => {
    const outbound = answering(200);
    await sendSigned(outbound, { ...send, method: 'PUT', headers: { Authorization: 'Bearer t', 'Content-Type': 'text/plain', 'Webhook-Id': 'forged' } }, NOW);
    const headers = outbound.requests[0]!.headers!;
    assert.equal(outbound.requests[0]!.method, 'PUT');
    assert.equal(headers.Authorization, 'Bearer t');
    assert.equal(headers['Content-Type'], undefined);
    assert.equal(headers['Webhook-Id'], undefined);
    assert.equal(headers['webhook-id'], 'msg_1');
  });
});

describe('retryAfterMs', () => {
  const cases: [value: string | undefined, expected: number | undefined][] = [
    [undefined, undefined],
    ['120', 120_000],
    [' 0 ', 0],
    ['Wed, 10 Jun 2026 12:01:00 GMT', 60_000],
    ['Wed, 10 Jun 2026 11:00:00 GMT', 0],
    ['soon', undefined],
  ];
  for (const [value, expected] of cases) it(`${value} -> ${expected}`, () => assert.equal(retryAfterMs(value, NOW), expected));
});
