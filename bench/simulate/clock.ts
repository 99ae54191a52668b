/** Local hours for the simulated customers, cached per zone and UTC hour (a few zones, millions of looks). */
import { localMinutes } from '../../src/local-time.js';
import { HOUR } from './parameters.js';

const cache = new Map<string, number>();

/** The hour (0-23) it is in `zone` at a moment. The zones simulated have whole-hour offsets. */
export function localHour(zone: string, at: number): number {
  const bucket = Math.floor(at / HOUR);
  const key = `${zone}\u0000${bucket}`;
  let hour = cache.get(key);
  if (hour === undefined) {
    hour = Math.floor(localMinutes(bucket * HOUR, zone) / 60);
    if (cache.size > 100_000) cache.clear();
    cache.set(key, hour);
  }
  return hour;
}

/** Whether an hour falls in [from, to) on a 24-hour dial (from > to wraps past midnight). */
export const withinHours = (hour: number, from: number, to: number): boolean => (from <= to ? hour >= from && hour < to : hour >= from || hour < to);
