/**
 * npm run bench:attribution — what do the attribution models cost beside
 * reading the paths at all? BENCH_PATHS (1,000,000) customers' paths are
 * made from a seed over 20 channels: lengths 1 to 8, short ones commonest,
 * popular channels touched more, a channel sometimes touched twice in a
 * row, about 5% converting with a value. Timed, best of BENCH_RUNS (3):
 *
 * (a) the aggregation pass a real run makes first: identical paths become
 *     one row, their conversions, nulls and value summed (the baseline);
 * (b) that pass and then every model (attributeAll: five rules, Markov,
 *     Shapley in closed form).
 *
 * Target: (b) under 5 s and within 3x of (a). Then the same models on
 * ChannelAttribution's example table (/work/shared/data/PathData.csv, or
 * BENCH_PATH_TABLE), when that file is there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  aggregatePaths,
  attributeAll,
  describeShapleyMethod,
  firstTouch,
  lastTouch,
  linearTouch,
  markovModel,
  parsePathTable,
  positionBased,
  shapleyModel,
  timeDecay,
  type CustomerPath,
  type PathRow,
} from '../src/analytics/index.js';
import { seededRandom, type Random } from '../src/random.js';

const PATHS = Number(process.env.BENCH_PATHS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TABLE = process.env.BENCH_PATH_TABLE ?? '/work/shared/data/PathData.csv';
const CHANNELS = ['search', 'email', 'social', 'display', 'web', 'app', 'store', 'sms', 'push', 'affiliate'].flatMap((c) => [c, `${c}_retarget`]);
const TARGET = { seconds: 5, ratio: 3 };

/** Channel i is chosen in proportion to 1 / (i + 1), as popularity tends to run. */
function channelPicker(random: Random): () => string {
  const total = CHANNELS.reduce((sum, _, i) => sum + 1 / (i + 1), 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (let i = 0; i < CHANNELS.length; i++) {
    sum += 1 / (i + 1) / total;
    cumulative.push(sum);
  }
  return () => {
    const r = random();
    const i = cumulative.findIndex((c) => r < c);
    return CHANNELS[i === -1 ? CHANNELS.length - 1 : i]!;
  };
}

function makePaths(count: number, random: Random): CustomerPath[] {
  const pick = channelPicker(random);
  return Array.from({ length: count }, () => {
    // 1 to 8 touches, each length about 0.7 times as common as the one before.
    let length = 1;
    while (length < 8 && random() < 0.55) length++;
    const channels: string[] = [];
    for (let i = 0; i < length; i++) channels.push(i > 0 && random() < 0.2 ? channels[i - 1]! : pick());
    // Longer paths convert a little more often: about 5% overall.
    const converted = random() < 0.025 + 0.012 * length;
    return { channels, converted, value: converted ? Math.round((15 + 200 * random() ** 2) * 100) / 100 : 0 };
  });
}

function best<T>(work: () => T): { seconds: number; result: T } {
  let seconds = Number.POSITIVE_INFINITY;
  let result: T | undefined;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    result = work();
    seconds = Math.min(seconds, (performance.now() - started) / 1000);
  }
  return { seconds, result: result! };
}

function eachModel(rows: PathRow[]): string {
  const timed = (name: string, work: () => unknown) => `${name} ${(best(work).seconds * 1000).toFixed(0)} ms`;
  return [
    timed('first', () => firstTouch(rows)),
    timed('last', () => lastTouch(rows)),
    timed('linear', () => linearTouch(rows)),
    timed('position', () => positionBased(rows)),
    timed('decay', () => timeDecay(rows, 2)),
    timed('markov', () => markovModel(rows)),
    timed('shapley', () => shapleyModel(rows)),
  ].join(', ');
}

const s = (seconds: number) => `${seconds.toFixed(3)} s`;

const raw = makePaths(PATHS, seededRandom(20_251_130));
// The JIT sees every function once before anything is timed.
attributeAll(aggregatePaths(raw.slice(0, 20_000)));
const aggregation = best(() => aggregatePaths(raw));
const all = best(() => attributeAll(aggregatePaths(raw)));
const rows = aggregation.result;
const report = all.result;
const ratio = all.seconds / aggregation.seconds;
const met = all.seconds < TARGET.seconds && ratio <= TARGET.ratio;

console.log(
  `attribution benchmark: ${PATHS.toLocaleString('en')} customers' paths over ${CHANNELS.length} channels -> ${rows.length.toLocaleString('en')} distinct paths, ${report.totals.conversions.toLocaleString('en')} conversions (${((100 * report.totals.conversions) / PATHS).toFixed(1)}%); best of ${RUNS}`,
);
console.log(`  (a) aggregation pass                  ${s(aggregation.seconds)}`);
console.log(`  (b) aggregation + all seven models    ${s(all.seconds)}`);
console.log(`  ratio (b) / (a)                       ${ratio.toFixed(2)}`);
console.log(`  target: (b) under ${TARGET.seconds} s and within ${TARGET.ratio}x of (a): ${met ? 'met' : 'NOT MET'}`);
console.log(`  each model on the ${rows.length.toLocaleString('en')} rows: ${eachModel(rows)}`);
console.log(`  shapley: ${describeShapleyMethod(report.models.shapley.method)}`);
// Other work on the machine slows both figures; the ratio holds better than either.
const load = loadavg().map((l) => l.toFixed(2));
console.log(`  (load average ${load.join(' ')})`);

if (existsSync(TABLE)) {
  const text = readFileSync(TABLE, 'utf8');
  const parsed = best(() => parsePathTable(text));
  const models = best(() => attributeAll(parsed.result));
  console.log(
    `${TABLE}: ${parsed.result.length.toLocaleString('en')} paths, ${models.result.channels.length} channels: parse ${s(parsed.seconds)}, all models ${s(models.seconds)}`,
  );
  console.log(`  each model: ${eachModel(parsed.result)}`);
} else {
  console.log(`${TABLE} is not here: the example table's part was not run (set BENCH_PATH_TABLE to a path table to run it).`);
}
