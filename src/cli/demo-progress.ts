/** The demo's progress on stderr: a bar on a terminal, a line every 10% otherwise (logs, CI, tests). */
import { SingleBar } from 'cli-progress';
import type { DemoProgress } from '../demo/index.js';
import { type CliContext, print } from './context.js';

export interface ProgressView {
  update(p: DemoProgress): void;
  stop(): void;
}

export function createDemoProgress(ctx: CliContext, expectedEvents: number): ProgressView {
  // From the first day on: the set-up before it is not the generation's pace.
  let began: number | undefined;
  const rate = (events: number) => Math.round(events / Math.max(0.001, (performance.now() - (began ?? 0)) / 1000));
  /** Time left at the pace of the days done so far; unknown before the first. */
  const eta = (p: DemoProgress) => {
    if (p.day === 0) return 'unknown yet';
    const seconds = (performance.now() - (began ?? 0)) / 1000;
    return `${Math.round((seconds / p.day) * (p.days - p.day))}s`;
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
        began ??= performance.now();
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
      began ??= performance.now();
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
