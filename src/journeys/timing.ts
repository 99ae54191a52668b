/**
 * Time in journeys, with no I/O: lengths of time, schedules, and the
 * deterministic draw of a split's arm (local hours: ../local-time.ts).
 */
import { createHash } from 'node:crypto';
import type { Duration } from './schema.js';

export { isTimeZone, nextLocalTime } from '../local-time.js';

const MINUTE = 60_000;

export const durationMs = (d: Duration): number => Math.round(((d.days ?? 0) * 24 * 60 + (d.hours ?? 0) * 60 + (d.minutes ?? 0)) * MINUTE);

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
