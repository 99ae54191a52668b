/**
 * The engine `touchpoint demo` generates its history with: a Touchpoint
 * opened on the demo's store with a manual clock, counting ids and seeded
 * draws (the same seed makes the same profiles, control group and
 * messages), no background loops but the jobs runner, spoken to through its
 * management API (app.inject, no socket) and its modules' doors.
 */
import { createManualClock } from '../clock.js';
import type { Config } from '../config.js';
import type { DemoEngine } from '../demo/index.js';
import { randomIds, type Ids } from '../ids.js';
import { createServer, type Server } from '../main.js';
import type { Source } from '../collect/index.js';
import { seededRandom } from '../random.js';

/** Ids from counters (predictable, so the same seed draws the same control group); secrets stay random. */
export function countingIds(): Ids {
  const counters = new Map<string, number>();
  const next = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return n;
  };
  return {
    id: (prefix) => `${prefix}_demo${next(prefix).toString(36).padStart(7, '0')}`,
    secret: randomIds.secret,
    uuid: () => `00000000-0000-4000-8000-${next('uuid').toString(16).padStart(12, '0')}`,
  };
}

export interface GenerationServer {
  server: Server;
  engine: DemoEngine;
}

export async function openGenerationServer(config: Config, options: { seed: number; start: number }): Promise<GenerationServer> {
  const clock = createManualClock(options.start);
  const server = await createServer(
    // The generation is made again when interrupted: its commits need not wait for the disk, nor write each page twice
    // through a write-ahead log (closing writes it out and leaves the store with one).
    { ...config, pipelineWorker: false, sqliteSynchronous: 'off', sqliteJournal: 'memory' },
    { clock, ids: countingIds(), random: seededRandom(options.seed), startPipeline: false },
  );
  const tp = server.touchpoint;
  // Segment back-fills and the lifecycle's re-evaluation run as jobs.
  tp.jobs.start();
  await tp.standing.lifecycle.prepare();
  const headers = { authorization: `Bearer ${config.adminToken}` };
  const sources = new Map<string, Source>();
  const engine: DemoEngine = {
    setTime: (ms) => clock.set(ms),
    async api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<T> {
      const response = await server.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
      if (response.statusCode < 200 || response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
      return (response.body ? response.json() : undefined) as T;
    },
    async ingest(sourceId, messages) {
      let source = sources.get(sourceId);
      if (!source) {
        source = await tp.sources.find(sourceId);
        if (!source) throw new Error(`no source ${sourceId}`);
        sources.set(sourceId, source);
      }
      const result = await tp.ingest.ingest(source, messages);
      if (result.rejected.length > 0) throw new Error(`the demo's events were refused: ${JSON.stringify(result.rejected.slice(0, 3))}`);
    },
    async settle(timings) {
      const began = performance.now();
      await tp.jobs.settle();
      await tp.pipeline.drain();
      const piped = performance.now();
      await tp.journeys.runner.drain();
      timings.pipeline = (timings.pipeline ?? 0) + (piped - began) / 1000;
      timings.journeys = (timings.journeys ?? 0) + (performance.now() - piped) / 1000;
    },
    async respond(delivery, answers) {
      await tp.channels.responses.callbacks(delivery, answers);
    },
    recordSizes: () => tp.standing.segments.recordSizes(),
    async whoIs(profileIds) {
      const identities = await tp.identity.identitiesOfMany(profileIds);
      const who = new Map<string, Record<string, string>>();
      for (const [profileId, list] of identities) {
        const userId = list.find((i) => i.kind === 'userId')?.value;
        const anonymousId = list.find((i) => i.kind === 'anonymousId')?.value;
        if (userId) who.set(profileId, { userId });
        else if (anonymousId) who.set(profileId, { anonymousId });
      }
      return who;
    },
  };
  return { server, engine };
}
