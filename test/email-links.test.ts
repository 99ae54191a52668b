/** The public email links through fastify.inject(): tracked clicks and opens, the preference page and one-click unsubscribe, against an in-memory EmailResponses. */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { createLinkSigner } from '../src/channels/email/index.js';
import type { EmailResponses, PurposeChoice } from '../src/channels/index.js';
import { acceptManagementBodies } from '../src/http/body.js';
import { emailLinkRoutes } from '../src/http/routes/email-links.js';

const signer = createLinkSigner('test-link-secret-0123456789');
const NOW = Date.parse('2026-11-23T12:00:00.000Z');

/** The port as the contact history would answer it, for one message (msg_1); any other message is gone. */
function fakeResponses() {
  const calls: unknown[][] = [];
  const consent: Record<string, PurposeChoice['status']> = { marketing: 'granted', newsletter: 'unknown', '<b>vip</b>': 'denied' };
  const known = (id: string) => id === 'msg_1';
  const responses: EmailResponses & { fail?: boolean } = {
    async opened(id, at) {
      calls.push(['opened', id, at]);
      return known(id);
    },
    async clicked(id, url, at) {
      calls.push(['clicked', id, url, at]);
      if (responses.fail) throw new Error('store down');
      return known(id);
    },
    async preferences(id) {
      const choices = Object.entries(consent).map(([purpose, status]) => ({ purpose, status }));
      return known(id) ? { channel: 'email', choices } : undefined;
    },
    async unsubscribe(id, at) {
      calls.push(['unsubscribe', id, at]);
      if (known(id)) consent.marketing = 'denied';
      return known(id);
    },
    async choose(id, choices, at) {
      calls.push(['choose', id, choices, at]);
      if (known(id)) Object.assign(consent, choices);
      return known(id);
    },
  };
  return { responses, calls };
}

describe('email links', () => {
  let app: FastifyInstance;
  let fake: ReturnType<typeof fakeResponses>;
  const unsubscribe = signer.unsubscribe('msg_1');

  beforeEach(async () => {
    fake = fakeResponses();
    app = Fastify();
    // As in the real app: the root refuses bodies that are not JSON; the email pages take forms in their own scope.
    acceptManagementBodies(app);
    app.post('/json', async (request) => request.body);
    await emailLinkRoutes(app, { signer, responses: fake.responses, now: () => NOW });
  });

  const isPage = (response: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number) => {
    assert.equal(response.statusCode, status, response.body);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(String(response.headers['content-security-policy']), /default-src 'none'.*frame-ancestors 'none'/);
    assert.doesNotMatch(response.body, /(src|href)="https?:|<script|@import|url\(/, 'no external assets, no script');
  };

  it('redirects a click to the URL it was signed with and records it, a HEAD left uncounted', async () => {
    const url = `https://shop.test/o/1?a=1&b=2&long=${'x'.repeat(300)}`;
    const token = signer.click('msg_1', url);
    assert.ok(token.length > 100, 'longer than a route parameter may be');
    const response = await app.inject({ method: 'GET', url: `/t/${token}` });
    assert.equal(response.statusCode, 302);
    assert.deepEqual([response.headers.location, response.headers['cache-control']], [url, 'no-store']);
    assert.equal((await app.inject({ method: 'HEAD', url: `/t/${token}` })).statusCode, 302);
    assert.deepEqual(fake.calls, [['clicked', 'msg_1', url, NOW]]);
  });

  it('still redirects when the message is gone or the click cannot be recorded', async () => {
    const gone = await app.inject({ method: 'GET', url: `/t/${signer.click('msg_gone', 'https://shop.test/a')}` });
    assert.deepEqual([gone.statusCode, gone.headers.location], [302, 'https://shop.test/a']);
    fake.responses.fail = true;
    const failing = await app.inject({ method: 'GET', url: `/t/${signer.click('msg_1', 'https://shop.test/b')}` });
    assert.deepEqual([failing.statusCode, failing.headers.location], [302, 'https://shop.test/b']);
  });

  it('answers the open pixel with a transparent GIF that is never cached', async () => {
    const response = await app.inject({ method: 'GET', url: `/t/${signer.open('msg_1')}` });
    assert.equal(response.statusCode, 200);
    assert.deepEqual([response.headers['content-type'], response.headers['cache-control']], ['image/gif', 'no-store']);
    assert.equal(response.rawPayload.subarray(0, 6).toString(), 'GIF89a');
    assert.deepEqual([response.rawPayload.length, response.rawPayload.at(-1)], [42, 0x3b]);
    assert.deepEqual(fake.calls, [['opened', 'msg_1', NOW]]);
  });

  it('answers a token that does not verify, or of the wrong kind, with a page and no redirect', async () => {
    const forged = createLinkSigner('another-secret-0123456789').click('msg_1', 'https://evil.test/');
    const clickToken = signer.click('msg_1', 'https://shop.test/');
    for (const url of [`/t/${forged}`, `/t/${unsubscribe}`, '/t/nonsense', `/t/${clickToken}/x`, `/u/${clickToken}`, `/u/${signer.open('msg_1')}`]) {
      const response = await app.inject({ method: 'GET', url });
      isPage(response, 404);
      assert.equal(response.headers.location, undefined);
      assert.match(response.body, /This link does not work/);
    }
    for (const url of [`/u/${forged}`, `/u/${clickToken}/preferences`]) isPage(await app.inject({ method: 'POST', url }), 404);
    assert.deepEqual(fake.calls, []);
  });

  it('shows the preference page: each purpose with its status, escaped, and both forms', async () => {
    const response = await app.inject({ method: 'GET', url: `/u/${unsubscribe}` });
    isPage(response, 200);
    assert.match(response.body, /<h1>Your email preferences<\/h1>/);
    assert.match(response.body, /<input type="radio" name="marketing" value="granted" checked>/);
    assert.match(response.body, /name="newsletter" value="granted">.*name="newsletter" value="denied">/);
    assert.ok(response.body.includes('name="&lt;b&gt;vip&lt;/b&gt;" value="denied" checked'), 'purpose names escaped');
    assert.doesNotMatch(response.body, /<b>vip/);
    assert.ok(response.body.includes(`<form method="post" action="${unsubscribe}/preferences">`));
    assert.ok(response.body.includes(`<form method="post" action="${unsubscribe}"><input type="hidden" name="List-Unsubscribe" value="One-Click">`));
    assert.doesNotMatch(response.body, /saved/);
    assert.equal(response.headers['referrer-policy'], 'no-referrer');
  });

  it('unsubscribes in one click, however the body comes, again and again', async () => {
    const bodies = [
      { payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      {
        payload: '--B\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--B--\r\n',
        headers: { 'content-type': 'multipart/form-data; boundary=B' },
      },
      {},
    ];
    for (const body of bodies) {
      const response = await app.inject({ method: 'POST', url: `/u/${unsubscribe}`, ...body });
      isPage(response, 200);
      assert.match(response.body, /You are unsubscribed/);
    }
    assert.deepEqual(fake.calls, [
      ['unsubscribe', 'msg_1', NOW],
      ['unsubscribe', 'msg_1', NOW],
      ['unsubscribe', 'msg_1', NOW],
    ]);
  });

  it('saves the choices the page offers, ignores any other field, and shows the page again', async () => {
    const payload = 'marketing=denied&newsletter=granted&evil=granted&__proto__=granted&%3Cb%3Evip%3C%2Fb%3E=maybe';
    const response = await app.inject({
      method: 'POST',
      url: `/u/${unsubscribe}/preferences`,
      payload,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    isPage(response, 200);
    assert.deepEqual(fake.calls, [['choose', 'msg_1', { marketing: 'denied', newsletter: 'granted' }, NOW]]);
    assert.match(response.body, /Your choices are saved/);
    assert.match(response.body, /name="marketing" value="denied" checked/);
    assert.ok(response.body.includes(`action="../${unsubscribe}/preferences"`), 'the form posts to the same place from below it');
  });

  it('says so when the message is gone', async () => {
    const gone = signer.unsubscribe('msg_gone');
    for (const [method, url] of [
      ['GET', `/u/${gone}`],
      ['POST', `/u/${gone}`],
      ['POST', `/u/${gone}/preferences`],
    ] as const) {
      const response = await app.inject({ method, url });
      isPage(response, 404);
      assert.match(response.body, /Nothing to change/);
    }
  });

  it('keeps form bodies small and its parsers to itself', async () => {
    const big = await app.inject({
      method: 'POST',
      url: `/u/${unsubscribe}/preferences`,
      payload: `a=${'x'.repeat(20_000)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(big.statusCode, 413);
    const json = await app.inject({ method: 'POST', url: '/json', payload: { ok: true } });
    assert.deepEqual(json.json(), { ok: true });
    const form = await app.inject({ method: 'POST', url: '/json', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.statusCode, 400, 'a form is not accepted outside the email pages');
  });
});
