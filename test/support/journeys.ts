// Responses are JSON of many shapes; tests read them as they are.
/* biome-ignore-all lint/suspicious/noExplicitAny: API bodies in tests */
/**
 * A Touchpoint for journey scenarios: no background loops and a manual clock,
 * so that a test says when time passes and when the pipeline and the journeys
 * runner catch up.
 */
import assert from 'node:assert/strict';
import type { TestDialect } from './dialects.js';
import { admin, basic, startTestServer, type TestServer } from './touchpoint.js';

export interface Harness {
  tp: TestServer;
  source: { writeKey: string };
  track(userId: string, event: string, properties?: Record<string, unknown>, timestamp?: number): Promise<void>;
  identify(userId: string, traits: Record<string, unknown>): Promise<void>;
  /** Sends any message (e.g. with an anonymousId). */
  send(message: Record<string, unknown>): Promise<void>;
  /** Processes everything: events, journey steps, traits journeys set (twice around, as they come back through the log). */
  settle(): Promise<void>;
  /** Moves the clock and settles. */
  advance(ms: number): Promise<void>;
  api(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<{ status: number; body: any }>;
  content(name: string, variants: Record<string, unknown>): Promise<void>;
  /** Creates a journey and makes it live. */
  journey(name: string, definition: unknown): Promise<string>;
  messages(query?: string): Promise<any[]>;
  profileOf(userId: string): Promise<string>;
  dispose(): Promise<void>;
}

export async function startHarness(dialect: TestDialect, env: Record<string, string> = {}): Promise<Harness> {
  const tp = await startTestServer(dialect, { TOUCHPOINT_PIPELINE_WORKER: 'false', ...env }, { startPipeline: false });
  return harnessOver(tp, await tp.createSource('Web shop', 'web'));
}

/** The harness restarted: a new server on the same database and clock, sending with the same source. */
export async function restartHarness(h: Harness): Promise<Harness> {
  return harnessOver(await h.tp.restart(), h.source);
}

async function harnessOver(tp: TestServer, source: { writeKey: string }): Promise<Harness> {
  tp.touchpoint.jobs.start();
  await tp.touchpoint.standing.lifecycle.prepare();
  let n = 0;
  const send = async (message: Record<string, unknown>) => {
    const response = await tp.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: basic(source.writeKey),
      payload: { batch: [{ messageId: `m${++n}-${Math.random()}`, timestamp: new Date(tp.clock.now()).toISOString(), ...message }] },
    });
    assert.equal(response.statusCode, 200, response.body);
  };
  const api: Harness['api'] = async (method, url, payload) => {
    const response = await tp.app.inject({ method, url, headers: admin(), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.body ? response.json() : undefined };
  };
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await tp.touchpoint.jobs.settle();
      await tp.touchpoint.pipeline.drain();
      await tp.touchpoint.journeys.runner.drain();
    }
  };
  return {
    tp,
    source,
    track: (userId, event, properties = {}, timestamp) =>
      send({ type: 'track', userId, event, properties, ...(timestamp !== undefined && { timestamp: new Date(timestamp).toISOString() }) }),
    identify: (userId, traits) => send({ type: 'identify', userId, traits }),
    send,
    settle,
    async advance(ms) {
      tp.clock.advance(ms);
      await settle();
    },
    api,
    async content(name, variants) {
      const r = await api('POST', '/api/content', { name, variants });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    },
    async journey(name, definition) {
      const created = await api('POST', '/api/journeys', { name, definition });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const live = await api('POST', `/api/journeys/${created.body.id}/status`, { status: 'live' });
      assert.equal(live.status, 200, JSON.stringify(live.body));
      return created.body.id;
    },
    async messages(query = '') {
      const r = await api('GET', `/api/messages?limit=500${query}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.messages;
    },
    async profileOf(userId) {
      const r = await api('GET', `/api/profiles/lookup?kind=userId&value=${encodeURIComponent(userId)}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.id;
    },
    dispose: () => tp.dispose(),
  };
}
