import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorCatalogue } from '../src/errors.js';
import { readFileSync } from 'node:fs';
import { DIALECTS } from './support/dialects.js';
import { admin, basic, startTestServer, type TestServer } from './support/touchpoint.js';

for (const dialect of DIALECTS) {
  describe(`management API on ${dialect.name}`, () => {
    let tp: TestServer;
    const api = (method: 'GET' | 'POST', url: string, payload?: object, headers = admin()) =>
      tp.app.inject({ method, url, headers, ...(payload && { payload }) });
    before(async () => {
      tp = await startTestServer(dialect);
    });
    after(() => tp.dispose());

    it('refuses a missing or wrong admin token', async () => {
      for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: 'Basic abc' }] as Record<string, string>[]) {
        const response = await api('GET', '/api/sources', undefined, headers);
        assert.equal(response.statusCode, 401);
        assert.equal(response.json().error.code, 'TP_UNAUTHORIZED');
      }
    });

    it('creates, lists and shows sources; the key is shown once', async () => {
      const created = await api('POST', '/api/sources', { name: 'Store POS', channel: 'store' });
      assert.equal(created.statusCode, 201);
      const body = created.json();
      assert.equal(body.channel, 'store');
      assert.ok(body.writeKey.startsWith(body.writeKeyHint.slice(0, 4)));
      const list = (await api('GET', '/api/sources')).json();
      assert.deepEqual(
        list.sources.map((s: { name: string }) => s.name),
        ['Store POS'],
        "Touchpoint's own sources are not listed",
      );
      assert.ok(list.sources.every((s: { writeKey?: string }) => s.writeKey === undefined));
      assert.equal((await api('GET', `/api/sources/${body.id}`)).json().name, 'Store POS');
      assert.equal((await api('GET', '/api/sources/Store%20POS')).json().id, body.id);
    });

    it('rejects bad source input with codes', async () => {
      const cases: [object, number, string][] = [
        [{ name: 'X', channel: 'fax' }, 400, 'TP_VALIDATION'],
        [{ channel: 'web' }, 400, 'TP_VALIDATION'],
        [{ name: '   ', channel: 'web' }, 400, 'TP_VALIDATION'],
        [{ name: 'Store POS', channel: 'web' }, 409, 'TP_SOURCE_NAME_TAKEN'],
      ];
      for (const [payload, status, code] of cases) {
        const response = await api('POST', '/api/sources', payload);
        assert.equal(response.statusCode, status, JSON.stringify(payload));
        assert.equal(response.json().error.code, code);
      }
      const missing = await api('GET', '/api/sources/nope');
      assert.equal(missing.json().error.code, 'TP_SOURCE_NOT_FOUND');
    });

    it('rotates a write key', async () => {
      const { id, writeKey } = await tp.createSource('App', 'app');
      const rotated = await api('POST', `/api/sources/${id}/rotate-key`, { graceSeconds: 0 });
      assert.equal(rotated.statusCode, 200);
      const send = (key: string) => tp.app.inject({ method: 'POST', url: '/v1/identify', headers: basic(key), payload: { userId: 'u' } });
      assert.equal((await send(writeKey)).statusCode, 401);
      assert.equal((await send(rotated.json().writeKey)).statusCode, 200);
      const bodiless = await tp.app.inject({ method: 'POST', url: `/api/sources/${id}/rotate-key`, headers: admin() });
      assert.equal(bodiless.statusCode, 200, bodiless.body);
    });

    it('takes a bodiless DELETE or POST sent as JSON as one without a body', async () => {
      const json = { ...admin(), 'content-type': 'application/json' };
      const { id } = await tp.createSource('Kiosk', 'store');
      const rotated = await tp.app.inject({ method: 'POST', url: `/api/sources/${id}/rotate-key`, headers: json });
      assert.equal(rotated.statusCode, 200, rotated.body);
      assert.equal(rotated.json().rotatedAt, '2026-11-23T12:00:00.000Z');
      const segment = await api('POST', '/api/segments', { name: 'Everyone', condition: { profile: 'eventCount', op: 'gte', value: 0 } });
      assert.equal(segment.statusCode, 201, segment.body);
      const deleted = await tp.app.inject({ method: 'DELETE', url: `/api/segments/${segment.json().id}`, headers: json });
      assert.equal(deleted.statusCode, 204, deleted.body);
      const unmerge = await tp.app.inject({ method: 'POST', url: '/api/profiles/prof_nobody/unmerge', headers: json });
      assert.equal(unmerge.json().error.code, 'TP_PROFILE_NOT_FOUND', 'the body was accepted; the profile is what is missing');
      const plain = await tp.app.inject({ method: 'DELETE', url: '/api/segments/nope', headers: { ...admin(), 'content-type': 'text/plain' } });
      assert.equal(plain.json().error.code, 'TP_SEGMENT_NOT_FOUND');
      for (const headers of [json, admin()]) {
        const needed = await tp.app.inject({ method: 'POST', url: '/api/sources', headers });
        assert.deepEqual(
          needed.json().error,
          { code: 'TP_INVALID_JSON', message: 'The body is empty; send a JSON object.' },
          'a body with required fields is still needed',
        );
      }
    });

    it('answers a method a path does not take with 405 and the methods it takes', async () => {
      const cases: [string, string, string][] = [
        ['PATCH', '/api/segments', 'GET, HEAD, POST'],
        ['POST', '/api/segments/abc', 'GET, HEAD, PUT, DELETE'],
        ['DELETE', '/v1/batch', 'POST'],
        ['GET', '/v1/track', 'POST'],
        ['POST', '/health', 'GET, HEAD'],
      ];
      for (const [method, url, allow] of cases) {
        for (const headers of [admin(), { ...admin(), 'content-type': 'application/json' }]) {
          const response = await tp.app.inject({ method: method as 'GET', url, headers });
          assert.equal(response.statusCode, 405, `${method} ${url}: ${response.body}`);
          assert.equal(response.headers.allow, allow);
          assert.equal(response.json().error.code, 'TP_METHOD_NOT_ALLOWED');
          assert.match(response.json().error.message, new RegExp(`^${url} does not take ${method}; it takes ${allow}\\.`));
        }
      }
      for (const method of ['GET', 'DELETE'] as const) {
        const missing = await tp.app.inject({ method, url: '/api/nowhere', headers: { ...admin(), 'content-type': 'application/json' } });
        assert.equal(missing.statusCode, 404);
        assert.equal(missing.json().error.code, 'TP_NOT_FOUND');
        assert.equal(missing.headers.allow, undefined);
      }
    });

    it('pages through stored events newest first, with filters', async () => {
      const { writeKey } = await tp.createSource('Email platform', 'email');
      const batch = Array.from({ length: 25 }, (_, i) => ({ type: 'track', userId: i % 2 ? 'odd' : 'even', event: `E${i}`, messageId: `m${i}` }));
      await tp.app.inject({ method: 'POST', url: '/v1/batch', headers: basic(writeKey), payload: { batch } });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/events?source=Email%20platform&userId=even&limit=5${cursor ? `&before=${cursor}` : ''}`;
        const page = (await api('GET', url)).json();
        seen.push(...page.events.map((e: { event: string }) => e.event));
        cursor = page.next;
      } while (cursor);
      assert.deepEqual(
        seen,
        Array.from({ length: 13 }, (_, i) => `E${24 - 2 * i}`),
      );
      const one = (await api('GET', '/api/events?limit=1&type=track')).json().events[0];
      assert.equal(one.channel, 'email');
      assert.equal(one.message.event, 'E24');
      assert.equal(one.timestamp, '2026-11-23T12:00:00.000Z', 'the injected clock');
    });

    it('rejects bad event queries', async () => {
      const cases: [string, string][] = [
        ['/api/events?limit=0', 'TP_VALIDATION'],
        ['/api/events?limit=5000', 'TP_VALIDATION'],
        ['/api/events?type=purchase', 'TP_VALIDATION'],
        ['/api/events?before=abc', 'TP_INVALID_CURSOR'],
        ['/api/events?source=nope', 'TP_SOURCE_NOT_FOUND'],
        ['/api/events?colour=red', 'TP_VALIDATION'],
      ];
      for (const [url, code] of cases) assert.equal((await api('GET', url)).json().error.code, code, url);
    });

    it('says which field is wrong and what it allows, once', async () => {
      const cases: [string, string, object | undefined, string][] = [
        ['GET', '/api/events?type=purchase', undefined, 'querystring/type must be one of identify, track, page, screen, group, alias.'],
        [
          'GET',
          '/api/events?colour=red',
          undefined,
          'querystring has an unknown parameter "colour"; allowed: source, type, userId, anonymousId, limit, before.',
        ],
        ['GET', '/api/segments/x/members?format=xml', undefined, 'querystring/format must be one of json, csv.'],
        ['GET', '/api/jobs?status=paused', undefined, 'querystring/status must be one of queued, running, done, failed, cancelled.'],
        [
          'POST',
          '/api/sources',
          { name: 'Fax', channel: 'fax' },
          'body/channel must be one of web, app, email, sms, push, store, call_center, ads, social, search, direct_mail, other.',
        ],
        ['POST', '/api/sources', { name: 'Fax', channel: 'web', colour: 'red' }, 'body has an unknown field "colour"; allowed: name, channel.'],
        [
          'POST',
          '/api/computed-traits',
          { name: 'x', aggregation: 'sum', where: [{ property: 'a', op: 'like' }] },
          'body/where/0/op must be one of eq, neq, gt, gte, lt, lte, in, contains, exists.',
        ],
        [
          'POST',
          '/api/computed-traits',
          { name: 'x', aggregation: 'count', where: [{ property: 'a', op: 'eq', valeu: 1 }] },
          'body/where/0 has an unknown field "valeu"; allowed: property, op, value.',
        ],
        ['GET', '/api/events?limit=0', undefined, 'querystring/limit must be >= 1.'],
      ];
      for (const [method, url, payload, message] of cases) {
        const response = await api(method as 'GET' | 'POST', url, payload);
        assert.equal(response.statusCode, 400, url);
        assert.deepEqual(response.json().error, { code: 'TP_VALIDATION', message }, url);
      }
    });

    it('shows the pipeline status, dead letters and identity hubs', async () => {
      const status = (await api('GET', '/api/pipeline')).json();
      assert.equal(typeof status.lagEvents, 'number');
      assert.deepEqual((await api('GET', '/api/pipeline/dead-letters')).json(), { deadLetters: [], next: null });
      assert.deepEqual((await api('GET', '/api/identity/hubs')).json(), { hubs: [] });
    });

    it('serves health, readiness, metrics and an OpenAPI document', async () => {
      assert.deepEqual((await api('GET', '/health', undefined, {})).json(), { status: 'ok' });
      const ready = (await api('GET', '/ready', undefined, {})).json();
      assert.equal(ready.status, 'ready');
      assert.equal(ready.pipeline.running, true);
      const metrics = await api('GET', '/metrics', undefined, {});
      assert.match(String(metrics.headers['content-type']), /text\/plain/);
      const doc = (await api('GET', '/openapi.json', undefined, {})).json();
      assert.equal(doc.openapi.slice(0, 2), '3.');
      for (const path of ['/v1/batch', '/v1/track', '/api/sources', '/api/events', '/api/sources/{id}/rotate-key']) assert.ok(doc.paths[path], path);
      const missing = await api('GET', '/nowhere', undefined, {});
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'TP_NOT_FOUND');
    });
  });
}

it('docs/errors.md documents every error code and no other', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Set([...doc.matchAll(/^\|\s*`(TP_[A-Z_]+)`/gm)].map((m) => m[1]));
  assert.deepEqual([...documented].sort(), Object.keys(errorCatalogue).sort());
  for (const [code, { status }] of Object.entries(errorCatalogue)) {
    assert.match(doc, new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`), `${code} with status ${status}`);
  }
});
