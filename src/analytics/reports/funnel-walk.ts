/**
 * How far one customer got through a funnel, no I/O. Every occurrence of
 * the first step may start an attempt; an attempt advances on the next
 * event matching its next step within the conversion window from its start.
 * The customer's result is the attempt that got furthest (the first to get
 * there), with the times it reached each step: the customer converts once,
 * however many times they tried. One pass over the events: for each step,
 * only the attempt with the latest start is kept, as it has the most window left.
 */
import type { ActivityEvent } from '../../profiles/index.js';
import { stepMatches, type FunnelStep } from './steps.js';

export interface FunnelProgress {
  /** Steps reached: 0 (never started) to steps.length (converted). */
  reached: number;
  /** When each reached step happened. */
  times: number[];
  /** The channel and time of the first step of that attempt. */
  channel: string | null;
  startedAt: number | null;
}

interface Attempt {
  start: number;
  channel: string;
  times: number[];
}

export function walkFunnel(events: readonly ActivityEvent[], steps: readonly FunnelStep[], windowMs: number): FunnelProgress {
  const attempts: (Attempt | undefined)[] = new Array(steps.length);
  let best: FunnelProgress = { reached: 0, times: [], channel: null, startedAt: null };
  for (const event of events) {
    for (let k = steps.length - 1; k >= 1; k--) {
      const previous = attempts[k - 1];
      if (!previous || event.timestamp - previous.start > windowMs || !stepMatches(steps[k]!, event)) continue;
      const next: Attempt = { start: previous.start, channel: previous.channel, times: [...previous.times, event.timestamp] };
      if (!attempts[k] || next.start > attempts[k]!.start) attempts[k] = next;
      if (k + 1 > best.reached) best = { reached: k + 1, times: next.times, channel: next.channel, startedAt: next.start };
    }
    if (stepMatches(steps[0]!, event)) {
      attempts[0] = { start: event.timestamp, channel: event.channel, times: [event.timestamp] };
      if (best.reached === 0) best = { reached: 1, times: [event.timestamp], channel: event.channel, startedAt: event.timestamp };
    }
  }
  return best;
}
