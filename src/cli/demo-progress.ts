/** The demo's progress on stderr: a bar on a terminal, a line every 10% otherwise (logs, CI, tests). */
import { SingleBar } from 'cli-progress';
import type { DemoProgress } from '../demo/index.js';
import { type CliContext, print } from './context.js';

export interface ProgressView {
  update(p: DemoProgress): void;
  stop(): void;
}

/** `now` reads a monotonic clock in milliseconds (performance.now unless a test gives its own). */
export function createDemoProgress(ctx: Pick<CliContext, 'stderr'>, expectedEvents: number, now: () => number = () => performance.now()): ProgressView {
  // From the first day on: the set-up before it is not the generation's pace.
  let began: number | undefined;
  const rate = (events: number) => Math.round(events / Math.max(0.001, (now() - (began ?? 0)) / 1000));
  /**
   * Time left at the pace of the events so far, over the events still expected: later days have more events (the
   * customer base grows), so the pace of the days alone promised half the time it took.
   */
  const eta = (p: DemoProgress) => {
    if (p.day === 0 || p.events === 0) return 'unknown yet';
    if (p.day === p.days) return '0s';
    const seconds = (now() - (began ?? 0)) / 1000;
    const byDays = (seconds / p.day) * (p.days - p.day);
    const byEvents = (seconds / p.events) * (expectedEvents - p.events);
    return `${Math.round(Math.max(byDays, byEvents))}s`;
  };
  if (ctx.stderr.isTTY) {
    const bar = new SingleBar({
      stream: ctx.stderr,
      format: '{phase} [{bar}] {percentage}% | day {value}/{total} | {events} events | {rate} events/s | ETA {left}',
      etaBuffer: 10,
    });
    let started = false;
    return {
      update(p) {
        began ??= now();
        if (!started) bar.start(p.days, 0, { phase: p.phase, events: 0, rate: 0, left: eta(p) });
        started = true;
        bar.update(p.day, { phase: p.phase, events: p.events, rate: rate(p.events), left: eta(p) });
      },
      stop: () => bar.stop(),
    };
  }
  let shown = 0;
  return {
    update(p) {
      began ??= now();
      const percent = Math.floor((100 * p.day) / p.days);
      if (percent < shown + 10 && p.day < p.days) return;
      shown = percent - (percent % 10);
      print(
        ctx.stderr,
        `${p.phase}: ${percent}% (day ${p.day}/${p.days}, ${p.events} of ~${expectedEvents} events, ${rate(p.events)} events/s, ETA ${eta(p)})`,
      );
    },
    stop() {},
  };
}
