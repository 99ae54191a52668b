/**
 * Load generator, in a worker thread so that it does not share the server's
 * event loop. Closed loop (as fast as the server answers) or open loop (a
 * fixed rate of requests). Each request may carry a probe: an identify of a
 * new user who enters the "Probes" segment, to time ack-to-entry.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { sessionEvent } from '../workload.js';

export interface ClientJob {
  url: string;
  writeKey: string;
  batchSize: number;
  concurrency: number;
  /** Closed loop: this many requests. Open loop: requests per second, for `seconds`. */
  requests?: number;
  perSecond?: number;
  seconds?: number;
  people: number;
  run: string;
  probes: boolean;
  /** Event times start here (ms). */
  at: number;
}

export interface ClientResult {
  seconds: number;
  latencies: number[];
  sent: number;
  failed: number;
  probes: { userId: string; ackedAt: number }[];
}

const job = workerData as ClientJob;
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
const target = new URL('/v1/batch', job.url);
const auth = `Basic ${Buffer.from(`${job.writeKey}:`).toString('base64')}`;
const now = () => performance.timeOrigin + performance.now();

function body(r: number): string {
  const batch = Array.from({ length: job.batchSize }, (_, i) =>
    sessionEvent({ people: job.people, run: job.run }, r * job.batchSize + i, job.at + r * job.batchSize + i),
  );
  if (job.probes) batch[batch.length - 1] = { type: 'identify', userId: `probe-${job.run}-${r}`, messageId: `${job.run}-probe-${r}`, traits: { probe: true } };
  return JSON.stringify({ batch });
}

function send(payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      target,
      { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const result: ClientResult = { seconds: 0, latencies: [], sent: 0, failed: 0, probes: [] };
const started = performance.now();
async function one(r: number, payload: string): Promise<void> {
  try {
    result.latencies.push(await send(payload));
    result.sent++;
    if (job.probes) result.probes.push({ userId: `probe-${job.run}-${r}`, ackedAt: now() });
  } catch {
    result.failed++;
  }
}

if (job.requests !== undefined) {
  // Bodies are made before the clock starts: the benchmark measures the server.
  const bodies = Array.from({ length: job.requests }, (_, r) => body(r));
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < bodies.length) {
        const r = next++;
        await one(r, bodies[r]!);
      }
    }),
  );
  result.seconds = (performance.now() - t0) / 1000;
} else {
  const total = Math.round(job.perSecond! * job.seconds!);
  const inFlight = new Set<Promise<void>>();
  for (let r = 0; r < total; r++) {
    const due = started + (r / job.perSecond!) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const p = one(r, body(r)).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= job.concurrency * 4) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  result.seconds = (performance.now() - started) / 1000;
}
parentPort!.postMessage(result);
agent.destroy();
