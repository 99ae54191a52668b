/** Profiles the pipeline (CPU) on the benchmark's workload: node dist/bench/profile-pipeline.js [segments]. Writes /tmp/pipeline.cpuprofile. */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { touchpointWithSegments } from './lib/segments.js';
import { freshStore, removeStores } from './lib/stores.js';
import { sessionEvent } from './workload.js';

const segments = Number(process.argv[2] ?? 0);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 60_000);
const store = await freshStore('profile');
const { tp, source } = await touchpointWithSegments(store.url, segments, process.env);
const at = Date.now() - 3_600_000;
// WARM=1: the same people once before the timed run, so that it measures a warm base.
const from = process.env.WARM ? EVENTS : 0;
for (let n = 0; n < from; n += 1000)
  await tp.ingest.ingest(
    source,
    Array.from({ length: 1000 }, (_, i) => sessionEvent({ people: 4000, run: 'p' }, n + i, at + n + i)),
  );
await tp.pipeline.drain();
for (let n = from; n < from + EVENTS; n += 1000)
  await tp.ingest.ingest(
    source,
    Array.from({ length: 1000 }, (_, i) => sessionEvent({ people: 4000, run: 'p' }, n + i, at + n + i)),
  );
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const started = performance.now();
await tp.pipeline.drain();
const seconds = (performance.now() - started) / 1000;
const { profile } = await session.post('Profiler.stop');
writeFileSync('/tmp/pipeline.cpuprofile', JSON.stringify(profile));
console.log(`${segments} segments: ${EVENTS} events in ${seconds.toFixed(2)} s = ${Math.round(EVENTS / seconds)} events/s`);
await tp.close();
await store.cleanup();
removeStores();
