import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bestHour, bestTimeWithin, localHourCounts, utcToLocalCounts } from './best-hour.js';

/** A 24-hour histogram from { hour: count }. */
const hours = (counts: Record<number, number>): number[] => Array.from({ length: 24 }, (_, h) => counts[h] ?? 0);
const at = (iso: string) => Date.parse(iso);

describe('localHourCounts', () => {
  const cases: { name: string; zone: string; times: string[]; expected: Record<number, number> }[] = [
    { name: 'no events', zone: 'UTC', times: [], expected: {} },
    {
      name: 'Auckland is 12 hours ahead in June: events fall on the next local day',
      zone: 'Pacific/Auckland',
      times: ['2026-06-10T20:15:00Z', '2026-06-10T11:59:00Z', '2026-06-10T12:00:00Z'],
      expected: { 8: 1, 23: 1, 0: 1 },
    },
    {
      name: 'Los Angeles is 7 hours behind in June',
      zone: 'America/Los_Angeles',
      times: ['2026-06-10T20:15:00Z', '2026-06-11T02:30:00Z', '2026-06-11T02:59:00Z'],
      expected: { 13: 1, 19: 2 },
    },
    {
      name: 'Paris, clocks go forward: no event can fall at 02:00',
      zone: 'Europe/Paris',
      times: ['2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z'],
      expected: { 1: 1, 3: 1 },
    },
    {
      name: 'Paris, clocks go back: 02:00 happens twice and counts twice',
      zone: 'Europe/Paris',
      times: ['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', '2026-10-25T02:30:00Z'],
      expected: { 2: 2, 3: 1 },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(localHourCounts(c.times.map(at), c.zone), hours(c.expected)));
});

describe('bestHour', () => {
  const cases: {
    name: string;
    own?: Record<number, number>;
    brand?: Record<number, number>;
    minEvidence?: number;
    expected: { hour: number; source: 'customer' | 'brand' } | undefined;
  }[] = [
    { name: 'no history at all: none', expected: undefined },
    { name: 'the customer\u2019s busiest hour', own: { 8: 1, 19: 3 }, brand: { 12: 50 }, expected: { hour: 19, source: 'customer' } },
    { name: 'too little of the customer\u2019s own: the brand\u2019s', own: { 19: 2 }, brand: { 12: 50 }, expected: { hour: 12, source: 'brand' } },
    { name: 'no customer histogram: the brand\u2019s', brand: { 10: 3 }, expected: { hour: 10, source: 'brand' } },
    { name: 'too little of either: none', own: { 19: 2 }, brand: { 12: 2 }, expected: undefined },
    { name: 'empty histograms: none, even with no evidence asked for', own: {}, brand: {}, minEvidence: 0, expected: undefined },
    { name: 'a lower bar for evidence', own: { 7: 1 }, brand: { 12: 50 }, minEvidence: 1, expected: { hour: 7, source: 'customer' } },
    { name: 'a lone peak stays on its hour', own: { 19: 3 }, expected: { hour: 19, source: 'customer' } },
    {
      name: 'neighbouring hours count together, and the habit\u2019s first hour is chosen',
      own: { 9: 3, 19: 2, 20: 2 },
      expected: { hour: 19, source: 'customer' },
    },
    { name: 'within a window, the busier hour', own: { 19: 4, 20: 5, 21: 4 }, expected: { hour: 20, source: 'customer' } },
    { name: 'the window wraps at midnight', own: { 23: 3, 0: 1, 12: 3 }, expected: { hour: 23, source: 'customer' } },
    { name: 'a tie goes to the earliest hour', brand: { 6: 2, 18: 2 }, expected: { hour: 6, source: 'brand' } },
    { name: 'a tie across midnight goes to 00:00', own: { 23: 2, 0: 2 }, expected: { hour: 0, source: 'customer' } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(bestHour(c.own && hours(c.own), c.brand && hours(c.brand), c.minEvidence), c.expected));

  it('refuses a histogram that is not 24 hours', () => assert.throws(() => bestHour([1, 2, 3], undefined), RangeError));
});

describe('bestTimeWithin', () => {
  const cases: { name: string; now: string; hour: number; zone: string; maxDelayHours: number; expected: string | 'now' | undefined }[] = [
    { name: 'already that hour: now', now: '2026-06-10T12:30:00Z', hour: 12, zone: 'UTC', maxDelayHours: 0, expected: 'now' },
    { name: 'later today, within the delay', now: '2026-06-10T12:30:00Z', hour: 14, zone: 'UTC', maxDelayHours: 2, expected: '2026-06-10T14:00:00Z' },
    { name: 'exactly the delay away', now: '2026-06-10T12:00:00Z', hour: 14, zone: 'UTC', maxDelayHours: 2, expected: '2026-06-10T14:00:00Z' },
    { name: 'too far: send now', now: '2026-06-10T12:30:00Z', hour: 15, zone: 'UTC', maxDelayHours: 2, expected: undefined },
    { name: 'an hour gone today is tomorrow\u2019s', now: '2026-06-10T22:00:00Z', hour: 7, zone: 'UTC', maxDelayHours: 10, expected: '2026-06-11T07:00:00Z' },
    {
      // 23:00 CET to 09:00 CEST is 10 hours on the clock, 9 elapsed.
      name: 'Paris, clocks go forward: the delay is elapsed time',
      now: '2026-03-28T22:00:00Z',
      hour: 9,
      zone: 'Europe/Paris',
      maxDelayHours: 9,
      expected: '2026-03-29T07:00:00Z',
    },
    { name: 'Paris, clocks go forward: one hour short', now: '2026-03-28T22:00:00Z', hour: 9, zone: 'Europe/Paris', maxDelayHours: 8, expected: undefined },
    {
      name: 'Paris, clocks go forward: 02:00 does not exist, the gap\u2019s end (03:00 CEST) stands for it',
      now: '2026-03-29T00:30:00Z',
      hour: 2,
      zone: 'Europe/Paris',
      maxDelayHours: 1,
      expected: '2026-03-29T01:00:00Z',
    },
    {
      // 00:00 CEST to 08:00 CET is 8 hours on the clock, 9 elapsed.
      name: 'Paris, clocks go back: the delay is elapsed time',
      now: '2026-10-24T22:00:00Z',
      hour: 8,
      zone: 'Europe/Paris',
      maxDelayHours: 8,
      expected: undefined,
    },
    {
      name: 'Paris, clocks go back: nine hours',
      now: '2026-10-24T22:00:00Z',
      hour: 8,
      zone: 'Europe/Paris',
      maxDelayHours: 9,
      expected: '2026-10-25T07:00:00Z',
    },
    {
      name: 'Paris, the first 02:00 of the night clocks go back',
      now: '2026-10-25T00:30:00Z',
      hour: 2,
      zone: 'Europe/Paris',
      maxDelayHours: 0,
      expected: 'now',
    },
    { name: 'Paris, the second 02:00 of that night', now: '2026-10-25T01:30:00Z', hour: 2, zone: 'Europe/Paris', maxDelayHours: 0, expected: 'now' },
    {
      name: 'Auckland: tomorrow morning local is this evening in UTC',
      now: '2026-06-10T10:00:00Z',
      hour: 7,
      zone: 'Pacific/Auckland',
      maxDelayHours: 9,
      expected: '2026-06-10T19:00:00Z',
    },
    {
      // 22:00 NZST to 08:00 NZDT is 10 hours on the clock, 9 elapsed.
      name: 'Auckland, clocks go forward',
      now: '2026-09-26T10:00:00Z',
      hour: 8,
      zone: 'Pacific/Auckland',
      maxDelayHours: 9,
      expected: '2026-09-26T19:00:00Z',
    },
    { name: 'Los Angeles: too far', now: '2026-06-10T12:00:00Z', hour: 19, zone: 'America/Los_Angeles', maxDelayHours: 12, expected: undefined },
    {
      name: 'Los Angeles: 19:00 local is 02:00 UTC the next day',
      now: '2026-06-10T12:00:00Z',
      hour: 19,
      zone: 'America/Los_Angeles',
      maxDelayHours: 14,
      expected: '2026-06-11T02:00:00Z',
    },
    {
      // 23:00 PDT to 09:00 PST is 10 hours on the clock, 11 elapsed.
      name: 'Los Angeles, clocks go back',
      now: '2026-11-01T06:00:00Z',
      hour: 9,
      zone: 'America/Los_Angeles',
      maxDelayHours: 11,
      expected: '2026-11-01T17:00:00Z',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const now = at(c.now);
      const expected = c.expected === 'now' ? now : c.expected === undefined ? undefined : at(c.expected);
      assert.equal(bestTimeWithin(now, c.hour, c.zone, c.maxDelayHours), expected);
    });
  }

  it('refuses an hour that is not one of the day', () => assert.throws(() => bestTimeWithin(0, 24, 'UTC', 1), RangeError));
});

describe('utcToLocalCounts', () => {
  const utc = Array.from({ length: 24 }, (_, h) => (h === 19 ? 5 : h === 23 ? 1 : 0));
  const cases: { zone: string; at: string; hour: number; wrapped: number }[] = [
    { zone: 'UTC', at: '2026-06-10T12:00:00Z', hour: 19, wrapped: 23 },
    { zone: 'Europe/Paris', at: '2026-06-10T12:00:00Z', hour: 21, wrapped: 1 },
    { zone: 'Europe/Paris', at: '2026-12-10T12:00:00Z', hour: 20, wrapped: 0 },
    { zone: 'America/Los_Angeles', at: '2026-12-10T12:00:00Z', hour: 11, wrapped: 15 },
    { zone: 'Asia/Kolkata', at: '2026-12-10T12:00:00Z', hour: 1, wrapped: 5 },
  ];
  for (const c of cases)
    it(`reads UTC hours in ${c.zone} on ${c.at.slice(0, 10)}`, () => {
      const local = utcToLocalCounts(utc, c.zone, Date.parse(c.at));
      assert.equal(local[c.hour], 5);
      assert.equal(local[c.wrapped], 1);
      assert.equal(
        local.reduce((a, b) => a + b),
        6,
      );
    });
  it('a histogram of the wrong length reads as none', () => assert.deepEqual(utcToLocalCounts([1], 'UTC', 0), new Array(24).fill(0)));
});
