/**
 * The real Touchpoint the simulation drives: opened on a fresh SQLite file
 * with a manual clock, predictable ids and no background loops, and spoken
 * to through its HTTP API only (app.inject: no socket). The simulation says
 * when time passes and when the pipeline and the journeys runner catch up,
 * as the journeys test harness does (test/support/journeys.ts).
 */
import { createManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { Ids } from '../../src/ids.js';
import { createServer, type Server } from '../../src/main.js';
import { createRng } from './random.js';

const ADMIN_TOKEN = 'simulation-admin-token-0123456789';

export interface Engine {
  server: Server;
  clock: ReturnType<typeof createManualClock>;
  /** Tracking API: a batch of Segment messages from the brand's web shop. */
  track(messages: Record<string, unknown>[]): Promise<void>;
  /** Management API with the admin token; throws on anything but 2xx. */
  api<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<T>;
  /** The same, returning the status too (for endpoints that may not exist). */
  call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<{ status: number; body: unknown }>;
  /** Processes everything: events through the pipeline (timers included), then the journeys runner; adds the seconds each took to `timings`. */
  settle(timings?: Record<string, number>): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Ids from counters, one per prefix: the same run makes the same profile ids
 * (profiles are created in the order customers come, in both runs, whatever
 * messages the runs send in between), so that the control group (a hash of
 * the profile id) is the same customers every time and in both runs.
 */
export function countingIds(): Ids {
  const counters = new Map<string, number>();
  const next = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return n;
  };
  return {
    id: (prefix) => `${prefix}_${next(prefix).toString(36).padStart(8, '0')}`,
    secret: () => `sim-secret-${next('secret')}-0123456789abcdefghij`,
    uuid: () => `00000000-0000-4000-8000-${next('uuid').toString(16).padStart(12, '0')}`,
  };
}

export async function openEngine(start: number, seed: number, settings: Record<string, string> = {}): Promise<Engine> {
  // In memory, the event log inside the main store: the simulation measures the engine's work, not the disk's
  // (about 10% quicker than two files in /dev/shm, mostly commits).
  const config = loadConfig({
    TOUCHPOINT_DATABASE_URL: 'sqlite::memory:',
    TOUCHPOINT_ADMIN_TOKEN: ADMIN_TOKEN,
    TOUCHPOINT_PIPELINE_WORKER: 'false',
    TOUCHPOINT_LOG_LEVEL: 'silent',
    TOUCHPOINT_SQLITE_SYNCHRONOUS: 'normal',
    TOUCHPOINT_TIMEZONE: 'Europe/Paris',
    ...settings,
  });
  const clock = createManualClock(start);
  // The policy's learned arbitration draws from a stream seeded like everything else.
  const random = createRng(seed, 'engine').next;
  const server = await createServer(config, { clock, ids: countingIds(), random, startPipeline: false });
  const tp = server.touchpoint;
  // Segment back-fills run as jobs; nothing else in the simulation makes one.
  tp.jobs.start();
  await tp.standing.lifecycle.prepare();
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const call: Engine['call'] = async (method, url, payload) => {
    const response = await server.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.body ? response.json() : undefined };
  };
  const api = async <T = unknown>(method: Parameters<Engine['call']>[0], url: string, payload?: unknown): Promise<T> => {
    const { status, body } = await call(method, url, payload);
    if (status < 200 || status >= 300) throw new Error(`${method} ${url}: ${status} ${JSON.stringify(body)}`);
    return body as T;
  };
  const source = await api<{ writeKey: string }>('POST', '/api/sources', { name: 'Web shop', channel: 'web' });
  const basic = { authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}` };
  return {
    server,
    clock,
    call,
    api,
    async track(messages) {
      const response = await server.app.inject({ method: 'POST', url: '/v1/batch', headers: basic, payload: { batch: messages } });
      const body = response.json() as { accepted?: number; rejected?: unknown[] };
      if (response.statusCode !== 200 || (body.rejected?.length ?? 0) > 0) throw new Error(`POST /v1/batch: ${response.statusCode} ${response.body}`);
    },
    async settle(timings = {}) {
      const began = performance.now();
      await tp.jobs.settle();
      await tp.pipeline.drain();
      const piped = performance.now();
      await tp.journeys.runner.drain();
      timings.pipeline = (timings.pipeline ?? 0) + (piped - began) / 1000;
      timings.runner = (timings.runner ?? 0) + (performance.now() - piped) / 1000;
    },
    async dispose() {
      await server.close();
    },
  };
}
