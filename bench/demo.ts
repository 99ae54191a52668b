/**
 * npm run bench:demo — the demo's generation (`touchpoint demo`'s default:
 * 20,000 customers, 90 days) timed beside a baseline in the same run: the
 * same events ingested and drained through the pipeline with no lifecycle
 * model of the demo's, no segments, content, policy or journeys (so nothing
 * goes out and nothing is answered). Prints both, their ratio, and where the
 * time went. BENCH_DEMO_CUSTOMERS and BENCH_DEMO_DAYS make it smaller.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openGenerationServer } from '../src/cli/demo-engine.js';
import { loadConfig } from '../src/config.js';
import { createDemoPlan, generateHistory, setUpBrand, windowEnd } from '../src/demo/index.js';

const CUSTOMERS = Number(process.env.BENCH_DEMO_CUSTOMERS ?? 20_000);
const DAYS = Number(process.env.BENCH_DEMO_DAYS ?? 90);
const SEED = 1;
const TOKEN = 'bench-demo-admin-token-0123456789';

async function run(label: string, brand: boolean): Promise<{ seconds: number; events: number; messages: number; timings: Record<string, number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tp-bench-demo-'));
  try {
    const config = loadConfig({
      TOUCHPOINT_DATABASE_URL: `sqlite:${join(dir, 'touchpoint.db')}`,
      TOUCHPOINT_ADMIN_TOKEN: TOKEN,
      TOUCHPOINT_SQLITE_SYNCHRONOUS: 'normal',
      TOUCHPOINT_LOG_LEVEL: 'silent',
      TOUCHPOINT_TIMEZONE: 'Europe/Paris',
    });
    const began = performance.now();
    const plan = createDemoPlan({ seed: SEED, customers: CUSTOMERS, days: DAYS, end: windowEnd(Date.now()) });
    const { server, engine } = await openGenerationServer(config, { seed: SEED, start: plan.start - 3_600_000 });
    try {
      const sources = await setUpBrand(engine, { journeys: brand });
      const summary = await generateHistory(engine, plan, sources, {
        stepsPerDay: 4,
        answers: brand,
        onProgress: (p) => {
          if (p.day % 10 === 0) process.stderr.write(`  ${label}: day ${p.day}/${p.days}, ${p.events} events\n`);
        },
      });
      return { seconds: (performance.now() - began) / 1000, events: summary.events, messages: summary.messages, timings: summary.timings };
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rate = (n: number) => Math.round(n).toLocaleString('en');
const where = (t: Record<string, number>) =>
  Object.entries(t)
    .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
    .join(', ');

console.log(
  `npm run bench:demo: ${rate(CUSTOMERS)} customers, ${DAYS} days, seed ${SEED} (embedded SQLite; the generation commits with synchronous=off, as touchpoint demo does)`,
);
const baseline = await run('baseline', false);
const demo = await run('demo', true);
console.log(
  `  baseline: the events through the collect door and the pipeline, no brand set-up   ${baseline.seconds.toFixed(1)} s   ${rate(baseline.events / baseline.seconds)} events/s`,
);
console.log(`            ${where(baseline.timings)}`);
console.log(
  `  demo: lifecycle, segments, policy, journeys, answers                                ${demo.seconds.toFixed(1)} s   ${rate(demo.events / demo.seconds)} events/s   ${rate(demo.messages)} messages   ratio to baseline ${(demo.seconds / baseline.seconds).toFixed(2)}`,
);
console.log(`            ${where(demo.timings)}`);
