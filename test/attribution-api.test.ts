/**
 * POST /api/attribution/paths: a path table as text/csv, text/plain or JSON
 * entries, every model side by side as JSON or CSV; the issue's known answer
 * (Markov A = 2, B = 1); bad tables refused with TP_INVALID_PATHS naming the
 * line or entry; the admin token; the body limit. The route touches no
 * store, so it runs on SQLite only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { PATHS_BODY_LIMIT } from '../src/http/routes/attribution.js';
import { DIALECTS } from './support/dialects.js';
import { admin, startTestServer, type TestServer } from './support/touchpoint.js';

const HEADER = 'path;total_conversions;total_conversion_value;total_null';
const ISSUE = [HEADER, 'A > B > A > B > B > A;1;1;0', 'A > B > B > A > A;1;1;0', 'A > A;1;1;0'].join('\n');
const ISSUE_ENTRIES = ['A > B > A > B > B > A', 'A > B > B > A > A', 'A > A'].map((path) => ({ path, conversions: 1, value: 1, nulls: 0 }));

type Credit = { channel: string; conversions: number; value: number; removalEffect?: number };
const markovOf = (body: { models: { markov: { channels: Credit[] } } }) =>
  body.models.markov.channels.map((c) => [c.channel, Number(c.conversions.toFixed(9)), Number(c.value.toFixed(9)), c.removalEffect]);

describe('attribution API', () => {
  let tp: TestServer;
  before(async () => {
    tp = await startTestServer(DIALECTS[0]!);
  });
  after(() => tp.dispose());

  const post = (payload: string | object, contentType: string, query = '', headers = admin()) =>
    tp.app.inject({ method: 'POST', url: `/api/attribution/paths${query}`, headers: { ...headers, 'content-type': contentType }, payload });

  it('answers the known answer for a table sent as text/csv, as text/plain, and as JSON entries', async () => {
    for (const [payload, type] of [
      [ISSUE, 'text/csv'],
      [ISSUE, 'text/plain; charset=utf-8'],
      [{ paths: ISSUE_ENTRIES }, 'application/json'],
      [{ table: ISSUE }, 'application/json'],
    ] as const) {
      const response = await post(payload, type);
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json();
      assert.deepEqual(markovOf(body), [
        ['A', 2, 2, 1],
        ['B', 1, 1, 0.5],
      ]);
      assert.deepEqual(body.totals, { paths: 3, customers: 3, conversions: 3, value: 3, nulls: 0 });
      assert.deepEqual(body.channels, ['A', 'B']);
      assert.deepEqual(Object.keys(body.models), ['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay', 'markov', 'shapley']);
      assert.deepEqual(body.models.shapley.method, { method: 'exact' });
      assert.equal(body.models.markov.conversionProbability, 1);
      assert.equal(body.models.first_touch.kind, 'rule');
      assert.equal(body.models.first_touch.channels[0].removalEffect, undefined);
    }
  });

  it('takes the half-life from the JSON body or the query, not from both', async () => {
    const inBody = await post({ paths: ISSUE_ENTRIES, halfLife: 1 }, 'application/json');
    assert.equal(inBody.json().models.time_decay.halfLife, 1);
    const inQuery = await post(ISSUE, 'text/csv', '?halfLife=3');
    assert.equal(inQuery.json().models.time_decay.halfLife, 3);
    const both = await post({ paths: ISSUE_ENTRIES, halfLife: 1 }, 'application/json', '?halfLife=3');
    assert.equal(both.statusCode, 400);
    assert.equal(both.json().error.code, 'TP_VALIDATION');
    const zero = await post(ISSUE, 'text/csv', '?halfLife=0');
    assert.equal(zero.statusCode, 400);
    assert.equal(zero.json().error.code, 'TP_VALIDATION');
  });

  it('answers CSV with ?format=csv: one row per model and channel', async () => {
    const response = await post(ISSUE, 'text/csv', '?format=csv');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/csv/);
    const rows: Record<string, string>[] = parse(response.body, { columns: true });
    assert.equal(rows.length, 14);
    assert.deepEqual(
      rows.filter((r) => r.model === 'markov'),
      [
        { model: 'markov', channel: 'A', conversions: '2', value: '2', removal_effect: '1' },
        { model: 'markov', channel: 'B', conversions: '1', value: '1', removal_effect: '0.5' },
      ],
    );
  });

  it('refuses a table it cannot read with TP_INVALID_PATHS, naming the line or the entry', async () => {
    const cases: [string | object, string, RegExp][] = [
      [`${HEADER}\nA;1;1;0\nA > B;1;x;0`, 'text/csv', /^line 3: total_conversion_value must be a number of 0 or more, got "x"/],
      ['path,conversions\nA,1', 'text/plain', /^line 1: the header must be path;total_conversions;total_conversion_value;total_null/],
      [`${HEADER}\nA > B;1;1`, 'text/csv', /^line 2: expected 4 fields separated by ";"/],
      [
        { paths: [ISSUE_ENTRIES[0], { path: 'A > > B', conversions: 1, value: 1, nulls: 0 }] },
        'application/json',
        /^paths\/1\/path: a path is channels separated by ">"/,
      ],
    ];
    for (const [payload, type, problem] of cases) {
      const response = await post(payload, type);
      assert.equal(response.statusCode, 400, response.body);
      const { code, message } = response.json().error;
      assert.equal(code, 'TP_INVALID_PATHS');
      assert.match(message, problem);
    }
  });

  it('refuses JSON that is not path entries, and a body of another type, with the usual codes', async () => {
    const negative = await post({ paths: [{ path: 'A', conversions: -1, value: 1, nulls: 0 }] }, 'application/json');
    assert.equal(negative.statusCode, 400);
    assert.equal(negative.json().error.code, 'TP_VALIDATION');
    const unknown = await post({ paths: ISSUE_ENTRIES, colour: 'red' }, 'application/json');
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.code, 'TP_VALIDATION');
    const form = await post('a=1', 'application/x-www-form-urlencoded');
    assert.equal(form.statusCode, 400);
    assert.deepEqual(form.json().error, { code: 'TP_VALIDATION', message: 'Send the path table as text/csv or text/plain, or as application/json.' });
    for (const neither of [{}, { table: ISSUE, paths: ISSUE_ENTRIES }]) {
      const response = await post(neither, 'application/json');
      assert.equal(response.statusCode, 400);
      assert.match(response.json().error.message, /as "paths" entries: one of them/);
    }
    const empty = await post('', 'text/csv');
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().error.code, 'TP_INVALID_PATHS');
  });

  it('needs the admin token', async () => {
    const response = await post(ISSUE, 'text/csv', '', {});
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().error.code, 'TP_UNAUTHORIZED');
  });

  it('takes tables above the API\u2019s usual 1 MB, up to its own limit', async () => {
    const line = 'search > email > store > web;1;10.5;3\n';
    const big = `${HEADER}\n${line.repeat(Math.floor((2 * 1024 * 1024) / line.length))}`;
    const taken = await post(big, 'text/csv');
    assert.equal(taken.statusCode, 200);
    const tooBig = await post(`${HEADER}\n${line.repeat(Math.ceil(PATHS_BODY_LIMIT / line.length))}`, 'text/csv');
    assert.equal(tooBig.statusCode, 413);
    assert.equal(tooBig.json().error.code, 'TP_BODY_TOO_LARGE');
    assert.match(
      tooBig.json().error.message,
      /larger than 4194304 bytes .* Aggregate identical paths into one row, or run touchpoint attribution --paths FILE/,
    );
  });
});
