/** A Touchpoint without HTTP, for pipeline tests: send messages as a source, then drain the pipeline. */
import { createManualClock } from '../../src/clock.js';
import type { Channel } from '../../src/collect/index.js';
import { loadConfig } from '../../src/config.js';
import { openTouchpoint, type Touchpoint } from '../../src/main.js';
import type { TestDialect } from './dialects.js';

export interface PipelineHarness {
  tp: Touchpoint;
  clock: ReturnType<typeof createManualClock>;
  /** Sends messages as the named source (created on first use with that channel), then processes them. */
  send(source: string, channel: Channel, ...messages: Record<string, unknown>[]): Promise<void>;
  /** The live profile holding an identifier. */
  profileOf(kind: string, value: string): Promise<string | undefined>;
  /** Moves the clock and processes what is due then (timers fire through clock ticks, as in the server). */
  passTime(ms: number): Promise<void>;
  /** Waits for background jobs (back-fills), then for the pipeline. */
  settle(): Promise<void>;
  dispose(): Promise<void>;
}

export async function openHarness(dialect: TestDialect, env: Record<string, string> = {}): Promise<PipelineHarness> {
  const db = await dialect.create();
  const clock = createManualClock(Date.parse('2026-11-23T12:00:00.000Z'));
  const tp = await openTouchpoint(loadConfig({ TOUCHPOINT_DATABASE_URL: db.url, TOUCHPOINT_SQLITE_SYNCHRONOUS: 'normal', ...env }), { clock });
  tp.jobs.start();
  await tp.standing.lifecycle.prepare();
  await tp.jobs.settle();
  return {
    tp,
    clock,
    async send(name, channel, ...messages) {
      const source = (await tp.sources.find(name)) ?? (await tp.sources.create({ name, channel }));
      clock.advance(1000);
      const result = await tp.ingest.ingest(source, messages);
      if (result.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(result.rejected)}`);
      await tp.pipeline.drain();
    },
    profileOf: (kind, value) => tp.identity.owner(kind, value),
    async passTime(ms) {
      clock.advance(ms);
      await tp.pipeline.drain();
    },
    async settle() {
      await tp.jobs.settle();
      await tp.pipeline.drain();
    },
    async dispose() {
      await tp.close();
      await db.cleanup();
    },
  };
}
