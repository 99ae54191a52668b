/**
 * npm run simulate — the contact-pressure simulation (docs/policy.md, "The
 * contact-pressure simulation"): a brand's customers shop, sign up, get
 * messages and react to them, through the real engine with a manual clock;
 * once with no contact policy and once with the policy, side by side (two
 * worker threads, one per run). Seeded: the same flags print the same figures.
 *
 *   npm run simulate -- --customers 10000 --weeks 8 --seed 1
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { formatReport } from './report.js';
import { sideBySide } from './side-by-side.js';

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

const began = performance.now();
console.error(
  `simulating ${options.customers} customers for ${options.weeks} weeks (seed ${options.seed}), with no policy and with the policy side by side...`,
);
const { none, policy } = await sideBySide(options, (arm, day) => {
  if (day % 7 === 0) console.error(`  ${arm === 'none' ? 'no policy' : 'policy'}: week ${day / 7} of ${options.weeks} simulated`);
});
const wallSeconds = (performance.now() - began) / 1000;
console.log(
  formatReport(
    { none: none.result, policy: policy.result },
    {
      seed: options.seed,
      wallSeconds,
      armSeconds: { 'no policy': none.seconds, policy: policy.seconds },
      load: loadavg()
        .map((l) => l.toFixed(1))
        .join(' '),
    },
  ),
);
