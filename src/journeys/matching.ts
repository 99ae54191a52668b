/**
 * Which events and changes concern a journey, with no I/O: entries (with
 * re-entry rules and keys), waits for an event, goals.
 */
import { readPath } from '../identity/index.js';
import { matches } from '../profiles/index.js';
import type { WaitForEvent } from './engine.js';
import type { Duration, Entry, JourneyDefinition } from './schema.js';
import { durationMs } from './timing.js';

/** A trigger older than this (imported history, a replay) enters no one: journeys act on the present. */
export const STALE_TRIGGER_MS = 24 * 3_600_000;

export interface LoggedMessage {
  seq: number;
  timestamp: number;
  receivedAt: number;
  message: Record<string, unknown>;
}

const asNames = (names: string | string[]) => (Array.isArray(names) ? names : [names]);

export function eventMatches(spec: { event: string | string[]; where?: WaitForEvent['where'] }, message: Record<string, unknown>): boolean {
  return matches({ eventType: 'track', event: asNames(spec.event), where: (spec.where ?? []) as never }, message);
}

/** The enrolment key an event carries for a keyed journey ('' for a journey that is not keyed; undefined: the event has none). */
export function keyOf(definition: JourneyDefinition, message: Record<string, unknown>): string | undefined {
  if (definition.key === undefined) return '';
  const value = readPath(message, definition.key);
  return value === undefined || value === null || typeof value === 'object' ? undefined : String(value);
}

/** Event names a definition listens to: for entering, for waits, for its goal. */
export function listenedNames(definition: JourneyDefinition): { entry: string[]; progress: string[] } {
  const entry = 'event' in definition.entry ? asNames(definition.entry.event.name) : [];
  const waits = definition.steps.flatMap((s) => ('waitFor' in s ? asNames(s.waitFor.event) : []));
  const goal = definition.goal ? asNames(definition.goal.event) : [];
  return { entry, progress: [...waits, ...goal] };
}

export function entryByEvent(entry: Entry, message: Record<string, unknown>): boolean {
  return 'event' in entry && eventMatches({ event: entry.event.name, where: entry.event.where }, message);
}

export function entryBySegment(entry: Entry, change: { segmentId: string; segmentName: string; change: 'entered' | 'exited' }): boolean {
  if (!('segment' in entry)) return false;
  const { name, on = 'entered' } = entry.segment;
  return (name === change.segmentId || name === change.segmentName) && on === change.change;
}

export function entryByStage(entry: Entry, change: { from: string | null; to: string | null }): boolean {
  if (!('stage' in entry)) return false;
  const { from, to } = entry.stage;
  return (from === undefined || from === change.from) && (to === undefined || to === change.to) && change.from !== change.to;
}

/** A trigger enters only when it is recent and came after the journey went live. */
export function fresh(trigger: { at: number; seenAt: number }, liveSince: number | null, now: number): boolean {
  return liveSince !== null && trigger.seenAt >= liveSince && trigger.at >= now - STALE_TRIGGER_MS;
}

export interface PastEnrolment {
  status: string;
  enteredAt: number;
}

/** Re-entry: once ever, again after a period, or always; never twice at a time for one key. */
export function mayEnter(reentry: { mode: 'once' | 'after' | 'always'; after?: Duration } | undefined, past: readonly PastEnrolment[], now: number): boolean {
  if (past.some((e) => e.status === 'active')) return false;
  if (past.length === 0) return true;
  const mode = reentry?.mode ?? 'once';
  if (mode === 'once') return false;
  if (mode === 'always') return true;
  const last = Math.max(...past.map((e) => e.enteredAt));
  return now >= last + durationMs(reentry!.after!);
}

export interface Waiting {
  waitFor: (WaitForEvent & { since: number }) | null;
  enrolKey: string;
  enteredAt: number;
  goalUntil: number | null;
}

/** Whether an event ends the wait of an enrolment waiting for one. */
export function resumes(definition: JourneyDefinition, waiting: Waiting, event: LoggedMessage): boolean {
  const wait = waiting.waitFor;
  if (!wait || event.receivedAt < wait.since || !eventMatches(wait, event.message)) return false;
  return !definition.key || !wait.matchKey || keyOf(definition, event.message) === waiting.enrolKey;
}

/** Whether an event is the journey's goal for an enrolment (in its window, with its key). */
export function converts(definition: JourneyDefinition, waiting: Waiting, event: LoggedMessage): boolean {
  const goal = definition.goal;
  if (!goal || waiting.goalUntil === null || event.timestamp > waiting.goalUntil || event.receivedAt < waiting.enteredAt) return false;
  if (!eventMatches(goal, event.message)) return false;
  return !definition.key || goal.matchKey === false || keyOf(definition, event.message) === waiting.enrolKey;
}

/** The value a conversion is worth: the goal's value path, else revenue, else total. */
export function conversionValue(definition: JourneyDefinition, message: Record<string, unknown>): number | null {
  const paths = definition.goal?.value ? [definition.goal.value] : ['properties.revenue', 'properties.total'];
  for (const path of paths) {
    const value = readPath(message, path);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}
