import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createGroupCommit } from './group-commit.js';
import { partitionOf } from './partition.js';

it('shares one write between submits of the same turn and gives each its own results', async () => {
  const writes: number[][] = [];
  const group = createGroupCommit<number, string>(
    async (items) => {
      writes.push(items);
      return items.map((i) => `r${i}`);
    },
    { maxItems: 100 },
  );
  const [a, b, c] = await Promise.all([group.submit([1, 2]), group.submit([3]), group.submit([4, 5, 6])]);
  assert.deepEqual(writes, [[1, 2, 3, 4, 5, 6]]);
  assert.deepEqual([a, b, c], [['r1', 'r2'], ['r3'], ['r4', 'r5', 'r6']]);
});

it('splits groups at maxItems without splitting a submit', async () => {
  const writes: number[][] = [];
  const group = createGroupCommit<number, number>(
    async (items) => {
      writes.push(items);
      return items;
    },
    { maxItems: 3 },
  );
  await Promise.all([group.submit([1, 2]), group.submit([3, 4]), group.submit([5])]);
  assert.deepEqual(writes, [
    [1, 2],
    [3, 4, 5],
  ]);
});

it('rejects every submit of a failed write, and goes on after it', async () => {
  let fail = true;
  const group = createGroupCommit<number, number>(
    async (items) => {
      if (fail) throw new Error('disk full');
      return items;
    },
    { maxItems: 10 },
  );
  const results = await Promise.allSettled([group.submit([1]), group.submit([2])]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['rejected', 'rejected'],
  );
  fail = false;
  assert.deepEqual(await group.submit([3]), [3]);
  await group.drain();
});

it('partitions by a stable hash', () => {
  assert.equal(partitionOf('user-1', 16), partitionOf('user-1', 16));
  const seen = new Set(Array.from({ length: 200 }, (_, i) => partitionOf(`user-${i}`, 16)));
  assert.equal(seen.size, 16);
});
