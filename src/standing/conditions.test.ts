import assert from 'node:assert/strict';
import { it } from 'node:test';
import { dependsOnTime, eventConditions, segmentReferences, stageReferences, validateCondition } from './conditions.js';
import type { Condition } from './schema.js';

it('points at the part of a condition that is wrong, naming what is allowed', () => {
  assert.deepEqual(
    validateCondition({
      all: [
        { trait: 'tier', op: 'equals', value: 1 },
        { event: 'X', atLeast: -1 },
        { channel: 'fax', op: 'used' },
      ],
    }),
    [
      '/all/0/op: must be one of eq, neq, in, not_in, contains, exists, not_exists, gt, gte, lt, lte, before, after, within_last_days, more_than_days_ago',
      '/all/1/atLeast: must be a whole number',
      '/all/2/channel: must be one of web, app, email, sms, push, store, call_center, ads, social, search, direct_mail, other',
    ],
  );
  assert.deepEqual(validateCondition({ any: [] }), ['/any: needs at least 1 item']);
  assert.deepEqual(validateCondition({ not: { colour: 'red' } }), [
    '/not: a condition needs one of all, any, not, trait, computedTrait, profile, event, channel, channelCount, stage, consent, household, segment',
  ]);
  assert.deepEqual(validateCondition({ trait: 'age', op: 'gt', value: 'old' }), ['/value: gt needs a number']);
  assert.deepEqual(validateCondition({ trait: 'born', op: 'within_last_days' }), ['/value: within_last_days needs a number of days']);
  assert.deepEqual(validateCondition({ consent: { channel: 'email', is: 'maybe' } }), [
    '/consent/is: must be one of granted, denied, unknown, allowed, not_allowed',
  ]);
  assert.deepEqual(validateCondition({ trait: 'tier', op: 'eq', value: 'gold', colour: 'red' }), ['/colour: is not a field of this condition']);
  assert.deepEqual(validateCondition('x'), ['/: a condition must be an object']);
  assert.deepEqual(validateCondition({ event: ['A', 'B'], where: [{ property: 'sku', op: 'eq', value: 1 }], withinDays: 30 }), []);
});

it('finds event conditions, segment and stage references and time dependence', () => {
  const condition: Condition = {
    all: [{ event: 'A', withinDays: 3 }, { not: { segment: 'VIP' } }, { any: [{ event: 'B' }, { stage: ['loyalty', 'lapsed'] }] }],
  };
  assert.deepEqual(
    eventConditions(condition).map((e) => e.at),
    ['/all/0', '/all/2/any/0'],
  );
  assert.deepEqual(segmentReferences(condition), ['VIP']);
  assert.deepEqual(stageReferences(condition), ['loyalty', 'lapsed']);
  assert.equal(dependsOnTime(condition), true);
  assert.equal(dependsOnTime({ event: 'B' }), false);
});
