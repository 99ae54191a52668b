/** Every paginated listing: its cursors round-trip, and a bad cursor is a 400 naming what to pass, on every dialect. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './support/dialects.js';
import { admin, basic, startTestServer, type TestServer } from './support/touchpoint.js';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

for (const dialect of DIALECTS) {
  describe(`pagination cursors on ${dialect.name}`, () => {
    let tp: TestServer;
    let profileId: string;
    let segmentId: string;
    const get = (url: string) => tp.app.inject({ method: 'GET', url, headers: admin() });

    /** Each listing with the parameter that takes its cursor. */
    let listings: { url: string; parameter: 'before' | 'after'; items: string }[];

    before(async () => {
      tp = await startTestServer(dialect);
      const { writeKey } = await tp.createSource();
      const batch = [
        ...Array.from({ length: 5 }, (_, i) => ({ type: 'identify', userId: `u${i}`, traits: { email: `u${i}@example.com` } })),
        ...Array.from({ length: 4 }, (_, i) => ({ type: 'track', userId: 'u0', event: `Viewed ${i}` })),
      ];
      const send = async (messages: object[]) => {
        const sent = await tp.app.inject({ method: 'POST', url: '/v1/batch', headers: basic(writeKey), payload: { batch: messages } });
        assert.equal(sent.statusCode, 200, sent.body);
        await tp.touchpoint.pipeline.drain();
      };
      await send(batch);
      // Events of a person erased after they were logged, before they were processed, are dropped: the dropped listing gets some.
      const erased = (await get('/api/profiles/lookup?kind=userId&value=u4')).json().id;
      await tp.touchpoint.pipeline.stop();
      const late = Array.from({ length: 3 }, (_, i) => ({ type: 'track', userId: 'u4', event: `Before erasure ${i}` }));
      assert.equal((await tp.app.inject({ method: 'POST', url: '/v1/batch', headers: basic(writeKey), payload: { batch: late } })).json().accepted, 3);
      assert.equal((await tp.app.inject({ method: 'DELETE', url: `/api/profiles/${erased}`, headers: admin() })).statusCode, 200);
      tp.touchpoint.pipeline.start();
      await tp.touchpoint.pipeline.drain();
      profileId = (await get('/api/profiles/lookup?kind=userId&value=u0')).json().id;
      const segment = await tp.app.inject({
        method: 'POST',
        url: '/api/segments',
        headers: admin(),
        payload: { name: 'Everyone', condition: { trait: 'email', op: 'exists' } },
      });
      assert.equal(segment.statusCode, 201, segment.body);
      segmentId = segment.json().id;
      await tp.touchpoint.jobs.settle();
      listings = [
        { url: '/api/events', parameter: 'before', items: 'events' },
        { url: '/api/profiles', parameter: 'before', items: 'profiles' },
        { url: `/api/profiles/${profileId}/timeline`, parameter: 'before', items: 'events' },
        { url: `/api/segments/${segmentId}/members`, parameter: 'after', items: 'members' },
        { url: `/api/segments/${segmentId}/changes`, parameter: 'after', items: 'changes' },
        { url: '/api/pipeline/dead-letters', parameter: 'after', items: 'deadLetters' },
        { url: '/api/pipeline/dropped', parameter: 'after', items: 'dropped' },
        { url: '/api/jobs', parameter: 'before', items: 'jobs' },
      ];
    });
    after(() => tp.dispose());

    it('pages through every listing with its own next cursors', async () => {
      for (const { url, parameter, items } of listings) {
        const all = (await get(`${url}?limit=100`)).json()[items] as unknown[];
        const seen: unknown[] = [];
        let cursor: string | null = null;
        do {
          const response = await get(`${url}?limit=2${cursor === null ? '' : `&${parameter}=${cursor}`}`);
          assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
          const page = response.json();
          seen.push(...page[items]);
          cursor = page.next;
          if (cursor !== null) assert.match(cursor, /^[A-Za-z0-9_-]+$/, 'an opaque, URL-safe cursor');
        } while (cursor !== null);
        assert.deepEqual(seen, all, url);
      }
      const dropped = (await get('/api/pipeline/dropped')).json().dropped as { reason: string }[];
      assert.equal(dropped.filter((d) => d.reason === 'erased_identifier').length, 3, 'the events of the erased person were dropped');
    });

    it('refuses a malformed or edited cursor with TP_INVALID_CURSOR on every listing', async () => {
      const bad = [
        'abc',
        '1:x',
        '12',
        '-1',
        '!!!',
        '%7B%7D',
        'x'.repeat(5000),
        b64('not json'),
        b64('[]'),
        b64('{"l":"events"}'),
        b64('{"l":"events","p":{"seq":"1"}}'),
        b64('{"l":"timeline","p":{"timestamp":1,"seq":"x"}}'),
        b64('{"l":"timeline","p":{"timestamp":1.5,"seq":1}}'),
        b64('{"l":"jobs","p":{"id":""}}'),
        b64('{"l":"jobs","p":{"id":"job_nonexistent"}}'),
        b64('{"l":"profiles","p":{"lastSeen":1,"id":"x","extra":1}}'),
        b64('{"l":"segment-changes","p":{"id":-1}}'),
      ];
      for (const { url, parameter } of listings) {
        for (const cursor of bad) {
          const response = await get(`${url}?${parameter}=${cursor}`);
          assert.equal(response.statusCode, 400, `${url} ${parameter}=${cursor}: ${response.body}`);
          const { code, message } = response.json().error;
          assert.equal(code, 'TP_INVALID_CURSOR', `${url} ${parameter}=${cursor}`);
          assert.match(message, new RegExp(`^${parameter} .*pass the "next" value of a previous page`), message);
        }
      }
    });

    it('refuses the cursor of one listing given to another, naming the listing it came from', async () => {
      const nexts = new Map<string, string>();
      for (const { url, items } of listings) {
        const next = (await get(`${url}?limit=1`)).json().next as string | null;
        if (next !== null) nexts.set(url, next);
        else assert.ok(items === 'deadLetters', `${url} has more than one item`);
      }
      for (const { url, parameter } of listings) {
        for (const [from, cursor] of nexts) {
          if (from === url) continue;
          const response = await get(`${url}?${parameter}=${cursor}`);
          assert.equal(response.statusCode, 400, `${from} cursor to ${url}: ${response.body}`);
          assert.equal(response.json().error.code, 'TP_INVALID_CURSOR');
          assert.match(response.json().error.message, /is a cursor of another listing \([a-z-]+\)/);
        }
      }
    });
  });
}
