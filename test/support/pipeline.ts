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
  /** Moves the clock and runs what is due, as the server's scheduler does. */
  passTime(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

export async function openHarness(dialect: TestDialect, env: Record<string, string> = {}): Promise<PipelineHarness> {
  const db = await dialect.create();
  const clock = createManualClock(Date.parse('2026-11-23T12:00:00.000Z'));
  const tp = await openTouchpoint(loadConfig({ TOUCHPOINT_DATABASE_URL: db.url, TOUCHPOINT_SQLITE_SYNCHRONOUS: 'normal', ...env }), { clock });
  await tp.lifecycle.prepare();
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
      while ((await tp.lifecycle.runDue()) > 0);
    },
    async dispose() {
      await tp.close();
      await db.cleanup();
    },
  };
}
