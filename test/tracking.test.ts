import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './support/dialects.js';
import { admin, basic, startTestServer, type TestServer } from './support/touchpoint.js';

/** JSON text of `levels` objects inside each other: 5,000 levels are about 30 KB. */
const deepJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

for (const dialect of DIALECTS) {
  describe(`tracking API on ${dialect.name}`, () => {
    let tp: TestServer;
    let key: string;
    let sourceId: string;
    const post = (url: string, payload: unknown, headers: Record<string, string> = basic(key)) =>
      tp.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: payload as string });
    const storedCount = async () => (await tp.touchpoint.log.query({ sourceId, limit: 1000 })).length;

    before(async () => {
      tp = await startTestServer(dialect);
      ({ writeKey: key, id: sourceId } = await tp.createSource('Web shop', 'web'));
    });
    after(() => tp.dispose());

    it('accepts every message type on its endpoint and its analytics.js letter', async () => {
      const bodies: [string, object][] = [
        ['/v1/identify', { userId: 'u1', traits: { email: 'ann@example.com' } }],
        ['/v1/track', { userId: 'u1', event: 'Product Viewed', properties: { sku: 'A' } }],
        ['/v1/page', { anonymousId: 'a1', name: 'Home' }],
        ['/v1/screen', { userId: 'u1', name: 'Cart' }],
        ['/v1/group', { userId: 'u1', groupId: 'h1', traits: { type: 'household' } }],
        ['/v1/alias', { userId: 'u1', previousId: 'a1' }],
        ['/v1/t', { anonymousId: 'a1', event: 'Clicked', writeKey: key }],
        ['/v1/p', { anonymousId: 'a1', writeKey: key }],
      ];
      for (const [url, body] of bodies) {
        const response = await post(url, body, url.length === 5 ? { 'content-type': 'text/plain' } : basic(key));
        assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
        assert.deepEqual(response.json(), { success: true, accepted: 1, duplicates: 0, erased: 0, rejected: [] });
      }
      const events = await tp.touchpoint.log.query({ sourceId, limit: 100 });
      assert.deepEqual(events.map((e) => e.type).reverse(), ['identify', 'track', 'page', 'screen', 'group', 'alias', 'track', 'page']);
      assert.ok(events.every((e) => e.channel === 'web'));
    });

    it('takes a batch envelope with shared context, and the key from the body', async () => {
      const response = await post(
        '/v1/batch',
        {
          writeKey: key,
          context: { library: { name: 'shop-backend' } },
          batch: [
            { type: 'track', userId: 'u2', event: 'Order Completed', context: { channel: 'call_center' }, messageId: 'order-1' },
            { type: 'identify', anonymousId: 'a2', unknownField: [1, 2] },
          ],
        },
        { 'content-type': 'text/plain;charset=UTF-8' },
      );
      assert.equal(response.statusCode, 200, response.body);
      const [identify, track] = await tp.touchpoint.log.query({ sourceId, limit: 2 });
      assert.equal(track!.channel, 'call_center');
      assert.deepEqual(JSON.parse(track!.payload).context.library, { name: 'shop-backend' });
      assert.deepEqual(JSON.parse(identify!.payload).unknownField, [1, 2]);
      assert.equal(JSON.parse(identify!.payload).writeKey, undefined, 'the key is not stored');
    });

    it('stores nothing twice when a request is retried', async () => {
      const body = {
        batch: [
          { type: 'track', userId: 'u3', event: 'E', messageId: 'retry-1' },
          { type: 'track', userId: 'u3', event: 'E', messageId: 'retry-2' },
        ],
      };
      const before = await storedCount();
      assert.equal((await post('/v1/batch', body)).json().accepted, 2);
      const retried = (await post('/v1/batch', body)).json();
      assert.equal(retried.accepted, 0);
      assert.equal(retried.duplicates, 2);
      assert.equal(await storedCount(), before + 2);
    });

    it('accepts gzip, deflate and brotli bodies', async () => {
      const { brotliCompressSync, deflateSync } = await import('node:zlib');
      const body = (id: string) => Buffer.from(JSON.stringify({ batch: [{ type: 'track', userId: 'u4', event: 'E', messageId: id }] }));
      for (const [encoding, compress] of [
        ['gzip', gzipSync],
        ['deflate', deflateSync],
        ['br', brotliCompressSync],
      ] as const) {
        const response = await post('/v1/batch', compress(body(encoding)), { ...basic(key), 'content-encoding': encoding });
        assert.equal(response.statusCode, 200, `${encoding}: ${response.body}`);
        assert.equal(response.json().accepted, 1);
      }
    });

    it('stores the good messages of a batch and reports the bad ones by index', async () => {
      const before = await storedCount();
      const response = await post('/v1/batch', {
        batch: [
          { type: 'track', userId: 'u5', event: 'Good' },
          { type: 'track', userId: 'u5' },
          { type: 'identify' },
          { type: 'page', anonymousId: 'a5', properties: 'not an object' },
          { type: 'track', userId: 'u5', event: 'Late', timestamp: 'last tuesday' },
          { type: 'track', userId: 'u5', event: 'Big', properties: { blob: 'x'.repeat(33 * 1024) } },
          'not a message',
        ],
      });
      assert.equal(response.statusCode, 200);
      const body = response.json();
      assert.equal(body.accepted, 1);
      assert.deepEqual(
        body.rejected.map((r: { index: number; code: string }) => [r.index, r.code]),
        [
          [1, 'TP_MISSING_FIELD'],
          [2, 'TP_MISSING_IDENTITY'],
          [3, 'TP_INVALID_EVENT'],
          [4, 'TP_INVALID_TIMESTAMP'],
          [5, 'TP_MESSAGE_TOO_LARGE'],
          [6, 'TP_INVALID_EVENT'],
        ],
      );
      assert.equal(await storedCount(), before + 1);
    });

    it('refuses a message nested 5,000 levels deep alone, and stores the rest of its batch', async () => {
      const before = await storedCount();
      const payload = `{"batch":[{"type":"track","userId":"u6","event":"Deep","properties":${deepJson(5000)}},{"type":"track","userId":"u6","event":"Flat"}]}`;
      assert.ok(payload.length < 32 * 1024);
      const response = await post('/v1/batch', payload);
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json();
      assert.equal(body.accepted, 1);
      assert.deepEqual(
        body.rejected.map((r: { index: number; code: string }) => [r.index, r.code]),
        [[0, 'TP_TOO_DEEP']],
      );
      assert.match(body.rejected[0].message, /properties nests objects or arrays more than 64 levels/);
      assert.equal(await storedCount(), before + 1);
    });

    it('refuses an event dated more than a day after its receipt, so it never becomes last activity', async () => {
      const now = tp.clock.now();
      const at = (ms: number) => new Date(now + ms).toISOString();
      const day = 24 * 3600 * 1000;
      const response = await post('/v1/batch', {
        batch: [
          { type: 'track', userId: 'u7', event: 'Tomorrow', timestamp: at(day - 60_000) },
          { type: 'track', userId: 'u7', event: 'Next year', timestamp: at(365 * day) },
          { type: 'track', userId: 'u7', event: 'Fast clock', timestamp: at(365 * day), sentAt: at(365 * day + 1000) },
        ],
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().accepted, 2);
      assert.deepEqual(
        response.json().rejected.map((r: { index: number; code: string }) => [r.index, r.code]),
        [[1, 'TP_FUTURE_TIMESTAMP']],
      );
      const single = await post('/v1/track', { userId: 'u7', event: 'Next week', timestamp: at(7 * day) });
      assert.equal(single.statusCode, 400);
      assert.equal(single.json().error.code, 'TP_FUTURE_TIMESTAMP');
      const stored = await tp.touchpoint.log.query({ userId: 'u7', limit: 10 });
      assert.deepEqual(stored.map((e) => e.event).sort(), ['Fast clock', 'Tomorrow']);
    });

    describe('bad input: a clear 4xx, nothing stored, the server unaffected', () => {
      const cases: { name: string; url?: string; payload: string | Buffer; headers?: Record<string, string>; status: number; code: string }[] = [
        { name: 'invalid JSON', payload: '{"batch": [', status: 400, code: 'TP_INVALID_JSON' },
        { name: 'empty body', payload: '', status: 400, code: 'TP_INVALID_JSON' },
        { name: 'no batch array', payload: '{"messages": []}', status: 400, code: 'TP_INVALID_BATCH' },
        { name: 'empty batch', payload: '{"batch": []}', status: 400, code: 'TP_EMPTY_BATCH' },
        { name: 'every message bad', payload: '{"batch": [{"type":"track"}, {"userId":"x"}]}', status: 400, code: 'TP_BATCH_REJECTED' },
        {
          name: 'missing type (a batch of one gives its own code)',
          url: '/v1/batch',
          payload: '{"batch": [{"userId":"x"}]}',
          status: 400,
          code: 'TP_MISSING_TYPE',
        },
        { name: 'missing identity', url: '/v1/track', payload: '{"event":"E"}', status: 400, code: 'TP_MISSING_IDENTITY' },
        { name: 'invalid timestamp', url: '/v1/identify', payload: '{"userId":"x","timestamp":"2026-99-01"}', status: 400, code: 'TP_INVALID_TIMESTAMP' },
        { name: 'non-object properties', url: '/v1/track', payload: '{"userId":"x","event":"E","properties":[1]}', status: 400, code: 'TP_INVALID_EVENT' },
        {
          name: 'oversize message',
          url: '/v1/track',
          payload: JSON.stringify({ userId: 'x', event: 'E', properties: { b: 'x'.repeat(40_000) } }),
          status: 413,
          code: 'TP_BODY_TOO_LARGE',
        },
        {
          name: 'oversize batch',
          payload: JSON.stringify({
            batch: Array.from({ length: 30 }, () => ({ type: 'track', userId: 'x', event: 'E', properties: { b: 'x'.repeat(20_000) } })),
          }),
          status: 413,
          code: 'TP_BODY_TOO_LARGE',
        },
        {
          name: 'message nested 5,000 levels deep',
          url: '/v1/track',
          payload: `{"userId":"x","event":"E","properties":${deepJson(5000)}}`,
          status: 400,
          code: 'TP_TOO_DEEP',
        },
        {
          name: 'array nested 100,000 levels deep, as text/plain',
          payload: `{"batch":[{"type":"track","userId":"x","event":"E","context":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}`,
          headers: { 'content-type': 'text/plain' },
          status: 400,
          code: 'TP_TOO_DEEP',
        },
        {
          name: 'batch context nested 5,000 levels deep',
          payload: `{"context":${deepJson(5000)},"batch":[{"type":"identify","userId":"x"}]}`,
          status: 400,
          code: 'TP_TOO_DEEP',
        },
        {
          name: 'gzipped message nested 5,000 levels deep',
          payload: gzipSync(`{"batch":[{"type":"identify","userId":"x","traits":${deepJson(5000)}}]}`),
          headers: { 'content-encoding': 'gzip' },
          status: 400,
          code: 'TP_TOO_DEEP',
        },
        { name: 'missing key', payload: '{"batch": [{"type":"identify","userId":"x"}]}', headers: {}, status: 401, code: 'TP_MISSING_WRITE_KEY' },
        { name: 'wrong key', payload: '{"batch": [{"type":"identify","userId":"x"}]}', headers: basic('not-a-key'), status: 401, code: 'TP_INVALID_WRITE_KEY' },
        { name: 'unknown encoding', payload: '{}', headers: { 'content-encoding': 'zstd' }, status: 415, code: 'TP_UNSUPPORTED_ENCODING' },
        { name: 'corrupt gzip', payload: Buffer.from('not gzip at all'), headers: { 'content-encoding': 'gzip' }, status: 400, code: 'TP_INVALID_ENCODING' },
        {
          name: 'gzip bomb',
          payload: gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20)),
          headers: { 'content-encoding': 'gzip' },
          status: 413,
          code: 'TP_BODY_TOO_LARGE',
        },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          const before = await storedCount();
          const headers = c.headers === undefined ? basic(key) : { ...(c.name.includes('key') ? {} : basic(key)), ...c.headers };
          const response = await post(c.url ?? '/v1/batch', c.payload, headers);
          assert.equal(response.statusCode, c.status, response.body);
          assert.equal(response.json().error.code, c.code);
          assert.ok(response.json().error.message.length > 15);
          assert.equal(await storedCount(), before);
          const healthy = await post('/v1/identify', { userId: `after-${c.name}` });
          assert.equal(healthy.statusCode, 200, 'the server still accepts good input');
        });
      }
    });

    it('answers CORS preflights so browser SDKs can send', async () => {
      const response = await tp.app.inject({
        method: 'OPTIONS',
        url: '/v1/t',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      assert.equal(response.statusCode, 204);
      assert.equal(response.headers['access-control-allow-origin'], '*');
    });

    it('serves analytics.js settings for a write key', async () => {
      const response = await tp.app.inject({ method: 'GET', url: `/v1/projects/${key}/settings`, headers: { host: 'collect.example:4000' } });
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().integrations['Segment.io'].apiHost, 'collect.example:4000/v1');
      const unknown = await tp.app.inject({ method: 'GET', url: '/v1/projects/nope/settings' });
      assert.equal(unknown.statusCode, 401);
    });

    it('counts accepted and rejected events in /metrics', async () => {
      const text = (await tp.app.inject({ method: 'GET', url: '/metrics' })).body;
      assert.match(text, /touchpoint_events_accepted_total\{channel="web"\} \d+/);
      assert.match(text, /touchpoint_events_rejected_total\{code="TP_INVALID_JSON"\} \d+/);
      assert.match(text, /touchpoint_ack_latency_seconds_bucket/);
      assert.ok(admin());
    });
  });
}
