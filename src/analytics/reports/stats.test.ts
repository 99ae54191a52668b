import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addTo, chiSquareSurvival, compareMeans, compareRates, meanInterval, moments, normalCdf, sampleRatio, wilson } from './stats.js';

const near = (actual: number | undefined, expected: number, digits = 4) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 10 ** -digits, `${actual} is not ${expected}`);

describe('report statistics (values computed by hand)', () => {
  it('Wilson interval: 8 of 10', () => {
    const ci = wilson(8, 10)!;
    near(ci.low, 0.4902);
    near(ci.high, 0.9433);
    assert.equal(wilson(0, 0), null);
    near(wilson(0, 20)!.low, 0);
  });

  it('mean interval: 2 4 4 4 5 5 7 9', () => {
    const m = moments();
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) addTo(m, x);
    const { mean, interval } = meanInterval(m);
    near(mean, 5);
    near(interval!.low, 3.5184);
    near(interval!.high, 6.4816);
  });

  it('the normal distribution and chi-square tails', () => {
    near(normalCdf(1.959963984540054), 0.975, 6);
    near(normalCdf(0), 0.5, 6);
    near(normalCdf(-1), 0.158655, 6);
    near(chiSquareSurvival(3.841458820694124, 1), 0.05, 6);
    near(chiSquareSurvival(5.991464547107979, 2), 0.05, 6);
    near(chiSquareSurvival(10, 4), 0.040428, 6);
    near(chiSquareSurvival(0.5, 3), 0.918891, 6);
  });

  it('two rates: 60/100 against 40/100', () => {
    const c = compareRates({ k: 60, n: 100 }, { k: 40, n: 100 });
    near(c.difference, 0.2);
    near(c.differenceInterval!.low, 0.0642);
    near(c.differenceInterval!.high, 0.3358);
    near(c.pValue!, 0.004678, 5);
    near(c.lift!, 0.5);
    near(c.liftInterval!.low, 0.1241);
    near(c.liftInterval!.high, 1.0016);
  });

  it('two means (Welch)', () => {
    const a = moments();
    const b = moments();
    for (const x of [1, 2, 3, 4]) addTo(a, x);
    for (const x of [2, 4, 6, 8]) addTo(b, x);
    const c = compareMeans(b, a);
    near(c.difference, 2.5);
    // se = sqrt(6.6667/4 + 1.6667/4) = 1.4434
    near(c.interval!.low, 2.5 - 1.959964 * 1.443376);
  });

  it('sample ratio: 5,000 / 5,000 fits 50/50; 5,300 / 4,700 does not', () => {
    near(sampleRatio([5000, 5000], [1, 1])!.pValue, 1);
    const broken = sampleRatio([5300, 4700], [1, 1])!;
    near(broken.chiSquare, 36);
    assert.ok(broken.pValue < 0.001);
    near(sampleRatio([900, 100], [9, 1])!.chiSquare, 0);
  });
});
