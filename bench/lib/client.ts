/**
 * Load generator, in a worker thread so that it does not share the server's
 * event loop. Closed loop (as fast as the server answers) or open loop (a
 * fixed rate of requests). In the open loop each request carries a probe: an
 * identify of a new user who enters the "Probes" segment, to time
 * acknowledgement-to-entry.
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
// An open loop stands for many independent senders: it is not held to `concurrency` connections.
const agent = new Agent({ keepAlive: true, maxSockets: job.requests === undefined ? 256 : job.concurrency });
const target = new URL('/v1/batch', job.url);
const auth = `Basic ${Buffer.from(`${job.writeKey}:`).toString('base64')}`;
const now = () => performance.timeOrigin + performance.now();
const event = (n: number) => sessionEvent({ people: job.people, run: job.run }, n, job.at + n);

function send(payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const headers = { authorization: auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
    const req = request(target, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const result: ClientResult = { seconds: 0, latencies: [], sent: 0, failed: 0, probes: [] };

async function one(payload: string, probe?: string): Promise<void> {
  try {
    result.latencies.push(await send(payload));
    result.sent++;
    if (probe) result.probes.push({ userId: probe, ackedAt: now() });
  } catch {
    result.failed++;
  }
}

/** As fast as the server answers, `concurrency` requests at a time; bodies are made before the clock starts. */
async function closedLoop(requests: number): Promise<void> {
  const bodies = Array.from({ length: requests }, (_, r) =>
    JSON.stringify({ batch: Array.from({ length: job.batchSize }, (_, i) => event(r * job.batchSize + i)) }),
  );
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < bodies.length) await one(bodies[next++]!);
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
}

/**
 * A fixed rate. A few hundred bodies are made before the clock starts and
 * sent again and again without their messageIds (the server gives each
 * message one), so that making bodies does not take the server's CPU; each
 * request's probe is a new user.
 */
async function openLoop(perSecond: number, seconds: number): Promise<void> {
  const marker = '"__probe__"';
  const bodies = Array.from({ length: 500 }, (_, r) => {
    const batch = Array.from({ length: job.batchSize - 1 }, (_, i) => {
      const { messageId: _id, ...message } = event(r * job.batchSize + i);
      return message;
    });
    return JSON.stringify({ batch: [...batch, '__probe__'] });
  });
  const total = Math.round(perSecond * seconds);
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  for (let r = 0; r < total; r++) {
    const wait = started + (r / perSecond) * 1000 - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const userId = `probe-${job.run}-${r}`;
    const payload = bodies[r % bodies.length]!.replace(marker, JSON.stringify({ type: 'identify', userId, traits: { probe: true } }));
    const sent = one(payload, userId).finally(() => inFlight.delete(sent));
    inFlight.add(sent);
    if (inFlight.size >= 256) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  result.seconds = (performance.now() - started) / 1000;
}

if (job.requests !== undefined) await closedLoop(job.requests);
else await openLoop(job.perSecond!, job.seconds!);
parentPort!.postMessage(result);
agent.destroy();
