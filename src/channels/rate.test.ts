import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBucket } from './rate.js';

test('a bucket gives one second of tokens at once, then the rate', () => {
  const bucket = createBucket(10, 0);
  assert.equal(bucket.take(0, 50), 10);
  assert.equal(bucket.take(0, 1), 0);
  assert.equal(bucket.waitMs(0), 100);
  assert.equal(bucket.take(250, 50), 2);
  assert.equal(bucket.take(10_000, 50), 10, 'never more than one second of tokens saved up');
});

test('a fractional rate waits for whole tokens', () => {
  const bucket = createBucket(0.5, 0);
  assert.equal(bucket.take(0, 5), 1);
  assert.equal(bucket.waitMs(0), 2000);
  assert.equal(bucket.take(1999, 5), 0);
  assert.equal(bucket.take(2000, 5), 1);
});

test('over a long drain, what is taken never exceeds rate x time + one second', () => {
  const bucket = createBucket(200, 0);
  let taken = 0;
  for (let t = 0; t <= 10_000; t += 7) taken += bucket.take(t, 37);
  assert.ok(taken <= 200 * 10 + 200, `${taken}`);
  assert.ok(taken >= 200 * 10 - 10, `${taken}`);
});

test('no rate: no limit', () => {
  const bucket = createBucket(undefined, 0);
  assert.equal(bucket.take(0, 1_000_000), 1_000_000);
  assert.equal(bucket.waitMs(0), 0);
});
