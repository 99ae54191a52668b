import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addEntry, mergeTraitStates, valueAt, type Entry, type TraitState } from './aggregate.js';
import { checkDefinition, contribution, matches, type TraitDefinition } from './definition.js';

const DAY = 86_400_000;
const def = (aggregation: TraitDefinition['aggregation'], extra: Partial<TraitDefinition> = {}): TraitDefinition => ({
  name: 't',
  aggregation,
  eventType: 'track',
  event: 'Order Completed',
  property: 'total',
  where: [],
  ...extra,
});
const entries: Entry[] = [
  [1 * DAY, 1, 10],
  [3 * DAY, 2, 30],
  [2 * DAY, 3, 20],
  [2 * DAY, 4, 20],
];
const fold = (d: TraitDefinition, list: Entry[], now = 10 * DAY) => list.reduce<TraitState>((s, e) => addEntry(d, s, e, now), {});

describe('computed trait aggregations', () => {
  const cases: [TraitDefinition['aggregation'], unknown][] = [
    ['count', 4],
    ['sum', 80],
    ['min', 10],
    ['max', 30],
    ['first', 10],
    ['last', 30],
    ['distinct_count', 3],
    ['most_frequent', '20'],
  ];
  for (const [aggregation, expected] of cases) {
    it(`${aggregation}: same value in any order and when merged`, () => {
      const d = def(aggregation);
      assert.deepEqual(valueAt(d, fold(d, entries), 10 * DAY), expected);
      assert.deepEqual(valueAt(d, fold(d, [...entries].reverse()), 10 * DAY), expected);
      const merged = mergeTraitStates(d, fold(d, entries.slice(0, 2)), fold(d, entries.slice(2)), 10 * DAY);
      assert.deepEqual(valueAt(d, merged, 10 * DAY), expected);
    });
  }

  it('a window drops what falls out of it as time passes, with no new event', () => {
    const d = def('count', { windowDays: 7 });
    const state = fold(d, entries, 3 * DAY);
    assert.equal(valueAt(d, state, 3 * DAY), 4);
    assert.equal(valueAt(d, state, 8.5 * DAY), 3, 'the day-1 order is out on day 8.5');
    assert.equal(valueAt(d, state, 11 * DAY), 0);
  });

  it('matches events by type, name and filters, and reads the property', () => {
    const d = def('sum', {
      where: [
        { property: 'category', op: 'in', value: ['shoes', 'socks'] },
        { property: 'total', op: 'gte', value: 5 },
      ],
    });
    const message = (props: object, event = 'Order Completed') => ({ type: 'track', event, properties: props });
    assert.equal(matches(d, message({ category: 'shoes', total: 9 })), true);
    assert.equal(matches(d, message({ category: 'hats', total: 9 })), false);
    assert.equal(matches(d, message({ category: 'shoes', total: 1 })), false);
    assert.equal(matches(d, message({ category: 'shoes', total: 9 }, 'Order Refunded')), false);
    assert.equal(contribution(d, message({ total: 'n/a' })), undefined, 'a sum ignores what is not a number');
    assert.equal(contribution(def('count'), message({})), 1);
  });

  it('explains what is wrong with a definition', () => {
    assert.deepEqual(checkDefinition(def('count', { property: undefined })), []);
    const problems = checkDefinition({ ...def('sum', { property: undefined, where: [{ property: 'x', op: 'gt', value: 'big' }] }), name: '9lives' });
    assert.equal(problems.length, 3);
    assert.match(problems.join(' '), /name:.*property:.*where\/0\/value/);
  });
});
