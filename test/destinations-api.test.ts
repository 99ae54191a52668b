/** /api/destinations through Fastify inject, on a local app with the routes plugin over a real Touchpoint. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { installErrorHandler } from '../src/http/error-handler.js';
import { destinationRoutes } from '../src/http/routes/destinations.js';
import { DIALECTS } from './support/dialects.js';
import { openDestinationsHarness, type DestinationsHarness } from './support/destinations.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const URL = 'https://hooks.example.com/audiences';

/** The app's own request settings (app.ts), so that validation answers as the server does. */
async function localApp(h: DestinationsHarness): Promise<FastifyInstance> {
  const app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false, verbose: true } } });
  installErrorHandler(app, h.tp.metrics);
  await app.register(swagger, { openapi: { info: { title: 'Touchpoint API', version: 'test' } } });
  await destinationRoutes(app, {
    get destinations() {
      return h.destinations;
    },
  });
  await app.ready();
  return app;
}

for (const dialect of DIALECTS) {
  describe(`destinations API on ${dialect.name}`, () => {
    let h: DestinationsHarness;
    let app: FastifyInstance;
    const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => app.inject({ method, url, ...(payload && { payload }) });
    const refused = async (method: 'POST' | 'PUT', url: string, payload: object, status: number, code: string, message: RegExp) => {
      const response = await api(method, url, payload);
      assert.equal(response.statusCode, status, response.body);
      assert.equal(response.json().error.code, code);
      assert.match(response.json().error.message, message);
    };

    before(async () => {
      h = await openDestinationsHarness(dialect, async () => ({ kind: 'sent', response: { status: 200 } }));
      app = await localApp(h);
      await h.send('Shop', 'web', { type: 'identify', userId: 'ada', traits: { tier: 'gold', email: 'Ada.L@gmail.com', phone: '+1 415 555 2671' } });
      await h.send('Shop', 'web', { type: 'identify', userId: 'bo', traits: { tier: 'gold', email: 'bo@example.com' } });
      await h.send('Shop', 'web', { type: 'identify', userId: 'cy', traits: { tier: 'gold' } });
      await h.segment('Gold', { trait: 'tier', op: 'eq', value: 'gold' });
    });
    after(async () => {
      await app.close();
      await h.dispose();
    });

    it('creates a webhook destination, showing a made secret once and its last 4 characters after', async () => {
      const created = await api('POST', '/api/destinations', { name: 'Google Ads', segment: 'Gold', url: URL, batchSize: 500 });
      assert.equal(created.statusCode, 201, created.body);
      const body = created.json();
      assert.match(body.secret, /^whsec_[A-Za-z0-9+/]{32}$/, 'whsec_ and base64 of 24 bytes');
      assert.deepEqual(
        [body.segment.name, body.kind, body.batchSize, body.identifiers, body.hashing, body.status],
        ['Gold', 'webhook', 500, ['email', 'phone'], 'google', 'backfilling'],
      );
      for (const url of [`/api/destinations/${body.id}`, '/api/destinations/Google%20Ads']) {
        const shown = (await api('GET', url)).json();
        assert.equal(shown.secret, undefined);
        assert.equal(shown.secretHint, `…${body.secret.slice(-4)}`);
      }
      const listed = (await api('GET', '/api/destinations')).json().destinations;
      assert.deepEqual(
        listed.map((d: { name: string; secret?: string }) => [d.name, d.secret]),
        [['Google Ads', undefined]],
      );
      const given = await api('POST', '/api/destinations', {
        name: 'Given',
        segment: 'Gold',
        url: URL,
        secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
      });
      assert.equal(given.statusCode, 201, given.body);
      assert.equal(given.json().secret, undefined, 'a secret the client chose is not echoed');
    });

    it('refuses bad settings with 400s that name the problem', async () => {
      const base = { name: 'Bad', segment: 'Gold', url: URL };
      await refused('POST', '/api/destinations', { ...base, segment: 'Platinum' }, 400, 'TP_INVALID_DESTINATION', /segment "Platinum" does not exist/);
      await refused('POST', '/api/destinations', { ...base, url: 'ftp://example.com/x' }, 400, 'TP_INVALID_DESTINATION', /url must be http or https, not ftp/);
      await refused('POST', '/api/destinations', { ...base, url: 'hooks.example.com' }, 400, 'TP_INVALID_DESTINATION', /not an absolute URL/);
      await refused('POST', '/api/destinations', { name: 'Bad', segment: 'Gold' }, 400, 'TP_INVALID_DESTINATION', /needs a url/);
      await refused('POST', '/api/destinations', { ...base, secret: 'hunter2' }, 400, 'TP_INVALID_DESTINATION', /whsec_/);
      await refused('POST', '/api/destinations', { ...base, kind: 'csv' }, 400, 'TP_INVALID_DESTINATION', /takes no url/);
      await refused('POST', '/api/destinations', { ...base, batchSize: 0 }, 400, 'TP_VALIDATION', /batchSize must be >= 1/);
      await refused('POST', '/api/destinations', { ...base, batchSize: 10_001 }, 400, 'TP_VALIDATION', /batchSize must be <= 10000/);
      await refused('POST', '/api/destinations', { ...base, identifiers: [] }, 400, 'TP_VALIDATION', /identifiers/);
      await refused('POST', '/api/destinations', { ...base, identifiers: ['fax'] }, 400, 'TP_VALIDATION', /email, phone/);
      await refused('POST', '/api/destinations', { ...base, hashing: 'tiktok' }, 400, 'TP_VALIDATION', /google, meta/);
      await refused('POST', '/api/destinations', { ...base, colour: 'red' }, 400, 'TP_VALIDATION', /colour/);
      await refused('POST', '/api/destinations', { ...base, name: 'Google Ads' }, 409, 'TP_DESTINATION_EXISTS', /Google Ads/);
      await refused('PUT', '/api/destinations/Google%20Ads', { segment: 'Other' }, 400, 'TP_INVALID_DESTINATION', /segment of a destination cannot change/);
      await refused('PUT', '/api/destinations/Google%20Ads', { url: 'javascript:alert(1)' }, 400, 'TP_INVALID_DESTINATION', /http or https/);
      await refused('PUT', '/api/destinations/Google%20Ads', { name: 'Given' }, 409, 'TP_DESTINATION_EXISTS', /Given/);
      assert.equal((await api('GET', '/api/destinations')).json().destinations.length, 2, 'nothing was created');
    });

    it('answers 404 for a destination that does not exist', async () => {
      for (const [method, url] of [
        ['GET', '/api/destinations/nope'],
        ['PUT', '/api/destinations/nope'],
        ['DELETE', '/api/destinations/nope'],
        ['GET', '/api/destinations/nope/status'],
        ['GET', '/api/destinations/nope/export.csv'],
      ] as const) {
        const response = await api(method, url, method === 'PUT' ? { batchSize: 5 } : undefined);
        assert.equal(response.statusCode, 404, `${method} ${url}`);
        assert.equal(response.json().error.code, 'TP_DESTINATION_NOT_FOUND');
      }
    });

    it('changes settings and pauses, keeping the segment', async () => {
      const changed = await api('PUT', '/api/destinations/Google%20Ads', { name: 'Customer Match', batchSize: 100, status: 'paused', segment: 'Gold' });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.deepEqual([changed.json().name, changed.json().batchSize, changed.json().status], ['Customer Match', 100, 'paused']);
      const resumed = await api('PUT', '/api/destinations/Customer%20Match', { status: 'active' });
      assert.equal(resumed.json().status, 'backfilling', 'resumed where it was: its back-fill had not run yet');
    });

    it('reports status and counts after a sync', async () => {
      await h.drain();
      const status = await api('GET', '/api/destinations/Customer%20Match/status');
      assert.equal(status.statusCode, 200, status.body);
      const s = status.json();
      assert.deepEqual(
        [s.status, s.members, s.added, s.removed, s.skipped, s.pendingBatches, s.sentBatches, s.deadBatches, s.lastError],
        ['active', 2, 2, 0, 1, 0, 1, 0, null],
      );
      assert.equal(s.lastSyncAt, new Date(h.clock.now()).toISOString());
    });

    it('exports the current members as CSV with the platform’s column names', async () => {
      const google = await api('GET', '/api/destinations/Customer%20Match/export.csv');
      assert.equal(google.statusCode, 200);
      assert.match(String(google.headers['content-type']), /text\/csv/);
      assert.match(String(google.headers['content-disposition']), /filename="Customer_Match.csv"/);
      const rows = parse(google.body, { columns: true }) as Record<string, string>[];
      assert.deepEqual(
        rows.map((r) => [r.Email, r.Phone]).sort(),
        [
          [sha('adal@gmail.com'), sha('+14155552671')],
          [sha('bo@example.com'), ''],
        ].sort(),
      );
      const csv = await api('POST', '/api/destinations', { name: 'Meta upload', segment: 'Gold', kind: 'csv', hashing: 'meta', identifiers: ['phone'] });
      assert.equal(csv.statusCode, 201, csv.body);
      assert.equal(csv.json().secret, undefined, 'a csv destination has no secret');
      const meta = await api('GET', `/api/destinations/${csv.json().id}/export.csv`);
      assert.equal(meta.body, `phone\n${sha('14155552671')}\n`);
    });

    it('documents its routes in the OpenAPI document', () => {
      const paths = Object.keys((app.swagger() as { paths: Record<string, unknown> }).paths).filter((p) => p.startsWith('/api/destinations'));
      assert.deepEqual(paths.sort(), ['/api/destinations', '/api/destinations/{id}', '/api/destinations/{id}/export.csv', '/api/destinations/{id}/status']);
    });

    it('deletes a destination', async () => {
      const deleted = await api('DELETE', '/api/destinations/Given');
      assert.equal(deleted.statusCode, 204);
      assert.equal((await api('GET', '/api/destinations/Given')).statusCode, 404);
    });
  });
}
