/**
 * Computed trait state: updated one event at a time, mergeable, and read as a
 * value at a given time. Without a window the state is compact; with one it
 * keeps the contributions inside the window, so the value falls as time passes
 * even with no new event.
 */
import { addAmounts, type Aggregation, type TraitDefinition } from './definition.js';

/** [event time, log position, value] */
export type Entry = [number, number, unknown];

export interface TraitState {
  entries?: Entry[];
  n?: number;
  sum?: number;
  min?: number;
  max?: number;
  first?: Entry;
  last?: Entry;
  freq?: Record<string, number>;
}

const DAY = 86_400_000;
/** Distinct values kept per profile and trait; past it, new values are not counted. */
const MAX_DISTINCT = 10_000;

const before = (a: Entry, b: Entry) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
const key = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The index of the first entry at or after `since` (entries are in time order). */
function firstSince(entries: readonly Entry[], since: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (entries[mid]![0] < since) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function addEntry(def: TraitDefinition, state: TraitState, entry: Entry, now: number): TraitState {
  if (def.windowDays !== undefined) {
    const since = now - def.windowDays * DAY;
    const old = state.entries ?? [];
    const kept = old.slice(firstSince(old, since));
    if (entry[0] < since) return { entries: kept };
    // Events mostly come in time order: the new entry usually goes last.
    let at = kept.length;
    while (at > 0 && before(entry, kept[at - 1]!)) at--;
    kept.splice(at, 0, entry);
    return { entries: kept };
  }
  return fold(def.aggregation, state, [entry]);
}

export function mergeTraitStates(def: TraitDefinition, a: TraitState, b: TraitState, now: number): TraitState {
  if (def.windowDays !== undefined) return (b.entries ?? []).reduce((s, e) => addEntry(def, s, e, now), a);
  const merged = fold(def.aggregation, a, []);
  switch (def.aggregation) {
    case 'count':
      return { n: (a.n ?? 0) + (b.n ?? 0) };
    case 'sum':
      return { sum: addAmounts(a.sum ?? 0, b.sum ?? 0) };
    case 'min':
      return b.min === undefined ? merged : { min: Math.min(a.min ?? Infinity, b.min) };
    case 'max':
      return b.max === undefined ? merged : { max: Math.max(a.max ?? -Infinity, b.max) };
    case 'first':
      return b.first ? fold('first', a, [b.first]) : merged;
    case 'last':
      return b.last ? fold('last', a, [b.last]) : merged;
    default: {
      const freq = { ...(a.freq ?? {}) };
      for (const [k, n] of Object.entries(b.freq ?? {})) if (freq[k] !== undefined || Object.keys(freq).length < MAX_DISTINCT) freq[k] = (freq[k] ?? 0) + n;
      return { freq };
    }
  }
}

export function valueAt(def: TraitDefinition, state: TraitState, now: number): unknown {
  if (def.windowDays === undefined) return read(def.aggregation, state);
  const entries = state.entries ?? [];
  const from = firstSince(entries, now - def.windowDays * DAY);
  if (def.aggregation === 'count') return entries.length - from;
  return read(def.aggregation, fold(def.aggregation, {}, entries.slice(from)));
}

function fold(aggregation: Aggregation, state: TraitState, entries: Entry[]): TraitState {
  const s: TraitState = { ...state, freq: state.freq && { ...state.freq } };
  for (const entry of entries) {
    const v = entry[2];
    switch (aggregation) {
      case 'count':
        s.n = (s.n ?? 0) + 1;
        break;
      case 'sum':
        s.sum = addAmounts(s.sum ?? 0, v as number);
        break;
      case 'min':
        s.min = Math.min(s.min ?? Infinity, v as number);
        break;
      case 'max':
        s.max = Math.max(s.max ?? -Infinity, v as number);
        break;
      case 'first':
        if (!s.first || before(entry, s.first)) s.first = entry;
        break;
      case 'last':
        if (!s.last || before(s.last, entry)) s.last = entry;
        break;
      default: {
        s.freq ??= {};
        const k = key(v);
        if (s.freq[k] !== undefined || Object.keys(s.freq).length < MAX_DISTINCT) s.freq[k] = (s.freq[k] ?? 0) + 1;
      }
    }
  }
  if (!s.freq) delete s.freq;
  return s;
}

function read(aggregation: Aggregation, s: TraitState): unknown {
  switch (aggregation) {
    case 'count':
      return s.n ?? 0;
    case 'sum':
      return s.sum ?? 0;
    case 'min':
      return s.min ?? null;
    case 'max':
      return s.max ?? null;
    case 'first':
      return s.first ? s.first[2] : null;
    case 'last':
      return s.last ? s.last[2] : null;
    case 'distinct_count':
      return Object.keys(s.freq ?? {}).length;
    case 'most_frequent': {
      // Ties go to the value that sorts first, so the answer does not depend on event order.
      const ranked = Object.entries(s.freq ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      return ranked[0]?.[0] ?? null;
    }
  }
}

/** When the value will change with no new event: the oldest entry leaving the window. */
export function changesAt(def: TraitDefinition, state: TraitState, now: number): number | null {
  if (def.windowDays === undefined) return null;
  const entries = state.entries ?? [];
  const oldest = entries[firstSince(entries, now - def.windowDays * DAY)];
  return oldest ? oldest[0] + def.windowDays * DAY : null;
}
