/**
 * Time as an input. Standing that changes with time alone (a window closes, a
 * customer lapses) changes when a timer is due. The pipeline does not fire
 * timers by itself: it appends a clock tick to the log ("timers up to T may
 * fire") and fires them when it processes the tick, at its place in the log.
 * Live processing, replays and rebuilds thus fire the same timers between the
 * same events, and record the same history.
 *
 * A tick's time is the watermark: now (less a short settle margin for
 * requests still committing), but never past the oldest event time of the
 * events waiting to be processed, so that importing a year of history does
 * not fire March's timers before April's events are in.
 */
import type { NewEvent } from '../log/index.js';
import type { BatchScope, PipelineEvent } from './stage.js';

export const CLOCK_TICK = 'Clock Tick';
/** Requests received before a time may still be committing just after it. */
export const SETTLE_MS = 200;

export interface Timers {
  /** The earliest time a timer is due, or null when none is set. */
  nextDue(): Promise<number | null>;
  /** Fires the timers due at or before `upTo`, earliest first, at most `limit`, in the scope's transaction; returns how many fired. */
  fire(upTo: number, limit: number, scope: BatchScope): Promise<number>;
}

export function watermark(now: number, waiting: readonly { timestamp: number }[]): number {
  let mark = now - SETTLE_MS;
  for (const event of waiting) if (event.timestamp < mark) mark = event.timestamp;
  return mark;
}

export function tickEvent(sourceId: string, upTo: number, after: number, receivedAt: number): NewEvent {
  const messageId = `tick:${upTo}:${after}`;
  const message = {
    type: 'track',
    event: CLOCK_TICK,
    messageId,
    properties: { upTo: new Date(upTo).toISOString() },
    context: { touchpoint: { internal: true } },
    timestamp: new Date(upTo).toISOString(),
    receivedAt: new Date(receivedAt).toISOString(),
  };
  return {
    sourceId,
    messageId,
    type: 'track',
    event: CLOCK_TICK,
    channel: 'other',
    userId: null,
    anonymousId: null,
    timestamp: upTo,
    receivedAt,
    partitionKey: 'clock',
    payload: JSON.stringify(message),
  };
}

export const tickTime = (event: PipelineEvent): number => event.timestamp;
