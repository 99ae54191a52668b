import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom, type Random } from '../../random.js';
import type { PathRow } from './paths.js';
import { shapleyModel } from './shapley.js';

const path = (text: string, conversions: number, nulls = 0, value = conversions): PathRow => ({
  channels: text.split('>').map((c) => c.trim()),
  conversions,
  value,
  nulls,
});

/** The game as the model defines it, written out plainly: the amount of the paths that stay within the coalition. */
function worth(paths: readonly PathRow[], coalition: ReadonlySet<string>, amount: (p: PathRow) => number): number {
  return paths.filter((p) => p.channels.every((c) => coalition.has(c))).reduce((s, p) => s + amount(p), 0);
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

const sumOf = (paths: readonly PathRow[], key: 'conversions' | 'value') => paths.reduce((s, p) => s + p[key], 0);
const creditSum = (credits: Map<string, { conversions: number; value: number }>, key: 'conversions' | 'value') =>
  [...credits.values()].reduce((s, c) => s + c[key], 0);

function assertClose(actual: Map<string, number>, expected: Map<string, number>, tolerance: number, what: string): void {
  assert.deepEqual([...actual.keys()], [...expected.keys()], what);
  for (const [c, v] of expected) assert.ok(Math.abs(actual.get(c)! - v) <= tolerance, `${what}: ${c} ${actual.get(c)} vs ${v}`);
}

describe('Shapley attribution', () => {
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
      const conversions = new Map([...result.credits].map(([c, v]) => [c, v.conversions]));
      assertClose(
        new Map([...conversions].sort(([a], [b]) => a.localeCompare(b))),
        bruteForce(paths, (p) => p.conversions),
        1e-12,
        'conversions',
      );
      const value = new Map([...result.credits].sort(([a], [b]) => a.localeCompare(b)).map(([c, v]) => [c, v.value]));
      assertClose(
        value,
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
        const credits = [...shapleyModel(paths).credits].sort(([a], [b]) => a.localeCompare(b));
        assertClose(
          new Map(credits.map(([c, v]) => [c, v.conversions])),
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

  it('gives nothing to a channel on no converting path (a dummy)', () => {
    const paths = [path('A', 1, 3), path('B', 2, 6), path('A > B', 1, 3), path('D', 0, 9), path('D > D', 0, 2)];
    const result = shapleyModel(paths);
    assert.equal(result.credits.get('D')!.conversions, 0);
  });

  it('credits a channel few customers used with no more than the conversions it took part in', () => {
    // The conversion-rate game would give the rare channel R a third of everything here.
    const paths = [path('A', 100, 900), path('B', 100, 900), path('A > B', 50, 450), path('R', 1, 0)];
    const { credits } = shapleyModel(paths);
    assert.equal(credits.get('R')!.conversions, 1);
    assert.equal(credits.get('A')!.conversions, 125);
  });

  it('is exact at any number of channels: 26 here', () => {
    const paths = randomTable(seededRandom(8), 26, 5_000);
    const result = shapleyModel(paths);
    assert.deepEqual(result.method, { method: 'exact' });
    assert.equal(result.credits.size, 26);
    assert.ok(Math.abs(creditSum(result.credits, 'conversions') - sumOf(paths, 'conversions')) < 1e-6);
  });
});
