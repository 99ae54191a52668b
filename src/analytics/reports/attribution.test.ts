import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parsePathTable } from '../attribution/paths.js';
import { foldRare } from './attribution.js';

it('past the 100 most used campaigns, the rest are credited together', () => {
  const rows = Array.from({ length: 130 }, (_, i) => ({ channels: ['web', `c${i}`], conversions: i, value: i, nulls: 1 }));
  const { rows: folded, folded: count } = foldRare(rows);
  assert.equal(count, 31);
  const labels = new Set(folded.flatMap((r) => r.channels));
  assert.equal(labels.size, 101);
  assert.ok(labels.has('(other)') && labels.has('c129') && !labels.has('c0'));
  assert.equal(
    folded.reduce((s, r) => s + r.conversions, 0),
    rows.reduce((s, r) => s + r.conversions, 0),
  );
});

it('a path table of more than 200 channels is refused', () => {
  const lines = Array.from({ length: 201 }, (_, i) => `c${i};1;1;0`);
  assert.throws(
    () => parsePathTable(['path;total_conversions;total_conversion_value;total_null', ...lines].join('\n')),
    /201 distinct channels; the models take at most 200/,
  );
});
