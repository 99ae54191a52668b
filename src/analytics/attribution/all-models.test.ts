import assert from 'node:assert/strict';
import { it } from 'node:test';
import { attributeAll, attributionCsv, attributionRows, describeShapleyMethod, MODELS } from './all-models.js';
import { parsePathTable, type PathRow } from './paths.js';

const table = (...lines: string[]) => parsePathTable(['path;total_conversions;total_conversion_value;total_null', ...lines].join('\n'));
const ISSUE = table('A > B > A > B > B > A;1;1;0', 'A > B > B > A > A;1;1;0', 'A > A;1;1;0');

/** Conversions per channel of one model, rounded. */
const conversions = (attribution: ReturnType<typeof attributeAll>, model: (typeof MODELS)[number]) =>
  Object.fromEntries(attribution.models[model].channels.map((c) => [c.channel, Number(c.conversions.toFixed(9))]));

it('runs every model side by side over the issue\u2019s paths', () => {
  const result = attributeAll(ISSUE);
  assert.deepEqual(result.totals, { paths: 3, customers: 3, conversions: 3, value: 3, nulls: 0 });
  assert.deepEqual(result.channels, ['A', 'B']);
  assert.deepEqual(Object.keys(result.models), [...MODELS]);
  assert.deepEqual(conversions(result, 'first_touch'), { A: 3, B: 0 });
  assert.deepEqual(conversions(result, 'last_touch'), { A: 3, B: 0 });
  assert.deepEqual(conversions(result, 'linear'), { A: 2.1, B: 0.9 });
  assert.deepEqual(conversions(result, 'markov'), { A: 2, B: 1 });
  // Each path's conversion in equal parts to its distinct channels: A > B twice, A alone once.
  assert.deepEqual(conversions(result, 'shapley'), { A: 2, B: 1 });
  assert.deepEqual(
    result.models.markov.channels.map((c) => [c.channel, c.removalEffect]),
    [
      ['A', 1],
      ['B', 0.5],
    ],
  );
  assert.equal(result.models.markov.conversionProbability, 1);
  assert.deepEqual(result.models.shapley.method, { method: 'exact' });
  assert.equal(result.models.time_decay.halfLife, 2);
  assert.equal(result.models.first_touch.kind, 'rule');
  assert.equal(result.models.shapley.kind, 'rule');
  assert.equal(result.models.markov.kind, 'data-driven');
  assert.equal(result.models.linear.channels[0]!.removalEffect, undefined, 'only Markov has removal effects');
});

it('lists every channel in every model, with nothing where a model gave it nothing', () => {
  // C is only on a path that did not convert: the rules and Shapley give it nothing; Markov sees it.
  const result = attributeAll(table('A > B;2;20;1', 'C > B;0;0;4', 'B;1;5;1'), { halfLife: 1 });
  assert.deepEqual(result.channels, ['A', 'B', 'C']);
  for (const model of MODELS) {
    assert.deepEqual(
      result.models[model].channels.map((c) => c.channel),
      ['A', 'B', 'C'],
      model,
    );
    const sum = result.models[model].channels.reduce((s, c) => ({ conversions: s.conversions + c.conversions, value: s.value + c.value }), {
      conversions: 0,
      value: 0,
    });
    assert.ok(Math.abs(sum.conversions - 3) < 1e-9 && Math.abs(sum.value - 25) < 1e-9, `${model}: ${JSON.stringify(sum)}`);
  }
  assert.deepEqual(result.models.first_touch.channels[2], { channel: 'C', conversions: 0, value: 0 });
  assert.equal(result.models.shapley.channels[2]!.conversions, 0, 'C\u2019s customers never converted');
  assert.ok(result.models.markov.channels[2]!.conversions > 0, 'Markov credits C for leading to B');
  assert.equal(result.models.time_decay.halfLife, 1);
});

it('answers nothing but totals of zero for no paths', () => {
  const result = attributeAll([]);
  assert.deepEqual(result.totals, { paths: 0, customers: 0, conversions: 0, value: 0, nulls: 0 });
  assert.deepEqual(result.channels, []);
  for (const model of MODELS) assert.deepEqual(result.models[model].channels, []);
});

it('makes one CSV row per model and channel, removal effects on Markov\u2019s only', () => {
  const rows = attributionRows(attributeAll(ISSUE));
  assert.equal(rows.length, MODELS.length * 2);
  assert.deepEqual(
    rows.filter((r) => r[0] === 'markov'),
    [
      ['markov', 'A', 2, 2, 1],
      ['markov', 'B', 1, 1, 0.5],
    ],
  );
  assert.deepEqual(rows[0], ['first_touch', 'A', 3, 3, '']);
  const csv = attributionCsv(attributeAll(table('=cmd > B;1;1;0')));
  assert.equal(csv.split('\n')[0], 'model,channel,conversions,value,removal_effect');
  assert.match(csv, /^first_touch,'=cmd,1,1,$/m);
});

it('says how Shapley values were found: exactly, at any number of channels', () => {
  const many: PathRow[] = Array.from({ length: 30 }, (_, i) => ({ channels: [`c${i}`, `c${(i + 1) % 30}`], conversions: 1, value: 1, nulls: 1 }));
  const { method, channels } = attributeAll(many).models.shapley;
  assert.deepEqual(method, { method: 'exact' });
  assert.match(describeShapleyMethod(method), /^exact: /);
  assert.ok(channels.every((c) => c.conversions === 1));
});
