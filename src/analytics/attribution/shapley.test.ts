import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom, type Random } from '../../random.js';
import type { PathRow } from './paths.js';
import { shapleyModel, subsetSums } from './shapley.js';

const path = (text: string, conversions: number, nulls = 0, value = conversions): PathRow => ({
  channels: text.split('>').map((c) => c.trim()),
  conversions,
  value,
  nulls,
});

/** The game as the model defines it, written out plainly: amount per customer over the paths within the coalition. */
function worth(paths: readonly PathRow[], coalition: ReadonlySet<string>, amount: (p: PathRow) => number): number {
  const within = paths.filter((p) => p.channels.every((c) => coalition.has(c)));
  const customers = within.reduce((s, p) => s + p.conversions + p.nulls, 0);
  return customers > 0 ? within.reduce((s, p) => s + amount(p), 0) / customers : 0;
}

function* orders(items: string[]): Generator<string[]> {
  if (items.length <= 1) yield items;
  else for (const [i, first] of items.entries()) for (const rest of orders(items.filter((_, j) => j !== i))) yield [first, ...rest];
}

/** Shapley values by definition: the marginal contribution of each channel averaged over every order of joining. */
function bruteForce(paths: readonly PathRow[], amount: (p: PathRow) => number): Map<string, number> {
  const channels = [...new Set(paths.flatMap((p) => p.channels))].sort();
  const sums = new Map(channels.map((c) => [c, 0]));
  let count = 0;
  for (const order of orders(channels)) {
    count++;
    const joined = new Set<string>();
    for (const c of order) {
      const before = worth(paths, joined, amount);
      joined.add(c);
      sums.set(c, sums.get(c)! + worth(paths, joined, amount) - before);
    }
  }
  return new Map([...sums].map(([c, s]) => [c, s / count]));
}

function randomTable(random: Random, channels: number, rows: number): PathRow[] {
  const names = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.slice(0, channels).split('');
  const pick = (n: number) => Math.floor(random() * n);
  return Array.from({ length: rows }, () => ({
    channels: Array.from({ length: 1 + pick(5) }, () => names[pick(channels)]!),
    conversions: pick(4),
    nulls: pick(6),
    value: Math.round(random() * 10_000) / 100,
  }));
}

const customersOf = (paths: readonly PathRow[]) => paths.reduce((s, p) => s + p.conversions + p.nulls, 0);
const sumOf = (paths: readonly PathRow[], key: 'conversions' | 'value') => paths.reduce((s, p) => s + p[key], 0);
const creditSum = (credits: Map<string, { conversions: number; value: number }>, key: 'conversions' | 'value') =>
  [...credits.values()].reduce((s, c) => s + c[key], 0);

function assertClose(actual: Map<string, number>, expected: Map<string, number>, tolerance: number, what: string): void {
  assert.deepEqual([...actual.keys()], [...expected.keys()], what);
  for (const [c, v] of expected) assert.ok(Math.abs(actual.get(c)! - v) <= tolerance, `${what}: ${c} ${actual.get(c)} vs ${v}`);
}

describe('Shapley attribution', () => {
  it('sums every subset (zeta transform)', () => {
    const f = Float64Array.from([1, 2, 4, 8]);
    subsetSums(f, 2);
    assert.deepEqual([...f], [1, 3, 5, 15]);
  });

  const HAND: { name: string; paths: PathRow[] }[] = [
    { name: 'one channel', paths: [path('A', 3, 1)] },
    { name: 'two channels, order and repeats aside', paths: [path('A > B > A', 2, 2), path('B', 1, 3), path('A', 0, 4)] },
    { name: 'a channel whose customers convert less', paths: [path('A', 5, 5), path('A > C', 1, 9), path('B > A', 4, 1)] },
    {
      name: 'six channels',
      paths: [path('A > B > C', 3, 2), path('D > E', 1, 4), path('F', 2, 2), path('A > F > D', 1, 0), path('E > B', 0, 5), path('C', 2, 1, 30)],
    },
  ];
  for (const { name, paths } of HAND) {
    it(`is exact against brute force over every order: ${name}`, () => {
      const result = shapleyModel(paths);
      assert.deepEqual(result.method, { method: 'exact' });
      assertClose(
        result.values,
        bruteForce(paths, (p) => p.conversions),
        1e-12,
        'rate',
      );
      const perCustomer = new Map([...result.credits].map(([c, v]) => [c, v.value / customersOf(paths)]));
      assertClose(
        perCustomer,
        bruteForce(paths, (p) => p.value),
        1e-12,
        'value',
      );
    });
  }

  it('is exact against brute force on seeded random tables of 2 to 6 channels', () => {
    const random = seededRandom(11);
    for (let n = 2; n <= 6; n++) {
      for (let round = 0; round < 3; round++) {
        const paths = randomTable(random, n, 5 + Math.floor(random() * 25));
        assertClose(
          shapleyModel(paths).values,
          bruteForce(paths, (p) => p.conversions),
          1e-12,
          `n=${n} round ${round}`,
        );
      }
    }
  });

  it('shares out exactly the total conversions and value (efficiency)', () => {
    const paths = randomTable(seededRandom(3), 9, 400);
    const { credits } = shapleyModel(paths);
    assert.ok(Math.abs(creditSum(credits, 'conversions') - sumOf(paths, 'conversions')) < 1e-9);
    assert.ok(Math.abs(creditSum(credits, 'value') - sumOf(paths, 'value')) < 1e-6);
  });

  it('gives channels that play the same part the same credit (symmetry)', () => {
    const paths = [path('A', 2, 3), path('B', 2, 3), path('A > B', 4, 1), path('B > A', 1, 1), path('C > A', 1, 2), path('B > C', 1, 2)];
    const { values } = shapleyModel(paths);
    assert.ok(Math.abs(values.get('A')! - values.get('B')!) < 1e-15, JSON.stringify([...values]));
  });

  it('gives nothing to a channel that changes no coalition\u2019s worth (a dummy)', () => {
    // Every path converts 1 in 4, with D or without; D alone reached no one. Adding D to a coalition keeps its rate.
    const paths = [path('A', 1, 3), path('B', 2, 6), path('A > B', 1, 3), path('A > D', 1, 3), path('D > B > A', 3, 9), path('D', 0, 0)];
    const result = shapleyModel(paths);
    assert.equal(Math.abs(result.values.get('D')!), 0);
    assert.equal(Math.abs(result.credits.get('D')!.conversions), 0);
  });

  it('reports a negative value for a channel whose customers convert less, and keeps the sums', () => {
    const paths = [path('A', 5, 5), path('A > C', 0, 10)];
    const { credits } = shapleyModel(paths);
    assert.ok(credits.get('C')!.conversions < 0);
    assert.ok(Math.abs(creditSum(credits, 'conversions') - 5) < 1e-12);
  });

  it('samples orders beyond the exact limit, close to the exact values, and says so', () => {
    const paths = randomTable(seededRandom(5), 8, 300);
    const exact = shapleyModel(paths);
    const sampled = shapleyModel(paths, { exactUpTo: 6, permutations: 20_000, seed: 9 });
    assert.deepEqual(sampled.method, { method: 'sampled-permutations', permutations: 20_000, seed: 9 });
    const total = sumOf(paths, 'conversions');
    for (const [c, v] of exact.credits) assert.ok(Math.abs(sampled.credits.get(c)!.conversions - v.conversions) < 0.01 * total, c);
    assert.ok(Math.abs(creditSum(sampled.credits, 'conversions') - total) < 1e-9, 'each order keeps the total');
    assert.deepEqual(
      shapleyModel(paths, { exactUpTo: 6, permutations: 500, seed: 9 }).credits,
      shapleyModel(paths, { exactUpTo: 6, permutations: 500, seed: 9 }).credits,
    );
    // Orders come in blocks of one per channel (8 here): 10 asked for are 16 drawn. An injected source has no seed to report.
    const injected = shapleyModel(paths, { exactUpTo: 6, permutations: 10, random: seededRandom(1) });
    assert.deepEqual(injected.method, { method: 'sampled-permutations', permutations: 16 });
  });

  it('is exact at 20 channels', () => {
    const paths = randomTable(seededRandom(8), 20, 5_000);
    const result = shapleyModel(paths);
    assert.deepEqual(result.method, { method: 'exact' });
    assert.equal(result.credits.size, 20);
    assert.ok(Math.abs(creditSum(result.credits, 'conversions') - sumOf(paths, 'conversions')) < 1e-6);
  });
});
