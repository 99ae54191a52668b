import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAmount } from './amount.js';

/** [text, decimal point (the default), with --decimal-comma]: a number, or the problem the message must name. */
const CASES: [string, number | RegExp, number | RegExp][] = [
  ['12', 12, 12],
  ['-7', -7, -7],
  ['12.50', 12.5, /written with a decimal point.*"\." only separates thousands/],
  ['12,50', /written with a decimal comma.*--decimal-comma/, 12.5],
  ['1,234.50', 1234.5, /written with a decimal point/],
  ['1.234,50', /written with a decimal comma.*--decimal-comma/, 1234.5],
  ['1,234', /reads as a thousand-something.*--decimal-comma/, 1.234],
  ['1.234', 1.234, 1234],
  ['-1,234', /--decimal-comma/, -1.234],
  ['1,234,567', 1234567, /written with a decimal point/],
  ['1.234.567', /written with a decimal comma/, 1234567],
  ['1,234,567.89', 1234567.89, /written with a decimal point/],
  ['1.234.567,89', /written with a decimal comma/, 1234567.89],
  ['1 234,50', /written with a decimal comma/, 1234.5],
  ['1 234.50', 1234.5, /written with a decimal point/],
  ['12,5,0', /not an amount/, /not an amount/],
  ['1,2345', /written with a decimal comma/, 1.2345],
  ['abc', /not an amount/, /not an amount/],
  ['12 EUR', /not an amount/, /not an amount/],
  ['', /not an amount/, /not an amount/],
];

for (const [mode, column] of [
  ['decimal point', 1],
  ['--decimal-comma', 2],
] as const) {
  describe(`parseAmount with a ${mode}`, () => {
    for (const c of CASES) {
      const expected = c[column];
      it(`${JSON.stringify(c[0])} -> ${expected}`, () => {
        const result = parseAmount(c[0], { decimalComma: column === 2 });
        if (typeof expected === 'number') assert.deepEqual(result, { ok: true, value: expected });
        else {
          assert.equal(result.ok, false);
          if (!result.ok) {
            assert.equal(result.code, 'TP_INVALID_EVENT');
            assert.match(result.message, expected);
          }
        }
      });
    }
  });
}
