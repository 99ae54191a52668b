import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { draw, durationMs, nextLocalTime, nextRun, pickArm } from './timing.js';

describe('journey timing', () => {
  it('adds up durations', () => {
    assert.equal(durationMs({ days: 1, hours: 2, minutes: 30 }), 26.5 * 3_600_000);
    assert.equal(durationMs({ minutes: 0.5 }), 30_000);
  });

  it('finds the next local hour in a time zone', () => {
    const cases = [
      { now: '2026-06-01T05:00:00Z', at: '09:00', zone: 'UTC', expected: '2026-06-01T09:00:00.000Z' },
      { now: '2026-06-01T10:00:00Z', at: '09:00', zone: 'UTC', expected: '2026-06-02T09:00:00.000Z' },
      // Paris is UTC+2 in summer, UTC+1 in winter.
      { now: '2026-06-01T05:00:00Z', at: '09:00', zone: 'Europe/Paris', expected: '2026-06-01T07:00:00.000Z' },
      { now: '2026-12-01T05:00:00Z', at: '09:00', zone: 'Europe/Paris', expected: '2026-12-01T08:00:00.000Z' },
      // New York at 23:30 local on May 31 is 03:30 UTC on June 1: 09:00 local is later that local day.
      { now: '2026-06-01T03:30:00Z', at: '09:00', zone: 'America/New_York', expected: '2026-06-01T13:00:00.000Z' },
      { now: '2026-06-01T14:00:00Z', at: '09:00', zone: 'America/New_York', expected: '2026-06-02T13:00:00.000Z' },
      // Exactly at the hour: the next day.
      { now: '2026-06-01T09:00:00Z', at: '09:00', zone: 'UTC', expected: '2026-06-02T09:00:00.000Z' },
      // 02:30 does not exist in Paris on 2026-03-29 (clocks go 02:00 -> 03:00): just after the gap.
      { now: '2026-03-29T00:00:00Z', at: '02:30', zone: 'Europe/Paris', expected: '2026-03-29T01:30:00.000Z' },
    ];
    for (const c of cases) assert.equal(new Date(nextLocalTime(Date.parse(c.now), c.at, c.zone)).toISOString(), c.expected, `${c.now} ${c.at} ${c.zone}`);
  });

  it('repeats schedules by calendar', () => {
    assert.equal(new Date(nextRun(Date.parse('2026-01-31T10:00:00Z'), 'weekly')).toISOString(), '2026-02-07T10:00:00.000Z');
    assert.equal(new Date(nextRun(Date.parse('2026-01-15T10:00:00Z'), 'monthly')).toISOString(), '2026-02-15T10:00:00.000Z');
  });

  it('draws the same arm for the same customer and journey, and splits by weight', () => {
    assert.equal(draw('j1', 'p1'), draw('j1', 'p1'));
    assert.notEqual(draw('j1', 'p1'), draw('j2', 'p1'));
    const arms = [
      { arm: 'a', weight: 80 },
      { arm: 'b', weight: 20 },
    ];
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (pickArm(arms, draw('j', `p${i}`)).arm === 'a') a++;
    assert.ok(a > 7700 && a < 8300, `80% expected, got ${a / 100}%`);
  });
});
