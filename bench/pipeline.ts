/**
 * npm run bench:pipeline — does the pipeline keep pace with the tracking API?
 * In one run, on SQLite (or on PostgreSQL when TOUCHPOINT_TEST_DATABASE_URL
 * is set): the tracking API alone beside raw multi-row inserts of the same
 * rows; the pipeline with no segment and with 100; a sustained run at half the
 * measured tracking rate with the pipeline in the server (lag, ack-to-entry);
 * a back-fill of one segment over many profiles beside one raw scan.
 */
import { Worker } from 'node:worker_threads';
import { loadConfig } from '../src/config.js';
import { createServer, type openTouchpoint } from '../src/main.js';
import type { ClientJob, ClientResult } from './lib/client.js';
import { backfillBench } from './lib/backfill.js';
import { rawInsertRate } from './lib/raw-insert.js';
import { touchpointWithSegments } from './lib/segments.js';
import { freshStore, percentile, rate, removeStores, storeKind } from './lib/stores.js';
import { sessionEvent } from './workload.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 60_000);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 4_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const PROFILES = Number(process.env.BENCH_PROFILES ?? 1_000_000);
/** The sustained run's senders: mostly people seen before, as a brand's traffic is, and a new one in every request (the probe). */
const SUSTAINED_PEOPLE = Number(process.env.BENCH_SUSTAINED_PEOPLE ?? 20_000);
const BATCH = 100;
const CLIENTS = 8;
const kind = storeKind();
const settings = { TOUCHPOINT_LOG_LEVEL: 'silent' };

function runClient(job: ClientJob): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./lib/client.js', import.meta.url), { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** Events/s acknowledged by POST /v1/batch with no pipeline running. */
async function trackingApi() {
  const store = await freshStore('api');
  const server = await createServer(loadConfig({ TOUCHPOINT_DATABASE_URL: store.url, ...settings }), { startPipeline: false });
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const source = await server.touchpoint.sources.create({ name: 'bench', channel: 'web' });
  const result = await runClient({
    url,
    writeKey: source.writeKey,
    batchSize: BATCH,
    concurrency: CLIENTS,
    requests: EVENTS / BATCH,
    people: PEOPLE,
    run: 'api',
    at: Date.now() - 3_600_000,
  });
  const stored = (await server.touchpoint.log.query({ sourceId: source.id, limit: EVENTS + 1 })).length;
  await server.close();
  await store.cleanup();
  if (stored !== EVENTS || result.failed > 0) throw new Error(`expected ${EVENTS} stored events, found ${stored} (${result.failed} requests failed)`);
  const sorted = result.latencies.sort((a, b) => a - b);
  return { perSecond: EVENTS / result.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/**
 * Events/s through identity, profile and standing (default lifecycle and
 * `segments` segments), the events logged beforehand: on a fresh base (every
 * person new), then on a warm one (the same people again, their memberships
 * in place), which is what a brand's stream looks like most of the time.
 */
async function pipelineRate(segments: number): Promise<{ fresh: number; warm: number }> {
  const store = await freshStore(`pipeline-${segments}`);
  const { tp, source } = await touchpointWithSegments(store.url, segments);
  const at = Date.now() - 3_600_000;
  const timed = async (from: number) => {
    for (let n = from; n < from + EVENTS; n += 1000)
      await tp.ingest.ingest(
        source,
        Array.from({ length: 1000 }, (_, i) => sessionEvent({ people: PEOPLE, run: 'p' }, n + i, at + n + i)),
      );
    const started = performance.now();
    await tp.pipeline.drain();
    return EVENTS / ((performance.now() - started) / 1000);
  };
  const fresh = await timed(0);
  const warm = await timed(EVENTS);
  await tp.close();
  await store.cleanup();
  return { fresh, warm };
}

/** Clients send at `perSecond` events/s for SECONDS with the pipeline in the server; lag sampled every 100 ms; probes time ack-to-entry. */
async function sustained(perSecond: number) {
  const store = await freshStore('sustained');
  const server = await createServer(loadConfig({ TOUCHPOINT_DATABASE_URL: store.url, ...settings }));
  const tp = server.touchpoint;
  const { id: probes } = await tp.standing.segments.create({ name: 'Probes', condition: { trait: 'probe', op: 'eq', value: true } });
  await tp.jobs.settle();
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const source = await tp.sources.create({ name: 'bench', channel: 'web' });
  const lags: number[] = [];
  const sampling = setInterval(() => void tp.pipeline.status().then((s) => lags.push(s.lagSeconds)), 100);
  const startedAt = (await tp.pipeline.status()).position;
  const result = await runClient({
    url,
    writeKey: source.writeKey,
    batchSize: BATCH,
    concurrency: CLIENTS,
    perSecond: perSecond / BATCH,
    seconds: SECONDS,
    people: SUSTAINED_PEOPLE,
    run: 'live',
    at: Date.now(),
  });
  clearInterval(sampling);
  const processed = (await tp.pipeline.status()).position - startedAt;
  await tp.pipeline.drain();
  const entries = await probeEntries(tp, probes, result.probes);
  await server.close();
  await store.cleanup();
  const sorted = lags.sort((a, b) => a - b);
  return {
    processed: processed / result.seconds,
    sent: (result.sent * BATCH) / result.seconds,
    failed: result.failed,
    lagP50: percentile(sorted, 50),
    lagP99: percentile(sorted, 99),
    entryP50: percentile(entries, 50),
    entryP99: percentile(entries, 99),
    entries: entries.length,
  };
}

async function probeEntries(tp: Awaited<ReturnType<typeof openTouchpoint>>, segment: string, probes: { userId: string; ackedAt: number }[]): Promise<number[]> {
  const acked = new Map(probes.map((p) => [p.userId, p.ackedAt]));
  const latencies: number[] = [];
  for (let after = 0; ; ) {
    const changes = await tp.standing.segments.changes(segment, 1000, after);
    if (changes.length === 0) break;
    const ids = await tp.identity.identitiesOfMany(changes.map((c) => c.profileId));
    for (const change of changes) {
      const userId = ids.get(change.profileId)?.find((i) => i.kind === 'userId')?.value;
      const ackedAt = userId === undefined ? undefined : acked.get(userId);
      if (ackedAt !== undefined && change.recordedAt !== null) latencies.push(Math.max(0, change.recordedAt - ackedAt));
    }
    after = changes[changes.length - 1]!.id;
  }
  return latencies.sort((a, b) => a - b);
}

/** BENCH_PARTS=api,pipeline,sustained,backfill (default: all) runs some of them; the pipeline and sustained parts need the api part's figure. */
const parts = new Set((process.env.BENCH_PARTS ?? 'api,pipeline,sustained,backfill').split(','));

try {
  console.log(
    `pipeline benchmark on ${kind}: ${rate(EVENTS)} events of ${rate(PEOPLE)} people in web sessions (page, identify, product views, add to cart, orders)`,
  );
  const raw = await rawInsertRate(kind, EVENTS, BATCH, CLIENTS);
  const api = await trackingApi();
  console.log(`  raw multi-row inserts (${BATCH} rows, ${CLIENTS} writers)  ${rate(raw).padStart(8)} events/s`);
  const ack = `ack p50 ${api.p50.toFixed(1)} ms  p99 ${api.p99.toFixed(1)} ms`;
  console.log(
    `  tracking API alone (POST /v1/batch)        ${rate(api.perSecond).padStart(8)} events/s   ratio to raw ${(api.perSecond / raw).toFixed(2)}   ${ack}`,
  );
  if (parts.has('pipeline')) {
    const none = await pipelineRate(0);
    const hundred = await pipelineRate(100);
    for (const base of ['warm', 'fresh'] as const) {
      const [zero, full] = [none[base], hundred[base]];
      console.log(
        `  pipeline, ${base} base, 0 segments    ${rate(zero).padStart(8)} events/s   ratio to the tracking API ${(zero / api.perSecond).toFixed(2)}`,
      );
      console.log(`  pipeline, ${base} base, 100 segments  ${rate(full).padStart(8)} events/s   ratio to 0 segments ${(full / zero).toFixed(2)}`);
    }
  }
  if (parts.has('sustained')) {
    const live = await sustained(api.perSecond / 2);
    console.log(
      `  sustained ${SECONDS} s at half the tracking rate (${rate(live.sent)} events/s sent, ${live.failed} failed requests), pipeline in the server's worker thread:`,
    );
    console.log(`    pipeline processed       ${rate(live.processed)} events/s during the run (log positions, clock ticks and derived events included)`);
    console.log(`    pipeline lag             p50 ${(live.lagP50 * 1000).toFixed(0)} ms   p99 ${(live.lagP99 * 1000).toFixed(0)} ms`);
    console.log(`    ack to segment entry     p50 ${live.entryP50.toFixed(0)} ms   p99 ${live.entryP99.toFixed(0)} ms   (${rate(live.entries)} entries)`);
  }
  if (parts.has('backfill')) {
    const fill = await backfillBench(await freshStore('backfill'), kind, PROFILES);
    console.log(
      `  back-fill of one new segment over ${rate(PROFILES)} profiles: ${fill.seconds.toFixed(1)} s (${rate(PROFILES / fill.seconds)} profiles/s, ${rate(fill.members)} members)`,
    );
    console.log(
      `  raw scan of the same table (select + JSON.parse): ${fill.scanSeconds.toFixed(1)} s   back-fill / scan ${(fill.seconds / fill.scanSeconds).toFixed(2)}`,
    );
  }
} finally {
  removeStores();
}
