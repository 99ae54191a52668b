/**
 * npm run bench:journeys — how soon does a journey act, and how fast do its
 * timers fire? In one run, on SQLite (or on PostgreSQL when
 * TOUCHPOINT_TEST_DATABASE_URL is set):
 *
 * 1. Event -> message: the tracking API's ack rate measured alone, then a
 *    server (pipeline and journeys runner in its worker thread) that gets
 *    triggers at a steady rate, first alone, then for BENCH_SECONDS beside web
 *    traffic at BENCH_LOAD (half) of that rate: a track event that enters an
 *    event journey, an identify that enters a segment that enters a segment
 *    journey, both sending an email at once, and a journey that waits 1.2 s
 *    before its email (a timer on the real clock). Each trigger is timed from
 *    its acknowledgement to its message in the outbox (GET /api/outbox, read
 *    every few ms).
 * 2. Timers: BENCH_TIMERS customers waiting in a journey, made due at once by
 *    a manual clock, and the rate the runner moves them on, beside the same
 *    number of single-row updates of the same rows by the driver alone.
 */
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { createServer, type Server } from '../src/main.js';
import type { ClientJob, ClientResult } from './lib/client.js';
import type { Trigger, TriggerJob, TriggerKind, TriggerResult } from './lib/journey-triggers.js';
import { freshStore, percentile, rate, removeStores, storeKind, type BenchStore } from './lib/stores.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const QUIET_SECONDS = 5;
/** The background load, as a share of the tracking API's measured rate. */
const LOAD = Number(process.env.BENCH_LOAD ?? 0.5);
const TRIGGERS_PER_SECOND = Number(process.env.BENCH_TRIGGERS ?? 20);
const TIMERS = Number(process.env.BENCH_TIMERS ?? 100_000);
/** Events of the short closed-loop run that measures the tracking API's ack rate. */
const API_EVENTS = Number(process.env.BENCH_API_EVENTS ?? 30_000);
const SUSTAINED_PEOPLE = 20_000;
const POLL_MS = 5;
const BATCH = 100;
const CLIENTS = 8;
const WAIT_MINUTES = 10;
/** The real-clock timer: 0.02 minutes. */
const TIMER_MS = 1_200;
const AIM_MS = { message: 100, timer: 1_000 };
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const kind = storeKind();
const settings = { TOUCHPOINT_LOG_LEVEL: 'silent', TOUCHPOINT_ADMIN_TOKEN: ADMIN_TOKEN };

const CONTENT = {
  name: 'Bench email',
  variants: { email: { subject: 'Hello {{ profile.traits.firstName }}', html: '<p>Hello {{ profile.traits.firstName }}</p>' } },
};
const send = (id: string) => ({ id, send: { channel: 'email', content: CONTENT.name } });
const JOURNEYS: Record<TriggerKind, { name: string; definition: unknown }> = {
  event: { name: 'Bench event', definition: { entry: { event: { name: 'Bench Trigger' } }, steps: [send('mail')] } },
  segment: { name: 'Bench segment', definition: { entry: { segment: { name: 'Platinum' } }, steps: [send('mail')] } },
  timer: {
    name: 'Bench timer',
    definition: { entry: { event: { name: 'Bench Timer' } }, steps: [{ id: 'wait', wait: { minutes: TIMER_MS / 60_000 }, next: 'mail' }, send('mail')] },
  },
};

function inWorker<T>(file: string, job: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(file, import.meta.url), { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

const ms = (n: number) => `${n < 10 ? n.toFixed(1) : n.toFixed(0)} ms`;
const sortedOf = (values: number[]) => [...values].sort((a, b) => a - b);
const spread = (sorted: number[]) => `p50 ${ms(percentile(sorted, 50)).padStart(8)}   p99 ${ms(percentile(sorted, 99)).padStart(8)}`;

async function api(server: Server, method: 'GET' | 'POST', url: string, payload?: object): Promise<{ id: string }> {
  const response = await server.app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, ...(payload && { payload }) });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** Content, the segment and the journeys, made live through the API; returns the journey ids. */
async function setUp<K extends string>(server: Server, journeys: Record<K, { name: string; definition: unknown }>): Promise<Record<K, string>> {
  await api(server, 'POST', '/api/content', CONTENT);
  await api(server, 'POST', '/api/segments', { name: 'Platinum', condition: { trait: 'tier', op: 'eq', value: 'platinum' } });
  const ids = {} as Record<K, string>;
  for (const k of Object.keys(journeys) as K[]) {
    ids[k] = (await api(server, 'POST', '/api/journeys', journeys[k])).id;
    await api(server, 'POST', `/api/journeys/${ids[k]}/status`, { status: 'live' });
  }
  await server.touchpoint.jobs.settle();
  return ids;
}

/** Someone a journey may email: an address and consent. */
const reachable = (userId: string, extra: Record<string, unknown> = {}) => ({
  type: 'identify',
  userId,
  traits: { email: `${userId}@example.com`, firstName: userId, consent: { email: 'granted' }, ...extra },
});

/** Events/s acknowledged by POST /v1/batch with no pipeline running (as bench:pipeline measures it, shorter). */
async function trackingApi() {
  const store = await freshStore('journeys-api');
  const server = await createServer(loadConfig({ TOUCHPOINT_DATABASE_URL: store.url, ...settings }), { startPipeline: false });
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const source = await server.touchpoint.sources.create({ name: 'bench', channel: 'web' });
  const job: ClientJob = {
    url,
    writeKey: source.writeKey,
    batchSize: BATCH,
    concurrency: CLIENTS,
    requests: API_EVENTS / BATCH,
    people: 4_000,
    run: 'api',
    at: Date.now() - 3_600_000,
  };
  const result = await inWorker<ClientResult>('./lib/client.js', job);
  await server.close();
  await store.cleanup();
  if (result.failed > 0) throw new Error(`${result.failed} requests failed`);
  const sorted = sortedOf(result.latencies);
  return { perSecond: API_EVENTS / result.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

type Stats = Awaited<ReturnType<Server['touchpoint']['journeys']['stats']>>['stats'];

/** The users a phase triggers: each once, known beforehand. */
function triggerUsers(phase: string, seconds: number): Record<TriggerKind, string[]> {
  const count = (k: TriggerKind) => Math.round((k === 'timer' ? 1 : TRIGGERS_PER_SECOND) * seconds);
  const users = (k: TriggerKind) => Array.from({ length: count(k) }, (_, i) => `${phase}-${k}-${i}`);
  return { event: users('event'), segment: users('segment'), timer: users('timer') };
}

/**
 * Part 1: one server (pipeline and journeys runner in its worker thread).
 * Triggers first with nothing else going on (QUIET_SECONDS), then for
 * SECONDS beside web traffic at `perSecond`; each trigger timed from its
 * acknowledgement to its message in the outbox.
 */
async function eventToMessage(perSecond: number) {
  const store = await freshStore('journeys-live');
  const server = await createServer(loadConfig({ TOUCHPOINT_DATABASE_URL: store.url, ...settings }));
  const tp = server.touchpoint;
  try {
    const journeys = await setUp(server, JOURNEYS);
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const source = await tp.sources.create({ name: 'bench', channel: 'web' });
    const phases = { quiet: triggerUsers('quiet', QUIET_SECONDS), load: triggerUsers('load', SECONDS) };
    // Everyone triggered is known beforehand, with an address and consent: the message is sent.
    const everyone = [...Object.values(phases.quiet), ...Object.values(phases.load)].flat();
    for (let i = 0; i < everyone.length; i += BATCH)
      await tp.ingest.ingest(
        source,
        everyone.slice(i, i + BATCH).map((u) => reachable(u, { tier: 'silver' })),
      );
    await tp.pipeline.drain();
    const profiles: Record<string, string> = {};
    for (const u of everyone) profiles[u] = (await tp.identity.owner('userId', u)) ?? '';
    if (Object.values(profiles).some((p) => p === '')) throw new Error('a trigger user has no profile');
    const triggerJob = (users: Record<TriggerKind, string[]>, seconds: number): TriggerJob => ({
      url,
      writeKey: source.writeKey,
      adminToken: ADMIN_TOKEN,
      perSecond: TRIGGERS_PER_SECOND,
      timersPerSecond: 1,
      seconds,
      graceMs: 30_000,
      pollMs: POLL_MS,
      users,
      journeys,
      profiles,
    });

    const quiet = await inWorker<TriggerResult>('./lib/journey-triggers.js', triggerJob(phases.quiet, QUIET_SECONDS));
    const lags: number[] = [];
    const sampling = setInterval(() => void tp.pipeline.status().then((s) => lags.push(s.lagSeconds * 1000)), 100);
    const startedAt = (await tp.pipeline.status()).position;
    const load: ClientJob = {
      url,
      writeKey: source.writeKey,
      batchSize: BATCH,
      concurrency: CLIENTS,
      perSecond: perSecond / BATCH,
      seconds: SECONDS,
      people: SUSTAINED_PEOPLE,
      run: 'live',
      at: Date.now(),
    };
    const [background, loaded] = await Promise.all([
      inWorker<ClientResult>('./lib/client.js', load),
      inWorker<TriggerResult>('./lib/journey-triggers.js', triggerJob(phases.load, SECONDS)),
    ]);
    clearInterval(sampling);
    const processed = ((await tp.pipeline.status()).position - startedAt) / background.seconds;
    const entered = await tp.journeys.enrolments(journeys.timer, { limit: 500 });
    const enteredAt = new Map(entered.map((e) => [e.profileId, e.enteredAt]));
    const stats: Partial<Record<TriggerKind, Stats>> = {};
    for (const k of Object.keys(journeys) as TriggerKind[]) stats[k] = (await tp.journeys.stats(journeys[k])).stats;
    return { quiet, loaded, background, lags: sortedOf(lags), processed, enteredAt, stats };
  } finally {
    await server.close();
    await store.cleanup();
  }
}

/** One phase's figures: (a), (b) beside the trigger acks, and the real-clock timer. */
function reportTriggers(result: TriggerResult, enteredAt: Map<string, number>): void {
  const ack = sortedOf(result.triggers.map((t) => t.ackMs));
  console.log(`    ack of a trigger (1 event)      ${spread(ack)}   (${result.failed} failed)`);
  console.log(`    outbox read (GET /api/outbox)   ${spread(sortedOf(result.pollMs))}   (${rate(result.polls)} reads)`);
  for (const [k, label] of [
    ['event', '(a) track event -> message  '],
    ['segment', '(b) segment entry -> message '],
  ] as const) {
    const mine = result.triggers.filter((t) => t.kind === k);
    const seen = mine.filter((t) => t.seenAt !== undefined);
    const latencies = sortedOf(seen.map((t) => Math.max(0, t.seenAt! - t.ackedAt)));
    const p99 = percentile(latencies, 99);
    const sent = seen.filter((t) => t.status === 'sent').length;
    // The runner stamps a message with the time its cycle began: what comes after is the cycle, its commit and the outbox read.
    const planned = sortedOf(seen.map((t) => Math.max(0, t.requestedAt! - t.ackedAt)));
    console.log(
      `    ${label} ${spread(latencies)}   max ${ms(latencies[latencies.length - 1] ?? Number.NaN).padStart(8)}   ` +
        `p99 / ack p99 ${(p99 / percentile(ack, 99)).toFixed(1)}   ${sent}/${mine.length} sent   ` +
        `aim p99 < ${AIM_MS.message} ms: ${seen.length === mine.length && p99 < AIM_MS.message ? 'met' : 'MISSED'}`,
    );
    console.log(`        of which ack -> the runner cycle that sent it began  ${spread(planned)}`);
  }
  const timers = result.triggers.filter((t) => t.kind === 'timer');
  const seen = timers.filter((t) => t.seenAt !== undefined);
  const dueOf = (t: Trigger) => (enteredAt.get(t.profileId) ?? Number.NaN) + TIMER_MS;
  const late = sortedOf(seen.map((t) => t.seenAt! - dueOf(t)));
  const run = sortedOf(seen.map((t) => t.requestedAt! - dueOf(t)));
  const worst = late[late.length - 1] ?? Number.NaN;
  console.log(
    `    timer (wait ${TIMER_MS / 1000} s): due -> message seen  p50 ${ms(percentile(late, 50))}   max ${ms(worst)}   ` +
      `(runner cycle began p50 ${ms(percentile(run, 50))}, max ${ms(run[run.length - 1] ?? Number.NaN)} after due; ${seen.length}/${timers.length} seen)   ` +
      `aim < ${AIM_MS.timer} ms: ${seen.length === timers.length && worst < AIM_MS.timer ? 'met' : 'MISSED'}`,
  );
}

function reportEventToMessage(live: Awaited<ReturnType<typeof eventToMessage>>, asked: number): void {
  const { background } = live;
  console.log(
    `  event -> message, pipeline and journeys runner in the server's worker thread, ${TRIGGERS_PER_SECOND} triggers/s of (a) and of (b), ` +
      `1/s of the timer, outbox read every ${POLL_MS} ms over HTTP:`,
  );
  console.log(`   quiet, ${QUIET_SECONDS} s, triggers only:`);
  reportTriggers(live.quiet, live.enteredAt);
  console.log(
    `   under load, ${SECONDS} s of web traffic at ${LOAD} of the tracking rate: ${rate(asked)} events/s asked, ` +
      `${rate((background.sent * BATCH) / background.seconds)} sent (the client waits when 256 requests are unanswered), ${background.failed} failed requests:`,
  );
  console.log(`    pipeline                        ${rate(live.processed)} events/s processed; lag ${spread(live.lags)}`);
  console.log(`    ack of a batch of ${BATCH}           ${spread(sortedOf(background.latencies))}`);
  reportTriggers(live.loaded, live.enteredAt);
  for (const [k, s] of Object.entries(live.stats))
    if (s.messages.sent !== s.entered)
      console.log(`    note: journey ${k} entered ${s.entered}, sent ${s.messages.sent}, suppressed ${JSON.stringify(s.messages.suppressed)}`);
}

/** The driver alone: one single-row update per enrolment, `batch` to a transaction, as the runner writes its batches. */
async function rawUpdates(store: BenchStore, batch: number): Promise<number> {
  const sql = 'update journey_enrolments set updated_at = updated_at + 1 where id = ';
  if (kind === 'sqlite') {
    const db = new Database(store.where);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const ids = (db.prepare('select id from journey_enrolments').all() as { id: string }[]).map((r) => r.id);
    const update = db.prepare(`${sql}?`);
    const chunk = db.transaction((part: string[]) => {
      for (const id of part) update.run(id);
    });
    const started = performance.now();
    for (let i = 0; i < ids.length; i += batch) chunk.immediate(ids.slice(i, i + batch));
    const seconds = (performance.now() - started) / 1000;
    db.close();
    return ids.length / seconds;
  }
  const client = new pg.Client({ connectionString: store.url });
  await client.connect();
  const ids = (await client.query<{ id: string }>('select id from journey_enrolments')).rows.map((r) => r.id);
  const started = performance.now();
  for (let i = 0; i < ids.length; i += batch) {
    await client.query('begin');
    for (const id of ids.slice(i, i + batch)) await client.query(`${sql}$1`, [id]);
    await client.query('commit');
  }
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return ids.length / seconds;
}

/**
 * Part 2: TIMERS customers enter a journey that waits WAIT_MINUTES and then
 * emails them; the manual clock jumps past the wait and the runner is timed
 * until nothing is due. In this process (no worker thread: the clock is this
 * thread's), the pipeline and runner drained by hand.
 */
async function timers() {
  const store = await freshStore('journeys-timers');
  const clock = createManualClock(Date.now());
  const config = loadConfig({ TOUCHPOINT_DATABASE_URL: store.url, TOUCHPOINT_PIPELINE_WORKER: 'false', ...settings });
  const server = await createServer(config, { clock, startPipeline: false });
  const tp = server.touchpoint;
  tp.jobs.start();
  await tp.standing.lifecycle.prepare();
  const journey = {
    name: 'Bench timers',
    definition: {
      entry: { segment: { name: 'Platinum' } },
      steps: [{ id: 'wait', wait: { minutes: WAIT_MINUTES }, next: 'mail' }, send('mail')],
    },
  };
  const { timers: id } = await setUp(server, { timers: journey });
  // The runner starts at the streams' heads the first time it runs: before the customers come.
  await tp.journeys.runner.drain();
  clock.advance(1_000);
  const source = await tp.sources.create({ name: 'bench', channel: 'web' });
  let started = performance.now();
  for (let i = 0; i < TIMERS; i += 1_000) {
    const messages = Array.from({ length: Math.min(1_000, TIMERS - i) }, (_, j) => ({
      ...reachable(`t${i + j}`, { tier: 'platinum' }),
      timestamp: new Date(clock.now()).toISOString(),
    }));
    await tp.ingest.ingest(source, messages);
  }
  const ingestSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  await tp.pipeline.drain();
  const pipelineSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  await tp.journeys.runner.drain();
  const enterSeconds = (performance.now() - started) / 1000;
  const waiting = (await tp.journeys.stats(id)).stats;
  clock.advance(WAIT_MINUTES * 60_000 + 1_000);
  started = performance.now();
  await tp.journeys.runner.drain();
  const dueSeconds = (performance.now() - started) / 1000;
  const done = (await tp.journeys.stats(id)).stats;
  await server.close();
  const raw = await rawUpdates(store, config.journeyBatchSize);
  await store.cleanup();
  return { ingestSeconds, pipelineSeconds, enterSeconds, dueSeconds, waiting, done, raw, batch: config.journeyBatchSize };
}

function reportTimers(t: Awaited<ReturnType<typeof timers>>): void {
  const perSecond = t.done.entered / t.dueSeconds;
  console.log(
    `  timers: ${rate(TIMERS)} customers enter a journey (segment entry) that waits ${WAIT_MINUTES} minutes, then emails them; in this process, manual clock, runner drained by hand:`,
  );
  console.log(
    `    setup: ${rate(TIMERS)} identifies logged in ${t.ingestSeconds.toFixed(1)} s, through the pipeline in ${t.pipelineSeconds.toFixed(1)} s (${rate(TIMERS / t.pipelineSeconds)} events/s), ` +
      `entered by the runner in ${t.enterSeconds.toFixed(1)} s (${rate(t.waiting.entered / t.enterSeconds)} enrolments/s); ${rate(t.waiting.active)} waiting`,
  );
  console.log(
    `    all due at once: ${rate(t.done.entered - t.done.active)} moved on in ${t.dueSeconds.toFixed(1)} s   ${rate(perSecond).padStart(8)} enrolments/s   ` +
      `(${rate(t.done.messages.sent)} sent, ${rate(t.done.ended.completed ?? 0)} completed, ${rate(t.done.active)} still active)`,
  );
  console.log(
    `    raw single-row updates of the same rows (${t.batch} a transaction)  ${rate(t.raw).padStart(8)} rows/s   runner / raw ${(perSecond / t.raw).toFixed(3)}`,
  );
}

/** BENCH_PARTS=latency,timers (default: both). */
const parts = new Set((process.env.BENCH_PARTS ?? 'latency,timers').split(','));
const began = performance.now();
try {
  // The machine's load says how much of its two cores the run had.
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(`journeys benchmark on ${kind} (load average ${load()})`);
  if (parts.has('latency')) {
    const tracking = await trackingApi();
    console.log(
      `  tracking API alone (POST /v1/batch, ${BATCH} a request, ${CLIENTS} clients)  ${rate(tracking.perSecond)} events/s   ack p50 ${ms(tracking.p50)}  p99 ${ms(tracking.p99)}`,
    );
    reportEventToMessage(await eventToMessage(tracking.perSecond * LOAD), tracking.perSecond * LOAD);
  }
  if (parts.has('timers')) {
    const started = performance.now();
    reportTimers(await timers());
    const seconds = (performance.now() - started) / 1000;
    if (seconds > 120)
      console.log(`    (this part took ${seconds.toFixed(0)} s for ${rate(TIMERS)} timers, setting them up included; BENCH_TIMERS=10000 runs it quicker)`);
  }
  console.log(`  (ran ${((performance.now() - began) / 1000).toFixed(0)} s; load average ${load()})`);
} finally {
  removeStores();
}
