/**
 * The live trickle: while the demo serves, a few events a second through
 * the tracking API over HTTP, as the brand's web shop and stores would send
 * them, at the real time. What is sent is drawn from the seed (tick by
 * tick); only the wall time differs between runs.
 */
import type { Clock } from '../clock.js';
import type { PlannedEvent } from './activity.js';
import type { DemoSource } from './generate.js';
import { trickleEvents, type DemoPlan } from './plan.js';

export interface Trickle {
  /** Events the tracking API accepted so far. */
  sent(): number;
  stop(): Promise<void>;
}

export interface TrickleOptions {
  url: string;
  plan: DemoPlan;
  sources: DemoSource[];
  clock: Clock;
  intervalMs: number;
  onError?(error: Error): void;
}

export function startTrickle(options: TrickleOptions): Trickle {
  const keys = new Map(options.sources.map((s) => [s.key, s.writeKey]));
  let tick = 0;
  let sent = 0;
  let inFlight: Promise<void> = Promise.resolve();
  const post = async (events: PlannedEvent[]) => {
    for (const source of new Set(events.map((e) => e.source))) {
      const batch = events.filter((e) => e.source === source).map((e) => e.message);
      const response = await fetch(`${options.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${keys.get(source)}:`).toString('base64')}` },
        body: JSON.stringify({ batch }),
      });
      const body = (await response.json()) as { accepted?: number };
      if (response.status !== 200) throw new Error(`the tracking API answered ${response.status}: ${JSON.stringify(body)}`);
      sent += body.accepted ?? 0;
    }
  };
  const timer = setInterval(() => {
    // One tick at a time: a slow answer delays the next tick instead of piling requests up.
    inFlight = inFlight.then(() => post(trickleEvents(options.plan, tick++, options.clock.now()))).catch((error: Error) => options.onError?.(error));
  }, options.intervalMs);
  return {
    sent: () => sent,
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
