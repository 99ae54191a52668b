import assert from 'node:assert/strict';
import { it } from 'node:test';
import { firstTouch, lastTouch, linearTouch, positionBased, timeDecay, type Credits } from './heuristics.js';
import { markovModel, solve } from './markov.js';
import { aggregatePaths, channelsOf, parsePathTable, PathTableError, pathRowsOf, type PathRow } from './paths.js';

const path = (text: string, conversions: number, value = conversions, nulls = 0): PathRow => ({
  channels: text.split('>').map((c) => c.trim()),
  conversions,
  value,
  nulls,
});
const round = (credits: Credits, digits = 9) =>
  Object.fromEntries(
    [...credits].sort(([a], [b]) => a.localeCompare(b)).map(([c, v]) => [c, [Number(v.conversions.toFixed(digits)), Number(v.value.toFixed(digits))]]),
  );

it('Markov: the issue\u2019s known answer, A = 2 and B = 1', () => {
  const paths = [path('A > B > A > B > B > A', 1), path('A > B > B > A > A', 1), path('A > A', 1)];
  const result = markovModel(paths);
  assert.deepEqual(round(result.credits), { A: [2, 2], B: [1, 1] });
  assert.deepEqual(Object.fromEntries([...result.removalEffects].map(([c, v]) => [c, Number(v.toFixed(9))])), { A: 1, B: 0.5 });
  assert.equal(result.conversionProbability, 1);
});

it('Markov: paths that did not convert lower the probability, and removal effects are normalised to the totals', () => {
  // start -> A (2), start -> B (2); A -> conv 1, A -> null 1; B -> A 2 ... by hand:
  // paths: "A" 1 conv 1 null; "B > A" 1 conv 1 null. Counts: start->A 2, start->B 2, B->A 2, A->conv 2, A->null 2.
  // P(A) = 0.5, P(B) = 0.5; P(conv) = 0.5. Without A: 0 (RE 1). Without B: start->B leads to null: 0.5 * 0.5 = 0.25 (RE 0.5).
  const result = markovModel([path('A', 1, 10, 1), path('B > A', 1, 30, 1)]);
  assert.equal(result.conversionProbability, 0.5);
  // Shares 1 : 0.5 of 2 conversions and 40 in value.
  assert.deepEqual(round(result.credits, 6), { A: [1.333333, 26.666667], B: [0.666667, 13.333333] });
});

it('heuristics: first, last, linear with repeats, position-based, time decay', () => {
  const paths = [path('A > B > A > C', 1, 100), path('B', 2, 20)];
  // Every channel of a converting path is listed, with what it got (nothing, for some models).
  assert.deepEqual(round(firstTouch(paths)), { A: [1, 100], B: [2, 20], C: [0, 0] });
  assert.deepEqual(round(lastTouch(paths)), { A: [0, 0], B: [2, 20], C: [1, 100] });
  assert.deepEqual(round(linearTouch(paths)), { A: [0.5, 50], B: [2.25, 45], C: [0.25, 25] });
  assert.deepEqual(round(positionBased(paths)), { A: [0.5, 50], B: [2.1, 30], C: [0.4, 40] });
  // Half-life of one touch: weights 1/8, 1/4, 1/2, 1 over 15/8.
  assert.deepEqual(round(timeDecay([path('A > B > A > C', 15, 15)], 1)), { A: [5, 5], B: [2, 2], C: [8, 8] });
});

it('Markov walks a repeat as no step: A > A > B is A > B', () => {
  const repeated = markovModel([path('A > A > B', 1, 1, 1), path('B > B', 0, 0, 2)]);
  const plain = markovModel([path('A > B', 1, 1, 1), path('B', 0, 0, 2)]);
  assert.deepEqual(repeated, plain);
});

it('solves a linear system exactly', () => {
  assert.deepEqual(
    solve(
      [
        [2, 1],
        [1, 3],
      ],
      [3, 5],
    ).map((x) => Number(x.toFixed(12))),
    [0.8, 1.4],
  );
});

it('reads the path table format and refuses what it is not, naming the line', () => {
  const rows = parsePathTable('path;total_conversions;total_conversion_value;total_null\nsearch > email > store;2;30.5;7\n\n');
  assert.deepEqual(rows, [{ channels: ['search', 'email', 'store'], conversions: 2, value: 30.5, nulls: 7 }]);
  assert.throws(() => parsePathTable('channels;conv\n'), /line 1: the header must be path;total_conversions;total_conversion_value;total_null/);
  assert.throws(() => parsePathTable('path;total_conversions;total_conversion_value;total_null\na > ;1;1;0'), PathTableError);
  assert.throws(() => parsePathTable('path;total_conversions;total_conversion_value;total_null\na;x;1;0'), /line 2: total_conversions must be a number/);
  assert.throws(() => parsePathTable('path;total_conversions;total_conversion_value;total_null\na;1;1;0\nb;1;1'), /^PathTableError: line 3: expected 4 fields/);
  // A spreadsheet's byte order mark is no part of the header.
  assert.equal(parsePathTable('\uFEFFpath;total_conversions;total_conversion_value;total_null\na;1;2;3').length, 1);
  // Quoted fields, as R's write.table writes them.
  assert.deepEqual(parsePathTable('"path";"total_conversions";"total_conversion_value";"total_null"\n"search > email";2;"3";0')[0]!.channels, [
    'search',
    'email',
  ]);
  assert.throws(
    () => parsePathTable('path;total_conversions;total_conversion_value;total_nulla > b;1;1;0'),
    /the table arrived as one line \(send the file with --data-binary, not -d\)/,
  );
});

it('reads path entries (a JSON body) and refuses one that is not a path, naming its index', () => {
  assert.deepEqual(pathRowsOf([{ path: 'search > email', conversions: 1, value: 9.5, nulls: 2 }]), [
    { channels: ['search', 'email'], conversions: 1, value: 9.5, nulls: 2 },
  ]);
  const entry = (text: string) => ({ path: text, conversions: 1, value: 1, nulls: 0 });
  assert.throws(() => pathRowsOf([entry('a'), entry('a >> b')]), /^PathTableError: paths\/1\/path: a path is channels/);
  assert.throws(() => pathRowsOf([{ path: 'a', conversions: -1, value: 1, nulls: 0 }]), /paths\/0\/conversions: conversions must be a number of 0 or more/);
});

it('aggregates customers\u2019 paths: identical paths become one row, order and repeats kept', () => {
  const rows = aggregatePaths([
    { channels: ['a', 'b'], converted: true, value: 10 },
    { channels: ['a', 'b'], converted: false, value: 0 },
    { channels: ['b', 'a'], converted: false, value: 0 },
    { channels: ['a', 'b'], converted: true, value: 5 },
    { channels: ['a', 'a'], converted: true, value: 1 },
  ]);
  assert.deepEqual(rows, [
    { channels: ['a', 'b'], conversions: 2, value: 15, nulls: 1 },
    { channels: ['b', 'a'], conversions: 0, value: 0, nulls: 1 },
    { channels: ['a', 'a'], conversions: 1, value: 1, nulls: 0 },
  ]);
  assert.deepEqual(channelsOf(rows), ['a', 'b']);
});

it('every model shares out exactly the total conversions and value of many paths', () => {
  // A seeded table of 2,000 paths over 8 channels, in the path table format.
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const channels = ['search', 'email', 'store', 'social', 'ads', 'app', 'web', 'sms'];
  const lines = ['path;total_conversions;total_conversion_value;total_null'];
  for (let i = 0; i < 2000; i++) {
    const touches = Array.from({ length: 1 + Math.floor(next() * 6) }, () => channels[Math.floor(next() * channels.length)]);
    lines.push(`${touches.join(' > ')};${Math.floor(next() * 3)};${(next() * 100).toFixed(2)};${Math.floor(next() * 5)}`);
  }
  const paths = parsePathTable(lines.join('\n'));
  const converting = paths.filter((p) => p.conversions > 0);
  const conversions = paths.reduce((s, p) => s + p.conversions, 0);
  const value = converting.reduce((s, p) => s + p.value, 0);
  const heuristics = [firstTouch, lastTouch, linearTouch, positionBased, (p: PathRow[]) => timeDecay(p, 2)].map((model) => model(converting));
  for (const credits of [...heuristics, markovModel(converting.concat(paths.filter((p) => p.conversions === 0).map((p) => ({ ...p, value: 0 })))).credits]) {
    const sum = [...credits.values()].reduce((s, c) => ({ conversions: s.conversions + c.conversions, value: s.value + c.value }), {
      conversions: 0,
      value: 0,
    });
    assert.ok(Math.abs(sum.conversions - conversions) < 1e-6 && Math.abs(sum.value - value) < 1e-6, JSON.stringify({ sum, conversions, value }));
  }
});
