import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxRetryDelay, retryDelay } from './backoff.js';

describe('retryDelay', () => {
  const cases: { attempt: number; options: Parameters<typeof retryDelay>[1]; random: number; expected: number }[] = [
    { attempt: 1, options: {}, random: 0.5, expected: 500 },
    { attempt: 2, options: {}, random: 0.5, expected: 2000 },
    { attempt: 3, options: {}, random: 0.5, expected: 8000 },
    { attempt: 7, options: {}, random: 0.5, expected: 1_800_000 },
    { attempt: 50, options: {}, random: 0.5, expected: 1_800_000 },
    { attempt: 1000, options: {}, random: 0.999, expected: 3_596_400 },
    { attempt: 3, options: {}, random: 0, expected: 0 },
    { attempt: 0, options: {}, random: 0.5, expected: 500 },
    { attempt: 3, options: { baseMs: 200, factor: 2 }, random: 0.5, expected: 400 },
    { attempt: 4, options: { baseMs: 200, maxMs: 1000, factor: 2 }, random: 0.5, expected: 500 },
  ];
  for (const c of cases) {
    it(`attempt ${c.attempt}, ${JSON.stringify(c.options)}, draw ${c.random} -> ${c.expected} ms`, () => {
      assert.equal(
        retryDelay(c.attempt, c.options, () => c.random),
        c.expected,
      );
    });
  }

  it('draws below the ceiling, never above', () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    for (let attempt = 1; attempt <= 10; attempt++) {
      for (let i = 0; i < 200; i++) {
        const delay = retryDelay(attempt, {}, random);
        assert.ok(delay >= 0 && delay <= maxRetryDelay(attempt), `${attempt}: ${delay}`);
      }
    }
  });

  it('spans at most 83 minutes over the default 8 attempts', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map((attempt) => maxRetryDelay(attempt));
    assert.deepEqual(waits, [1000, 4000, 16_000, 64_000, 256_000, 1_024_000, 3_600_000]);
    assert.equal(
      waits.reduce((a, b) => a + b),
      4_965_000,
    );
  });
});
