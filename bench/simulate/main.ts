/**
 * npm run simulate — the contact-pressure simulation (docs/policy.md, "The
 * contact-pressure simulation"): a brand's customers shop, sign up, get
 * messages and react to them, through the real engine with a manual clock;
 * once with no contact policy and once with the policy, side by side (two
 * worker threads, one per run). Seeded: the same flags print the same figures.
 *
 *   npm run simulate -- --customers 10000 --weeks 8 --seed 1
 */
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { formatReport } from './report.js';
import type { Arm, ArmResult, RunOptions } from './run.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '10000' },
    weeks: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
  },
});
const positive = (name: string, value: string | undefined) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
};
const options = { customers: positive('customers', values.customers), weeks: positive('weeks', values.weeks), seed: positive('seed', values.seed) };

function inWorker(arm: Arm): Promise<{ result: ArmResult; seconds: number }> {
  const job: Omit<RunOptions, 'progress'> = { arm, ...options };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./arm.js', import.meta.url), { workerData: job });
    worker.on('message', (m: { kind: 'progress'; day: number } | { kind: 'result'; result: ArmResult; seconds: number }) => {
      if (m.kind === 'result') resolve(m);
      else if (m.day % 7 === 0) console.error(`  ${arm === 'none' ? 'no policy' : 'policy'}: week ${m.day / 7} of ${options.weeks} simulated`);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the ${arm} run stopped with exit code ${code}`)));
  });
}

const began = performance.now();
console.error(
  `simulating ${options.customers} customers for ${options.weeks} weeks (seed ${options.seed}), with no policy and with the policy side by side...`,
);
const [none, policy] = await Promise.all([inWorker('none'), inWorker('policy')]);
const wallSeconds = (performance.now() - began) / 1000;
console.log(
  formatReport(
    { none: none.result, policy: policy.result },
    { seed: options.seed, wallSeconds, armSeconds: { 'no policy': none.seconds, policy: policy.seconds } },
  ),
);
