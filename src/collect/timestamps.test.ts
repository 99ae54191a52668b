import assert from 'node:assert/strict';
import { it } from 'node:test';
import { correctSkew, parseIsoTimestamp } from './timestamps.js';

it('parses ISO 8601 and nothing else', () => {
  assert.equal(parseIsoTimestamp('2026-11-23T10:15:00Z'), Date.parse('2026-11-23T10:15:00Z'));
  assert.equal(parseIsoTimestamp('2026-11-23T10:15:00.123+02:00'), Date.parse('2026-11-23T08:15:00.123Z'));
  assert.equal(parseIsoTimestamp('2026-11-23'), Date.parse('2026-11-23'));
  for (const bad of ['', 'Mon, 23 Nov 2026', '1700000000', 1700000000, null, '2026-02-30T00:00:00Z x']) {
    assert.equal(parseIsoTimestamp(bad), undefined, String(bad));
  }
});

it('corrects skew only when sentAt is known', () => {
  assert.deepEqual(correctSkew(undefined, undefined, 1000), { timestamp: 1000, sentAt: undefined, receivedAt: 1000 });
  assert.deepEqual(correctSkew(500, undefined, 1000), { timestamp: 500, originalTimestamp: 500, receivedAt: 1000 });
  assert.equal(correctSkew(9_000, 10_000, 1000).timestamp, 0);
});
