import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Condition } from './schema.js';
import { evaluate, type EvalContext } from './evaluate.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T12:00:00Z');

function context(over: Partial<EvalContext> & { traits?: Record<string, unknown>; counts?: Record<string, [number, number | null]> } = {}): EvalContext {
  const traits = over.traits ?? {
    email: 'ann@example.com',
    tier: 'gold',
    age: 34,
    tags: ['runner', 'vip'],
    signedUpAt: new Date(NOW - 10 * DAY).toISOString(),
  };
  return {
    now: NOW,
    trait: (n) => traits[n],
    computed: (n) => (n === 'ltv' ? { value: 250, changesAt: null } : n === 'orders90' ? { value: 2, changesAt: NOW + 5 * DAY } : undefined),
    builtin: (n) =>
      (({ 'orders.count': 3, 'orders.revenue': 250, eventCount: 12, lastSeen: NOW - DAY, firstSeen: NOW - 400 * DAY }) as Record<string, unknown>)[n],
    events: (at) => {
      const [count, changesAt] = over.counts?.[at] ?? [0, null];
      return { count, changesAt };
    },
    channels: ['web', 'store'],
    consent: (channel) => (channel === 'email' ? { status: 'granted', allowed: true } : { status: 'unknown', allowed: false }),
    household: 'hh_1',
    stage: 'loyalty',
    inSegment: (n) => n === 'VIP',
    ...over,
  };
}

const cases: { description: string; condition: Condition; expect: boolean; changesAt?: number | null; ctx?: Parameters<typeof context>[0] }[] = [
  { description: 'trait eq', condition: { trait: 'tier', op: 'eq', value: 'gold' }, expect: true },
  { description: 'trait eq is exact', condition: { trait: 'tier', op: 'eq', value: 'Gold' }, expect: false },
  { description: 'trait neq on a missing trait', condition: { trait: 'nickname', op: 'neq', value: 'x' }, expect: true },
  { description: 'trait in', condition: { trait: 'tier', op: 'in', value: ['silver', 'gold'] }, expect: true },
  { description: 'trait not_in', condition: { trait: 'tier', op: 'not_in', value: ['silver', 'gold'] }, expect: false },
  { description: 'trait contains, string, any case', condition: { trait: 'email', op: 'contains', value: 'EXAMPLE' }, expect: true },
  { description: 'trait contains, list', condition: { trait: 'tags', op: 'contains', value: 'vip' }, expect: true },
  { description: 'trait exists', condition: { trait: 'email', op: 'exists' }, expect: true },
  { description: 'trait not_exists', condition: { trait: 'phone', op: 'not_exists' }, expect: true },
  { description: 'numeric gte', condition: { trait: 'age', op: 'gte', value: 34 }, expect: true },
  { description: 'numeric lt on a string is false', condition: { trait: 'tier', op: 'lt', value: 5 }, expect: false },
  { description: 'date after', condition: { trait: 'signedUpAt', op: 'after', value: '2026-11-01T00:00:00Z' }, expect: true },
  { description: 'date before', condition: { trait: 'signedUpAt', op: 'before', value: '2026-11-01T00:00:00Z' }, expect: false },
  {
    description: 'within the last 30 days, until day 40',
    condition: { trait: 'signedUpAt', op: 'within_last_days', value: 30 },
    expect: true,
    changesAt: NOW + 20 * DAY,
  },
  { description: 'not within the last 7 days', condition: { trait: 'signedUpAt', op: 'within_last_days', value: 7 }, expect: false, changesAt: null },
  { description: 'more than 7 days ago', condition: { trait: 'signedUpAt', op: 'more_than_days_ago', value: 7 }, expect: true },
  {
    description: 'more than 30 days ago: not yet, from day 30',
    condition: { trait: 'signedUpAt', op: 'more_than_days_ago', value: 30 },
    expect: false,
    changesAt: NOW + 20 * DAY,
  },
  { description: 'computed trait', condition: { computedTrait: 'ltv', op: 'gt', value: 200 }, expect: true },
  {
    description: 'windowed computed trait carries its change time',
    condition: { computedTrait: 'orders90', op: 'gte', value: 2 },
    expect: true,
    changesAt: NOW + 5 * DAY,
  },
  { description: 'built-in orders.count', condition: { profile: 'orders.count', op: 'gte', value: 3 }, expect: true },
  { description: 'performed at least once', condition: { event: 'Order Completed' }, expect: true, ctx: { counts: { '': [1, null] } } },
  { description: 'did not perform', condition: { event: 'Order Completed', atMost: 0 }, expect: false, ctx: { counts: { '': [1, null] } } },
  { description: 'at least 3 times', condition: { event: 'Order Completed', atLeast: 3 }, expect: false, ctx: { counts: { '': [2, null] } } },
  { description: 'between 1 and 2 times', condition: { event: 'Order Completed', atLeast: 1, atMost: 2 }, expect: true, ctx: { counts: { '': [2, null] } } },
  {
    description: 'within a window: true until the entry leaves it',
    condition: { event: 'Order Completed', withinDays: 7 },
    expect: true,
    changesAt: NOW + DAY,
    ctx: { counts: { '': [1, NOW + DAY] } },
  },
  { description: 'used channel', condition: { channel: 'store', op: 'used' }, expect: true },
  { description: 'not used channel', condition: { channel: 'email', op: 'not_used' }, expect: true },
  { description: 'only channel (two used)', condition: { channel: 'store', op: 'only' }, expect: false },
  { description: 'only channel', condition: { channel: 'store', op: 'only' }, expect: true, ctx: { channels: ['store'] } },
  { description: 'number of channels', condition: { channelCount: { op: 'gte', value: 2 } }, expect: true },
  { description: 'stage', condition: { stage: ['purchase', 'loyalty'] }, expect: true },
  { description: 'consent granted', condition: { consent: { channel: 'email', is: 'granted' } }, expect: true },
  { description: 'consent not allowed', condition: { consent: { channel: 'sms', is: 'not_allowed' } }, expect: true },
  { description: 'consent unknown', condition: { consent: { channel: 'sms', purpose: 'marketing', is: 'unknown' } }, expect: true },
  { description: 'in a household', condition: { household: 'any' }, expect: true },
  { description: 'in no household', condition: { household: 'none' }, expect: false },
  { description: 'in a given household', condition: { household: 'hh_1' }, expect: true },
  { description: 'member of a segment', condition: { segment: 'VIP' }, expect: true },
  { description: 'not member of a segment', condition: { segment: 'VIP', member: false }, expect: false },
  {
    description: 'all',
    condition: {
      all: [
        { trait: 'tier', op: 'eq', value: 'gold' },
        { channel: 'web', op: 'used' },
      ],
    },
    expect: true,
  },
  {
    description: 'all with one false',
    condition: {
      all: [
        { trait: 'tier', op: 'eq', value: 'gold' },
        { channel: 'sms', op: 'used' },
      ],
    },
    expect: false,
  },
  {
    description: 'any with one true',
    condition: {
      any: [
        { trait: 'tier', op: 'eq', value: 'silver' },
        { channel: 'web', op: 'used' },
      ],
    },
    expect: true,
  },
  { description: 'not of not', condition: { not: { not: { stage: 'loyalty' } } }, expect: true },
  {
    description: 'not keeps the change time',
    condition: { not: { trait: 'signedUpAt', op: 'within_last_days', value: 30 } },
    expect: false,
    changesAt: NOW + 20 * DAY,
  },
  {
    description: 'nested: the earliest change time of any part',
    condition: {
      any: [
        {
          all: [
            { event: 'Order Completed', withinDays: 7 },
            { trait: 'signedUpAt', op: 'within_last_days', value: 30 },
          ],
        },
        { not: { segment: 'VIP' } },
      ],
    },
    expect: true,
    changesAt: NOW + 2 * DAY,
    ctx: { counts: { '/any/0/all/0': [1, NOW + 2 * DAY] } },
  },
];

describe('segment condition evaluation', () => {
  for (const c of cases) {
    it(c.description, () => {
      const result = evaluate(c.condition, context(c.ctx));
      assert.equal(result.match, c.expect);
      if (c.changesAt !== undefined) assert.equal(result.changesAt, c.changesAt);
    });
  }
});
