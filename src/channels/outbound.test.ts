import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { after, before, describe, it } from 'node:test';
import { startReceiver, type Receiver } from '../../test/support/receiver.js';
import { createOutbound, OutboundRefused, OutboundTimeout, type Resolve } from './outbound.js';

/** A resolver from a table: the tests choose what each name resolves to. */
const resolver =
  (table: Record<string, string[]>): Resolve =>
  async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const refusedWith = (reason: string, address?: string) => (error: unknown) => {
  assert.ok(error instanceof OutboundRefused, String(error));
  assert.equal(error.reason, reason);
  if (address) assert.equal(error.address, address);
  return true;
};

describe('outbound', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());
  const at = (host: string) => receiver.url.replace('127.0.0.1', host);

  it('refuses what is not an http(s) URL', async () => {
    const outbound = createOutbound({ allow: [] });
    await assert.rejects(outbound.request({ url: 'not a url', method: 'GET', timeoutMs: 1000 }), refusedWith('bad_url'));
    await assert.rejects(outbound.request({ url: 'file:///etc/passwd', method: 'GET', timeoutMs: 1000 }), refusedWith('scheme'));
    await assert.rejects(outbound.request({ url: 'ftp://example.com/x', method: 'GET', timeoutMs: 1000 }), refusedWith('scheme'));
  });

  it('refuses literal private addresses in every spelling, naming the range', async () => {
    const outbound = createOutbound({ allow: [] });
    for (const [host, address] of [
      ['10.0.0.1', '10.0.0.1'],
      ['2130706433', '127.0.0.1'],
      ['0x7f.1', '127.0.0.1'],
      ['[::ffff:169.254.169.254]', '::ffff:a9fe:a9fe'],
      ['[::]', '::'],
    ] as const) {
      await assert.rejects(outbound.request({ url: `http://${host}/`, method: 'GET', timeoutMs: 1000 }), refusedWith('private_address', address), host);
    }
    const before = receiver.requests.length;
    await assert.rejects(outbound.request({ url: receiver.url, method: 'GET', timeoutMs: 1000 }), (error: OutboundRefused) => {
      assert.equal(error.range, 'loopback');
      assert.match(error.message, /127\.0\.0\.1, a loopback address; add it to outboundAllowList/);
      return true;
    });
    assert.equal(receiver.requests.length, before);
    assert.equal(receiver.connections(), 0);
  });

  it('refuses a name with one private address among public ones (whoever runs its DNS could make the socket pick it)', async () => {
    const outbound = createOutbound({ allow: [], resolve: resolver({ 'mixed.test': ['93.184.216.34', '127.0.0.1'] }) });
    await assert.rejects(outbound.request({ url: at('mixed.test'), method: 'GET', timeoutMs: 1000 }), refusedWith('private_address', '127.0.0.1'));
    assert.equal(receiver.connections(), 0);
  });

  it('reaches a private address the allow-list names, by address or by host name', async () => {
    const resolve = resolver({ 'receiver.test': ['127.0.0.1'], 'other.test': ['127.0.0.1'] });
    const byName = createOutbound({ allow: ['receiver.test'], resolve });
    assert.equal((await byName.request({ url: at('receiver.test'), method: 'GET', timeoutMs: 2000 })).status, 200);
    await assert.rejects(byName.request({ url: at('other.test'), method: 'GET', timeoutMs: 2000 }), refusedWith('private_address'));
    const byRange = createOutbound({ allow: ['127.0.0.0/8'], resolve });
    assert.equal((await byRange.request({ url: at('other.test'), method: 'GET', timeoutMs: 2000 })).status, 200);
    byName.close();
    byRange.close();
  });

  it('passes DNS failures through as they are', async () => {
    const outbound = createOutbound({ allow: [], resolve: resolver({}) });
    await assert.rejects(outbound.request({ url: 'http://nowhere.test/', method: 'GET', timeoutMs: 1000 }), { code: 'ENOTFOUND' });
  });

  it('sends method, headers, body and a user agent; answers status, headers, body and time', async () => {
    const outbound = createOutbound({ allow: ['127.0.0.1'], userAgent: 'Touchpoint/test' });
    receiver.answer((request, res) => res.writeHead(201, { 'set-cookie': ['a=1', 'b=2'] }).end(`made: ${request.body}`));
    const response = await outbound.request({ url: receiver.url, method: 'PUT', headers: { 'X-Extra': 'yes' }, body: 'héllo', timeoutMs: 2000 });
    assert.equal(response.status, 201);
    assert.equal(response.body, 'made: héllo');
    assert.equal(response.headers['set-cookie'], 'a=1, b=2');
    assert.ok(response.ms >= 0);
    const request = receiver.requests.at(-1)!;
    assert.equal(request.method, 'PUT');
    assert.equal(request.headers['user-agent'], 'Touchpoint/test');
    assert.equal(request.headers['x-extra'], 'yes');
    assert.equal(request.headers['content-length'], '6');
    outbound.close();
  });

  it('does not follow redirects', async () => {
    const outbound = createOutbound({ allow: ['127.0.0.1'] });
    receiver.answer((_request, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
    const response = await outbound.request({ url: receiver.url, method: 'POST', body: '{}', timeoutMs: 2000 });
    assert.equal(response.status, 302);
    assert.equal(response.headers.location, 'http://169.254.169.254/latest/meta-data/');
    outbound.close();
  });

  it('keeps maxResponseBytes of the answer and still reuses the connection', async () => {
    const outbound = createOutbound({ allow: ['127.0.0.1'] });
    receiver.answer((_request, res) => res.writeHead(200).end('x'.repeat(100_000)));
    const connections = receiver.connections();
    const first = await outbound.request({ url: receiver.url, method: 'GET', timeoutMs: 2000, maxResponseBytes: 10 });
    assert.equal(first.body, 'xxxxxxxxxx');
    const second = await outbound.request({ url: receiver.url, method: 'GET', timeoutMs: 2000 });
    assert.equal(second.body.length, 64 * 1024);
    assert.equal(receiver.connections(), connections + 1);
    outbound.close();
  });

  it('times out a receiver that does not finish its answer', async () => {
    const outbound = createOutbound({ allow: ['127.0.0.1'] });
    receiver.answer((_request, res) => res.writeHead(200).write('partial'));
    const started = Date.now();
    await assert.rejects(outbound.request({ url: receiver.url, method: 'GET', timeoutMs: 200 }), (error: unknown) => {
      assert.ok(error instanceof OutboundTimeout);
      assert.equal(error.timeoutMs, 200);
      return true;
    });
    assert.ok(Date.now() - started < 1500);
    outbound.close();
  });
});
