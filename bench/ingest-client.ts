/** Load generator, run in a worker thread so that it does not share the server's event loop. */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { benchMessage } from './events.js';

interface Job {
  url: string;
  writeKey: string;
  requests: number;
  concurrency: number;
  batchSize: number;
  run: string;
}
const job = workerData as Job;
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
const target = new URL('/v1/batch', job.url);
const auth = `Basic ${Buffer.from(`${job.writeKey}:`).toString('base64')}`;

function send(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      target,
      { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// Bodies are made before the clock starts: the benchmark measures the server.
const bodies = Array.from({ length: job.requests }, (_, r) =>
  JSON.stringify({ batch: Array.from({ length: job.batchSize }, (_, i) => benchMessage(job.run, r * job.batchSize + i)) }),
);
let next = 0;
const latencies: number[] = [];
const started = performance.now();
await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    while (next < bodies.length) latencies.push(await send(bodies[next++]!));
  }),
);
parentPort!.postMessage({ seconds: (performance.now() - started) / 1000, latencies });
agent.destroy();
