import assert from 'node:assert/strict';
import { it } from 'node:test';
import { localMinutes, nextLocalTime } from './local-time.js';

/** Intl's own answer, moment by moment: what the kept offsets must agree with. */
function reference(at: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return get('hour') * 60 + get('minute');
}

const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/St_Johns', 'Asia/Kathmandu', 'Pacific/Chatham'];
/** Days around daylight-saving changes in both hemispheres (2026), and one without. */
const DAYS = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-27', '2026-10-04', '2026-10-25', '2026-11-01', '2026-06-15'];

it('gives the local time Intl gives, minute by minute across daylight-saving changes and quarter-hour zones', () => {
  for (const zone of ZONES) {
    for (const day of DAYS) {
      const start = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
      // Every 7 minutes and a few seconds over three days: every quarter hour is met at several offsets within it.
      for (let at = start; at < start + 3 * 86_400_000; at += 7 * 60_000 + 13_000) {
        assert.equal(localMinutes(at, zone), reference(at, zone), `${zone} at ${new Date(at).toISOString()}`);
      }
    }
  }
});

it('finds the next local hour across a change of offset', () => {
  // Paris goes to summer time on 2026-03-29 at 02:00 (01:00 UTC): 10:00 that day is 08:00 UTC.
  assert.equal(new Date(nextLocalTime(Date.parse('2026-03-28T12:00:00Z'), '10:00', 'Europe/Paris')).toISOString(), '2026-03-29T08:00:00.000Z');
  // Kathmandu is UTC+5:45.
  assert.equal(new Date(nextLocalTime(Date.parse('2026-06-15T00:00:00Z'), '09:00', 'Asia/Kathmandu')).toISOString(), '2026-06-15T03:15:00.000Z');
});
