/**
 * `touchpoint attribution --paths FILE` works on the file alone (no store,
 * no configuration) and gives the issue's known answer in every format: the
 * paths "A > B > A > B > B > A", "A > B > B > A > A" and "A > A", one
 * conversion each, give Markov A = 2 and B = 1. A table it cannot read is
 * refused naming the line and what to fix.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { cli } from './support/cli.js';

const HEADER = 'path;total_conversions;total_conversion_value;total_null';
const EXAMPLE = '/work/shared/data/PathData.csv';

describe('touchpoint attribution', () => {
  const dir = mkdtempSync(join(tmpdir(), 'touchpoint-attribution-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, ...lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  const issue = file('issue.csv', HEADER, 'A > B > A > B > B > A;1;1;0', 'A > B > B > A > A;1;1;0', 'A > A;1;1;0');
  // No database setting at all: the command must not open a store.
  const env = {};

  it('prints JSON with the known answer, Markov A = 2 and B = 1', async () => {
    const run = await cli(['attribution', '--paths', issue, '--format', 'json'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const out = JSON.parse(run.stdout);
    assert.deepEqual(out.totals, { paths: 3, customers: 3, conversions: 3, value: 3, nulls: 0 });
    const markov = out.models.markov.channels.map((c: { channel: string; conversions: number; value: number; removalEffect: number }) => [
      c.channel,
      Number(c.conversions.toFixed(9)),
      Number(c.value.toFixed(9)),
      Number(c.removalEffect.toFixed(9)),
    ]);
    assert.deepEqual(markov, [
      ['A', 2, 2, 1],
      ['B', 1, 1, 0.5],
    ]);
    assert.deepEqual(out.models.shapley.method, { method: 'exact' });
    assert.equal(out.models.time_decay.halfLife, 2);
  });

  it('prints CSV, one row per model and channel, with the known answer', async () => {
    const run = await cli(['attribution', '--paths', issue, '--format', 'csv', '--half-life', '1'], env);
    assert.equal(run.code, 0, run.stderr);
    const rows: Record<string, string>[] = parse(run.stdout, { columns: true });
    assert.equal(rows.length, 14);
    assert.deepEqual(
      rows.filter((r) => r.model === 'markov'),
      [
        { model: 'markov', channel: 'A', conversions: '2', value: '2', removal_effect: '1' },
        { model: 'markov', channel: 'B', conversions: '1', value: '1', removal_effect: '0.5' },
      ],
    );
    assert.deepEqual(
      rows.filter((r) => r.model === 'first_touch').map((r) => [r.channel, r.conversions, r.removal_effect]),
      [
        ['A', '3', ''],
        ['B', '0', ''],
      ],
    );
  });

  it('prints a table by default: channels down, models across, the removal effects and how Shapley was found', async () => {
    const run = await cli(['attribution', '--paths', issue], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^3 paths: 3 customers, 3 conversions \(value 3\.00\), 0 without conversion$/m);
    assert.match(run.stdout, /^conversions +first_touch +last_touch +linear +position_based +time_decay +markov +shapley$/m);
    assert.match(run.stdout, /^A +3\.00 +3\.00 +2\.10 +2\.72 +2\.21 +2\.00 +2\.00$/m);
    assert.match(run.stdout, /^B +0\.00 +0\.00 +0\.90 +0\.28 +0\.79 +1\.00 +1\.00$/m);
    assert.match(run.stdout, /^ {2}A {2}1\.0000\n {2}B {2}0\.5000$/m);
    assert.match(run.stdout, /^shapley: exact/m);
    assert.match(run.stdout, /holdout groups do/);
  });

  it('refuses a table it cannot read, naming the line and what to fix, with a non-zero exit', async () => {
    const cases: [string, string[], RegExp][] = [
      ['bad-number.csv', [HEADER, 'A;1;1;0', 'A > B;1;x;0'], /line 3: total_conversion_value must be a number of 0 or more, got "x"/],
      ['bad-header.csv', ['path,conversions', 'A;1;1;0'], /line 1: the header must be path;total_conversions;total_conversion_value;total_null/],
      ['bad-fields.csv', [HEADER, 'A > B;1;1'], /line 2: expected 4 fields separated by ";"/],
      ['bad-path.csv', [HEADER, 'A > > B;1;1;0'], /line 2: a path is channels separated by ">", none of them empty/],
    ];
    for (const [name, lines, problem] of cases) {
      const path = file(name, ...lines);
      const run = await cli(['attribution', '--paths', path], env);
      assert.equal(run.code, 1, name);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, new RegExp(`^error TP_INVALID_PATHS: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, `), name);
      assert.match(run.stderr, problem, name);
      assert.match(run.stderr, /ChannelAttribution.s format: the header path;total_conversions;total_conversion_value;total_null/);
    }
    const missing = await cli(['attribution', '--paths', join(dir, 'none.csv')], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /none\.csv could not be read/);
  });

  it('has help that names the options', async () => {
    const run = await cli(['attribution', '--help'], env);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Usage: touchpoint attribution \[options\]/);
    for (const option of ['--paths <file>', '--format <format>', '--half-life <touches>']) assert.ok(run.stdout.includes(option), option);
    assert.match((await cli(['--help'], env)).stdout, /attribution \[options\] +Every attribution model over a path table/);
  });

  it('refuses a half-life that is not above 0 and a format it does not know', async () => {
    const halfLife = await cli(['attribution', '--paths', issue, '--half-life', '0'], env);
    assert.equal(halfLife.code, 1);
    assert.match(halfLife.stderr, /--half-life <touches>' argument '0' is invalid. must be a number above 0/);
    const format = await cli(['attribution', '--paths', issue, '--format', 'xml'], env);
    assert.equal(format.code, 1);
    assert.match(format.stderr, /Allowed choices are table, csv, json/);
  });

  it('reads ChannelAttribution\u2019s example table when it is here', async (t) => {
    if (!existsSync(EXAMPLE)) {
      t.diagnostic(`${EXAMPLE} is not here: its part was not run`);
      return t.skip(`${EXAMPLE} is not here`);
    }
    const run = await cli(['attribution', '--paths', EXAMPLE, '--format', 'json'], env);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.totals.paths, 10_000);
    for (const model of Object.keys(out.models)) {
      const sum = out.models[model].channels.reduce((s: number, c: { conversions: number }) => s + c.conversions, 0);
      assert.ok(Math.abs(sum - out.totals.conversions) < 1e-6, model);
    }
  });
});
