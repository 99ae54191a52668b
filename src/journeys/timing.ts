/**
 * Time in journeys, with no I/O: lengths of time, the next moment it is a
 * given hour in a time zone, and the deterministic draw of a split's arm.
 */
import { createHash } from 'node:crypto';
import type { Duration } from './schema.js';

const MINUTE = 60_000;

export const durationMs = (d: Duration): number => Math.round(((d.days ?? 0) * 24 * 60 + (d.hours ?? 0) * 60 + (d.minutes ?? 0)) * MINUTE);

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();
function partsIn(zone: string, at: number): { year: number; month: number; day: number; hour: number; minute: number } {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** The zone's offset from UTC at a moment, in ms. */
function offsetAt(zone: string, at: number): number {
  const p = partsIn(zone, at);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(at / MINUTE) * MINUTE;
}

/** The moment a local wall-clock time occurs in a zone (in a gap of a daylight-saving change, just after it). */
function localToUtc(zone: string, year: number, month: number, day: number, hour: number, minute: number): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - offsetAt(zone, wall);
  return wall - offsetAt(zone, first);
}

/** The first moment after `now` at which it is `hhmm` in `zone`. */
export function nextLocalTime(now: number, hhmm: string, zone: string): number {
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  const today = partsIn(zone, now);
  for (let days = 0; days <= 2; days++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
    const at = localToUtc(zone, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hour, minute);
    if (at > now) return at;
  }
  throw new Error(`no ${hhmm} in ${zone} after ${new Date(now).toISOString()}`);
}

/** The next run of a repeating schedule after `previous`. */
export function nextRun(previous: number, repeat: 'daily' | 'weekly' | 'monthly'): number {
  const d = new Date(previous);
  if (repeat === 'daily') d.setUTCDate(d.getUTCDate() + 1);
  else if (repeat === 'weekly') d.setUTCDate(d.getUTCDate() + 7);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return d.getTime();
}

/** A number in [0, 1) that depends on the journey and the customer only: the same customer always draws the same arm. */
export function draw(journeyId: string, profileId: string): number {
  const digest = createHash('sha256').update(`${journeyId}\u0000${profileId}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** The arm a draw falls in, arms weighted. */
export function pickArm<A extends { weight: number }>(arms: readonly A[], drawn: number): A {
  const total = arms.reduce((sum, a) => sum + a.weight, 0);
  let edge = 0;
  for (const arm of arms) {
    edge += arm.weight / total;
    if (drawn < edge) return arm;
  }
  return arms[arms.length - 1]!;
}
