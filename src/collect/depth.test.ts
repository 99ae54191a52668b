import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MAX_DEPTH, nestsDeeperThan, tooDeepField } from './depth.js';

/** `levels` objects (or arrays) inside each other around 1. */
function nested(levels: number, array = false): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = array ? [value] : { a: value };
  return value;
}

it('counts objects and arrays as levels, scalars as none', () => {
  const cases: [unknown, number, boolean][] = [
    [1, 0, false],
    ['text', 0, false],
    [null, 0, false],
    [{}, 0, true],
    [{}, 1, false],
    [nested(3), 3, false],
    [nested(3), 2, true],
    [nested(3, true), 2, true],
    [{ a: 1, b: [1, { c: 2 }] }, 3, false],
    [{ a: 1, b: [1, { c: 2 }] }, 2, true],
  ];
  for (const [value, levels, expected] of cases) assert.equal(nestsDeeperThan(value, levels), expected, `${JSON.stringify(value)} deeper than ${levels}`);
});

it('names the first field too deep, counting the message as level 1, and walks 100,000 levels without overflowing', () => {
  assert.equal(tooDeepField({ type: 'track', properties: nested(MAX_DEPTH - 1) }), undefined);
  assert.equal(tooDeepField({ type: 'track', traits: {}, properties: nested(MAX_DEPTH) }), 'properties');
  assert.equal(tooDeepField({ context: nested(100_000, true) }), 'context');
});
