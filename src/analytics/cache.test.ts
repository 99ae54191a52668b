import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createAnswerCache, decide } from './cache.js';

const SETTINGS = { maxAgeMs: 300_000, refreshAfterMs: 60_000, maxEntries: 3 };

it('decides: compute with nothing kept, when asked fresh, or when too old; serve while young, events or not; serve and refresh after a minute', () => {
  const kept = { computedAt: 1_000_000, position: 50 };
  const at = (age: number, position = 50, fresh = false) => ({ now: kept.computedAt + age, position, fresh });
  assert.equal(decide(undefined, at(0), SETTINGS), 'compute');
  assert.equal(decide(kept, at(0, 50, true), SETTINGS), 'compute');
  assert.equal(decide(kept, at(300_000), SETTINGS), 'compute');
  assert.equal(decide(kept, at(59_999), SETTINGS), 'serve');
  assert.equal(decide(kept, at(10, 51), SETTINGS), 'serve');
  assert.equal(decide(kept, at(60_000), SETTINGS), 'serve-and-refresh');
  assert.equal(decide(kept, at(0), { ...SETTINGS, maxAgeMs: 0 }), 'compute');
});

function harness() {
  let now = 1_000_000;
  let position = 10;
  let computed = 0;
  const cache = createAnswerCache<string>({ now: () => now, position: async () => position }, SETTINGS);
  const work = async () => `answer ${++computed} at ${position}`;
  return {
    cache,
    work,
    computed: () => computed,
    later: (ms: number, events = 0) => {
      now += ms;
      position += events;
    },
  };
}

it('serves a kept answer saying when it was computed and how many events came in since, and recomputes it behind after a minute', async () => {
  const h = harness();
  const first = await h.cache.get('k', h.work);
  assert.deepEqual(first, { value: 'answer 1 at 10', freshness: { computedAt: new Date(1_000_000).toISOString(), eventsSince: 0, cached: false } });
  h.later(5_000);
  assert.deepEqual((await h.cache.get('k', h.work)).freshness, { computedAt: new Date(1_000_000).toISOString(), eventsSince: 0, cached: true });
  assert.equal(h.computed(), 1);
  h.later(5_000, 7);
  const behind = await h.cache.get('k', h.work);
  assert.equal(behind.value, 'answer 1 at 10');
  assert.equal(behind.freshness.eventsSince, 7);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(h.computed(), 1, 'events alone do not recompute it');
  h.later(50_000);
  const outdated = await h.cache.get('k', h.work);
  assert.equal(outdated.value, 'answer 1 at 10');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(h.computed(), 2, 'a minute old: a new answer was computed in the background');
  const next = await h.cache.get('k', h.work);
  assert.equal(next.value, 'answer 2 at 17');
  assert.equal(next.freshness.eventsSince, 0);
});

it('computes when asked fresh or when the kept answer is too old, and keeps answers per key, the least recently used going first', async () => {
  const h = harness();
  await h.cache.get('k', h.work);
  assert.equal((await h.cache.get('k', h.work, { fresh: true })).value, 'answer 2 at 10');
  h.later(300_000);
  assert.deepEqual(await h.cache.get('k', h.work), {
    value: 'answer 3 at 10',
    freshness: { computedAt: new Date(1_300_000).toISOString(), eventsSince: 0, cached: false },
  });
  for (const key of ['a', 'b', 'c']) await h.cache.get(key, h.work);
  assert.equal(h.computed(), 6);
  await h.cache.get('k', h.work);
  assert.equal(h.computed(), 7, 'k went first when a, b and c came in');
});

it('joins a computation under way instead of starting another', async () => {
  const h = harness();
  let release = () => {};
  const slow = () => new Promise<string>((resolve) => (release = () => resolve('slow')));
  const one = h.cache.get('k', slow);
  const two = h.cache.get('k', h.work);
  await new Promise((resolve) => setImmediate(resolve));
  release();
  const [a, b] = await Promise.all([one, two]);
  assert.equal(a.value, 'slow');
  assert.equal(b.value, 'slow');
  assert.equal(b.freshness.cached, true);
  assert.equal(h.computed(), 0);
});
