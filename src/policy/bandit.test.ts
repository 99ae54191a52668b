import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ArmCounts, type ArmKey, armKey, FALLBACK_PRIOR, PRIOR_STRENGTH, propensityModel, sampleBeta, seededRandom } from './bandit.js';

const arm = (contentId: string, stage: string | null = null, channel = 'email'): ArmKey => ({ contentId, channel, stage });
const countsOf = (entries: [ArmKey, number, number][]): Map<string, ArmCounts> =>
  new Map(entries.map(([key, sent, responded]) => [armKey(key), { sent, responded }]));

describe('seeded random', () => {
  it('repeats for a seed, differs between seeds, stays in [0, 1)', () => {
    const draws = (seed: number) => Array.from({ length: 1000 }, seededRandom(seed));
    assert.deepEqual(draws(42), draws(42));
    assert.notDeepEqual(draws(42), draws(43));
    assert.ok(draws(7).every((x) => x >= 0 && x < 1));
  });
});

describe('sampleBeta', () => {
  const N = 20_000;
  const pairs: [number, number][] = [
    [1, 1],
    [2, 5],
    [0.5, 0.5],
    [0.3, 3],
    [30, 70],
    [1, 9],
  ];
  for (const [a, b] of pairs) {
    it(`matches the mean and variance of Beta(${a}, ${b})`, () => {
      const random = seededRandom(a * 1000 + b);
      const draws = Array.from({ length: N }, () => sampleBeta(a, b, random));
      const mean = draws.reduce((s, x) => s + x, 0) / N;
      const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / (N - 1);
      const expectedMean = a / (a + b);
      const expectedVariance = (a * b) / ((a + b) ** 2 * (a + b + 1));
      assert.ok(draws.every((x) => x >= 0 && x <= 1));
      // About five standard errors of the mean; 8% of the variance.
      assert.ok(Math.abs(mean - expectedMean) < 5 * Math.sqrt(expectedVariance / N), `mean ${mean}, expected ${expectedMean}`);
      assert.ok(Math.abs(variance - expectedVariance) < 0.08 * expectedVariance, `variance ${variance}, expected ${expectedVariance}`);
    });
  }
  it('is deterministic for a seed', () => {
    const draws = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 100 }, () => sampleBeta(2, 3, random));
    };
    assert.deepEqual(draws(5), draws(5));
  });
  it('refuses parameters that are not positive', () => {
    assert.throws(() => sampleBeta(0, 1, seededRandom(1)), RangeError);
    assert.throws(() => sampleBeta(1, Number.NaN, seededRandom(1)), RangeError);
  });
});

describe('propensity model', () => {
  it('keys a null stage apart from the stages "null" and ""', () => {
    assert.equal(new Set([armKey(arm('a', null)), armKey(arm('a', 'null')), armKey(arm('a', ''))]).size, 3);
  });

  const cases: { name: string; counts: [ArmKey, number, number][]; key: ArmKey; expected: { alpha: number; beta: number } }[] = [
    { name: 'no data at all: the fallback prior', counts: [], key: arm('a', 'new'), expected: { ...FALLBACK_PRIOR } },
    {
      name: 'no data for the content on this channel: the fallback prior',
      counts: [
        [arm('a', 'new', 'sms'), 100, 50],
        [arm('b', 'new'), 100, 50],
      ],
      key: arm('a', 'new'),
      expected: { ...FALLBACK_PRIOR },
    },
    {
      name: 'a stage with no sends borrows the rate of the other stages, worth PRIOR_STRENGTH sends',
      // Other stages: Beta(1 + 30, 9 + 60) = Beta(31, 69), scaled to 10 sends.
      counts: [
        [arm('a', 'active'), 60, 20],
        [arm('a', 'lapsed'), 30, 10],
      ],
      key: arm('a', 'new'),
      expected: { alpha: 3.1, beta: 6.9 },
    },
    {
      name: 'its own sends are added to the borrowed prior, not counted in it',
      counts: [
        [arm('a', 'active'), 90, 30],
        [arm('a', 'new'), 4, 3],
      ],
      key: arm('a', 'new'),
      expected: { alpha: 3.1 + 3, beta: 6.9 + 1 },
    },
    {
      name: 'with data at its own stage only: the fallback prior plus its own counts',
      counts: [[arm('a', null), 200, 24]],
      key: arm('a', null),
      expected: { alpha: 1 + 24, beta: 9 + 176 },
    },
    {
      name: 'a few sends elsewhere pull the fallback only a little',
      // Beta(1 + 1, 9 + 0) is worth 11 sends, scaled to 10.
      counts: [[arm('a', 'active'), 1, 1]],
      key: arm('a', 'new'),
      expected: { alpha: (2 * 10) / 11, beta: (9 * 10) / 11 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = propensityModel(countsOf(c.counts)).posterior(c.key);
      assert.ok(Math.abs(p.alpha - c.expected.alpha) < 1e-9 && Math.abs(p.beta - c.expected.beta) < 1e-9, `got Beta(${p.alpha}, ${p.beta})`);
    });
  }

  it('a prior is never worth more than PRIOR_STRENGTH sends', () => {
    const model = propensityModel(countsOf([[arm('a', 'active'), 10_000, 700]]));
    const p = model.posterior(arm('a', 'new'));
    assert.ok(Math.abs(p.alpha + p.beta - PRIOR_STRENGTH) < 1e-9);
    assert.ok(Math.abs(model.mean(arm('a', 'new')) - 701 / 10_010) < 1e-9);
  });

  it('samples from the posterior', () => {
    const model = propensityModel(countsOf([[arm('a'), 1000, 100]]));
    const random = seededRandom(3);
    const draws = Array.from({ length: 2000 }, () => model.sample(arm('a'), random));
    assert.ok(Math.abs(draws.reduce((s, x) => s + x, 0) / draws.length - model.mean(arm('a'))) < 0.005);
  });
});

/** Thompson sampling against Bernoulli responses: the content sent each round. */
function simulate(seed: number, rates: Record<string, number>, rounds: number): string[] {
  const [policy, world] = [seededRandom(seed), seededRandom(seed + 1)];
  const counts = new Map<string, ArmCounts>();
  const chosen: string[] = [];
  for (let round = 0; round < rounds; round++) {
    const model = propensityModel(counts);
    // One draw per content, in a fixed order (the same seed draws the same numbers); the first of equal draws wins.
    const draws = Object.keys(rates).map((contentId) => ({ contentId, draw: model.sample(arm(contentId), policy) }));
    const best = draws.reduce((a, b) => (b.draw > a.draw ? b : a)).contentId;
    const key = armKey(arm(best!));
    const c = counts.get(key) ?? { sent: 0, responded: 0 };
    counts.set(key, { sent: c.sent + 1, responded: c.responded + (world() < rates[best!]! ? 1 : 0) });
    chosen.push(best!);
  }
  return chosen;
}
const shareOf = (contentId: string, chosen: string[]): number => chosen.filter((c) => c === contentId).length / chosen.length;

describe('Thompson sampling', () => {
  it('learns to send the better of two contents', () => {
    const chosen = simulate(2026, { A: 0.05, B: 0.12 }, 3000);
    const share = shareOf('B', chosen.slice(-1000));
    assert.ok(share > 0.8, `B sent in ${share * 100}% of the last 1000 rounds`);
    assert.deepEqual(simulate(2026, { A: 0.05, B: 0.12 }, 3000), chosen);
  });

  it('learns the best of three', () => {
    const chosen = simulate(7, { A: 0.04, B: 0.08, C: 0.15 }, 3000);
    const share = shareOf('C', chosen.slice(-1000));
    assert.ok(share > 0.8, `C sent in ${share * 100}% of the last 1000 rounds`);
    assert.ok(shareOf('A', chosen) < shareOf('B', chosen), 'the worst content is sent least');
    assert.deepEqual(simulate(7, { A: 0.04, B: 0.08, C: 0.15 }, 3000), chosen);
  });
});
