/**
 * Send-time optimisation, with no I/O: the hour of the day a customer is most
 * often active (opens, clicks, visits, in their own time zone), or the
 * brand's when the customer has too little history, and when that hour next
 * comes if it is soon enough to wait for. A message that cannot wait goes at
 * the time it was asked for.
 */
import { localMinutes, nextLocalTime } from '../local-time.js';

const HOUR = 3_600_000;
const HOURS = 24;

/** A histogram of 24 counts: how many of `times` fell in each hour of the day, in `zone`. */
export function localHourCounts(times: readonly number[], zone: string): number[] {
  const counts = new Array<number>(HOURS).fill(0);
  for (const at of times) counts[Math.floor(localMinutes(at, zone) / 60)]! += 1;
  return counts;
}

/**
 * A histogram of UTC hours read in a zone, at the zone's offset at `at` (to
 * the nearest hour): counts kept in UTC as events came, read where the
 * customer is now. An offset that changed since (summer time) moves old
 * counts by an hour, which the three-hour window absorbs.
 */
export function utcToLocalCounts(utc: readonly number[], zone: string, at: number): number[] {
  if (utc.length !== HOURS) return new Array<number>(HOURS).fill(0);
  const utcMinutes = Math.floor((at % (24 * HOUR)) / 60_000);
  const offset = Math.round((localMinutes(at, zone) - utcMinutes) / 60);
  return Array.from({ length: HOURS }, (_, local) => utc[(((local - offset) % HOURS) + HOURS) % HOURS]!);
}

/** Two histograms added hour by hour. */
export const addCounts = (a: readonly number[], b: readonly number[]): number[] => Array.from({ length: HOURS }, (_, h) => (a[h] ?? 0) + (b[h] ?? 0));

/**
 * The busiest hour over a window of three (the hour before, the hour, the hour
 * after, wrapping at midnight), so that a habit spread over 19:00 and 20:00
 * counts as one and outweighs a single busier hour elsewhere. Between windows
 * that weigh the same, the hour with more events of its own wins, so a lone
 * peak is not moved an hour early; then the earliest hour of the day, so that
 * a message for a 19:00-20:00 habit is there when it starts (around midnight
 * that is 00:00, not 23:00).
 */
function busiestHour(counts: readonly number[]): number {
  const at = (h: number) => counts[(h + HOURS) % HOURS]!;
  let best = 0;
  let bestWindow = Number.NEGATIVE_INFINITY;
  for (let h = 0; h < HOURS; h++) {
    const window = at(h - 1) + at(h) + at(h + 1);
    if (window > bestWindow || (window === bestWindow && at(h) > at(best))) [best, bestWindow] = [h, window];
  }
  return best;
}

function evidence(counts: readonly number[]): number {
  if (counts.length !== HOURS) throw new RangeError(`an hour histogram has ${HOURS} counts, not ${counts.length}`);
  return counts.reduce((sum, n) => sum + n, 0);
}

/**
 * The hour to send at: the customer's own when they have at least
 * `minEvidence` events, else the brand's on the same terms, else none (send at
 * the time asked).
 */
export function bestHour(
  own: readonly number[] | undefined,
  brand: readonly number[] | undefined,
  minEvidence = 3,
): { hour: number; source: 'customer' | 'brand' } | undefined {
  const enough = Math.max(minEvidence, 1);
  if (own && evidence(own) >= enough) return { hour: busiestHour(own), source: 'customer' };
  if (brand && evidence(brand) >= enough) return { hour: busiestHour(brand), source: 'brand' };
  return undefined;
}

/**
 * When to send for `hour` (local, in `zone`): now if it is that hour there
 * already, the next HH:00 there if that is at most `maxDelayHours` away
 * (daylight-saving changes included), else undefined: send now.
 */
export function bestTimeWithin(now: number, hour: number, zone: string, maxDelayHours: number): number | undefined {
  if (!(Number.isInteger(hour) && hour >= 0 && hour < HOURS)) throw new RangeError(`${hour} is not an hour of the day`);
  if (Math.floor(localMinutes(now, zone) / 60) === hour) return now;
  const next = nextLocalTime(now, `${String(hour).padStart(2, '0')}:00`, zone);
  return next - now <= maxDelayHours * HOUR ? next : undefined;
}
