/** The reports through their two doors: GET /api/reports/<name> (JSON, CSV, refusals by name) and `touchpoint report`. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cli } from './support/cli.js';
import { DIALECTS } from './support/dialects.js';
import { admin, basic, startTestServer, type TestServer } from './support/touchpoint.js';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const ago = (hours: number) => new Date(NOW - hours * 3_600_000).toISOString();

for (const dialect of DIALECTS) {
  describe(`reports API and CLI on ${dialect.name}`, () => {
    let server: TestServer;
    let webKey: string;
    const get = (url: string) => server.app.inject({ method: 'GET', url, headers: admin() });

    before(async () => {
      server = await startTestServer(dialect);
      const web = await server.createSource('Web shop', 'web');
      webKey = web.writeKey;
      const store = await server.createSource('Stores', 'store');
      const track = (userId: string, event: string, hours: number, properties: Record<string, unknown> = {}) => ({
        type: 'track',
        userId,
        event,
        timestamp: ago(hours),
        properties,
      });
      const batch = async (key: string, messages: unknown[]) => {
        const r = await server.app.inject({ method: 'POST', url: '/v1/batch', headers: basic(key), payload: { batch: messages } });
        assert.equal(r.statusCode, 200, r.body);
      };
      await batch(web.writeKey, [
        track('ann', 'Product Viewed', 50, { product_id: 'shoe-1', category: 'Shoes' }),
        track('ann', 'Added to Cart', 49, { product_id: 'shoe-1', category: 'Shoes' }),
        track('bob', 'Product Viewed', 40, { product_id: 'watch-1', category: 'Watches' }),
        track('cy', 'Product Viewed', 30, { product_id: 'shoe-2', category: 'Shoes' }),
        track('cy', 'Added to Cart', 29, { product_id: 'shoe-2', category: 'Shoes' }),
      ]);
      await batch(store.writeKey, [
        // Two categories in one order: one order wherever categories are summed.
        track('ann', 'Order Completed', 24, {
          revenue: 120,
          products: [
            { product_id: 'shoe-1', category: 'Shoes', price: 100, quantity: 1 },
            { product_id: 'sock-1', category: 'Socks', price: 20, quantity: 1 },
          ],
        }),
      ]);
      await server.touchpoint.pipeline.drain();
    });
    after(() => server.dispose());

    it('lists the reports with their parameters', async () => {
      const r = await get('/api/reports');
      assert.equal(r.statusCode, 200);
      const names = r.json().reports.map((x: { name: string }) => x.name);
      for (const name of ['funnel', 'attribution', 'cross-channel', 'ropo', 'cube']) assert.ok(names.includes(name), name);
      const funnel = r.json().reports.find((x: { name: string }) => x.name === 'funnel');
      assert.ok(funnel.parameters.some((p: { name: string; required?: boolean }) => p.name === 'steps' && p.required));
    });

    it('a funnel across the web shop and the store, as JSON and as CSV', async () => {
      const steps = encodeURIComponent('Product Viewed > Added to Cart > Order Completed');
      const r = await get(`/api/reports/funnel?steps=${steps}&window=7d&by=channel`);
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(
        r.json().tables[0].rows.map((row: { customers: number }) => row.customers),
        [3, 2, 1],
        'ann viewed and carted on the web and bought in the store: one customer converts',
      );
      assert.equal(r.json().tables[0].rows[1].median_seconds_from_previous, 3600);
      const csv = await get(`/api/reports/funnel?steps=${steps}&format=csv&table=breakdown&by=channel`);
      assert.equal(csv.statusCode, 200);
      assert.match(csv.headers['content-type'] as string, /text\/csv/);
      assert.match(csv.body, /^group,step_1,step_2,step_3,conversion,conversion_low,conversion_high\nweb,3,2,1,0\.333333,0\.061492,0\.79234\n$/);
    });

    it('ROPO: the store order was researched online', async () => {
      const r = await get('/api/reports/ropo');
      const all = r.json().tables[0].rows.find((row: { category: string }) => row.category === '(all)');
      assert.deepEqual([all.store_orders, all.researched_same_product, all.researched_same_category], [1, 1, 1]);
    });

    it('refuses bad parameters by name and unknown reports with the list', async () => {
      const cases: [string, RegExp][] = [
        ['/api/reports/funnel', /^steps: is required/],
        ['/api/reports/funnel?steps=A%20%3E%20B&window=soon', /^window: give a positive duration/],
        ['/api/reports/funnel?steps=A%20%3E%20B&by=planet', /^by: choose one of none, channel, segment, stage, source, campaign/],
        ['/api/reports/funnel?steps=A[revenue]%20%3E%20B', /^steps: "\[revenue\]" is not a filter/],
        ['/api/reports/cube?colour=red', /^colour: this report takes no such parameter/],
        ['/api/reports/cube?from=yesterday', /^from: give an ISO 8601 date/],
        ['/api/reports/cube?format=xml', /^format: choose json or csv/],
        ['/api/reports/cube?format=csv&table=nope', /^table: this report's tables are cells/],
        ['/api/reports/cross-channel?combinations=0', /^combinations: must be at least 1/],
        ['/api/reports/funnel?steps=A%20%3E%20B&by=segment&segments=Nope', /^segments: no segment is named "Nope"/],
        ['/api/reports/funnel?steps=A%20%3E%20B&steps=C%20%3E%20D', /^steps: give it once \(it was given 2 times\)/],
        ['/api/reports/funnel?steps=A%20%3E%20B[revenue%3E%3Dabc]', /^steps: "\[revenue>=abc\]": >= compares numbers/],
        ['/api/reports/funnel?steps=A%20%3E%20B[revenue%3D%3E100]', /^steps: "\[revenue=>100\]": "=>" is not an operator/],
        ['/api/reports/funnel?steps=A%20%3E%20B&segments=Nope', /^segments: only with by=segment/],
        ['/api/reports/cube?from=2026-02-30', /^from: that day is not in the calendar/],
        ['/api/reports/cube?fresh=yes', /^fresh: choose true or false \(got "yes"\)/],
        ['/api/reports/cube?fresh=true&fresh=false', /^fresh: give it once \(it was given 2 times\)/],
      ];
      for (const [url, message] of cases) {
        const r = await get(url);
        assert.equal(r.statusCode, 400, url);
        assert.equal(r.json().error.code, 'TP_INVALID_PARAMETER', url);
        assert.match(r.json().error.message, message, url);
      }
      const unknown = await get('/api/reports/revenue');
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().error.code, 'TP_REPORT_NOT_FOUND');
      assert.match(unknown.json().error.message, /the reports are funnel, lifecycle-flow, attribution, cross-channel, ropo, cube, experiments/);
      const anonymous = await server.app.inject({ method: 'GET', url: '/api/reports/cube' });
      assert.equal(anonymous.statusCode, 401);
    });

    it('keeps an answer a while, saying when it was computed and how many events came in since; fresh=true computes anew', async () => {
      const url = '/api/reports/cross-channel?retention=60d';
      const orders = (r: { json(): { tables: { name: string; rows: { customers: number }[] }[] } }) =>
        r.json().tables[0]!.rows.reduce((sum, row) => sum + row.customers, 0);
      const first = await get(url);
      assert.equal(first.statusCode, 200);
      assert.deepEqual(first.json().freshness, { computedAt: new Date(server.clock.now()).toISOString(), eventsSince: 0, cached: false });
      const customers = orders(first);

      server.clock.advance(10_000);
      const r = await server.app.inject({
        method: 'POST',
        url: '/v1/track',
        headers: basic(webKey),
        payload: { userId: 'dee', event: 'Order Completed', timestamp: ago(2), properties: { revenue: 30 } },
      });
      assert.equal(r.statusCode, 200);
      await server.touchpoint.pipeline.drain();

      const kept = await get(url);
      assert.equal(orders(kept), customers, 'the kept answer, served at once');
      assert.equal(kept.json().freshness.computedAt, first.json().freshness.computedAt);
      assert.equal(kept.json().freshness.cached, true);
      assert.ok(kept.json().freshness.eventsSince >= 1, 'it says events came in since');

      const fresh = await get(`${url}&fresh=true`);
      assert.equal(fresh.json().freshness.cached, false);
      assert.equal(fresh.json().freshness.eventsSince, 0);
      assert.equal(orders(fresh), customers + 1, 'the new customer is counted');
      assert.equal(fresh.json().freshness.computedAt, new Date(server.clock.now()).toISOString());

      // Past the time an answer is kept, the next request computes and waits.
      server.clock.advance(301_000);
      const later = await get(url);
      assert.equal(later.json().freshness.cached, false);
      assert.equal(orders(later), customers + 1);
    });

    it('touchpoint report prints a table, CSV or JSON, and names a bad parameter', async () => {
      const env = { TOUCHPOINT_DATABASE_URL: server.config.databaseUrl };
      const period = [`from=${ago(24 * 30)}`, `to=${ago(0)}`];
      const table = await cli(['report', 'cube', 'dimensions=channel', ...period], env);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^cells\n\nchannel\s+customers\s+purchasers\s+orders\s+revenue/);
      assert.match(table.stdout, /store\s+1\s+1\s+1\s+120\s+1\s+/);
      const csv = await cli(['report', 'cube', 'dimensions=channel', ...period, '--format', 'csv'], env);
      assert.match(csv.stdout, /^channel,customers,purchasers,orders,revenue,conversion_rate,conversion_low,conversion_high\nstore,1,1,1,120,1,/);
      const json = await cli(['report', 'funnel', 'steps=Product Viewed > Order Completed', ...period, '--format', 'json'], env);
      assert.equal(JSON.parse(json.stdout).tables[0].rows[1].customers, 1);
      const bad = await cli(['report', 'funnel', 'steps=Product Viewed > Order Completed', 'window=forever'], env);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /window: give a positive duration/);
      assert.match(bad.stderr, /steps \(required\):/, 'the parameters are listed');
      const word = await cli(['report', 'cube', 'channel'], env);
      assert.match(word.stderr, /"channel" is not a parameter: write name=value/);
      const unknown = await cli(['report', 'sales'], env);
      assert.match(unknown.stderr, /No report named "sales"; the reports are/);
    });
  });
}
