/**
 * How deep a message may nest objects and arrays. Storing a message serializes
 * it recursively, and a message a few thousand levels deep (well under the
 * size limit) overflows the stack there; so depth is checked first, by a walk
 * that never descends further than the limit, however deep the value is.
 */

/** Levels of objects and arrays a message may hold, the message itself being level 1. */
export const MAX_DEPTH = 64;

/** Whether `value` holds objects or arrays more than `levels` levels deep (an object is one level). */
export function nestsDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels <= 0) return true;
  for (const key in value) {
    if (nestsDeeperThan((value as Record<string, unknown>)[key], levels - 1)) return true;
  }
  return false;
}

/** The first field of a message (or batch envelope) that nests deeper than MAX_DEPTH allows. */
export function tooDeepField(fields: Record<string, unknown>): string | undefined {
  return Object.keys(fields).find((key) => nestsDeeperThan(fields[key], MAX_DEPTH - 1));
}
