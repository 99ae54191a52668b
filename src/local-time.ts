/**
 * Wall-clock time in IANA time zones, with no I/O: whether a zone exists, the
 * local hour at a moment, and the next moment it is a given hour there
 * (daylight-saving changes included). Journeys wait until a local hour; the
 * contact policy keeps quiet hours.
 */

const MINUTE = 60_000;

/** Zones already asked about: building a formatter to find out is slow, and journeys ask per customer. */
const known = new Map<string, boolean>();

export function isTimeZone(zone: string): boolean {
  const seen = known.get(zone);
  if (seen !== undefined) return seen;
  let valid = true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    valid = false;
  }
  if (known.size > 10_000) known.clear();
  known.set(zone, valid);
  return valid;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function formatIn(zone: string): Intl.DateTimeFormat {
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
  return format;
}

/**
 * Zones change their offset on a quarter hour (daylight saving, and the
 * half- and quarter-hour zones): within one quarter the offset is one, so it
 * is asked of Intl once per zone and quarter, not per moment.
 */
const QUARTER = 15 * MINUTE;
const offsets = new Map<string, number>();

function offsetOfQuarter(zone: string, at: number): number {
  const quarter = Math.floor(at / QUARTER) * QUARTER;
  const key = `${zone} ${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const parts = Object.fromEntries(
      formatIn(zone)
        .formatToParts(quarter)
        .map((p) => [p.type, Number(p.value)]),
    );
    offset = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!) - quarter;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

function partsIn(zone: string, at: number): { year: number; month: number; day: number; hour: number; minute: number } {
  const local = new Date(at + offsetOfQuarter(zone, at));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
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

/** Minutes since local midnight in `zone` at a moment. */
export function localMinutes(at: number, zone: string): number {
  const p = partsIn(zone, at);
  return p.hour * 60 + p.minute;
}

/** "HH:MM" as minutes since midnight. */
export const minutesOf = (hhmm: string): number => {
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  return hour * 60 + minute;
};
