/**
 * `touchpoint demo`: the live demo brand on the embedded store. The first
 * run generates the history (docs/demo.md) into its own folder and records
 * what it made in demo.json beside the store; later runs serve that store
 * again. Then it serves, with a trickle of live activity, until SIGINT/SIGTERM.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock } from '../clock.js';
import type { Config } from '../config.js';
import { BRAND_NAME, createDemoPlan, estimateEvents, generateHistory, setUpBrand, startTrickle, windowEnd, type DemoSource } from '../demo/index.js';
import { randomIds } from '../ids.js';
import { createLogger, createServer, type Server } from '../main.js';
import { consolePages, overviewPeriods } from './demo-pages.js';
import { countProfiles } from '../profiles/index.js';
import type { Role } from '../users/index.js';
import { configFrom, print, type CliContext } from './context.js';
import { openGenerationServer } from './demo-engine.js';
import { createDemoProgress } from './demo-progress.js';

export interface DemoOptions {
  config?: string;
  seed: string;
  customers: string;
  days: string;
  port?: string;
  host?: string;
  data: string;
  trickle: boolean;
  fresh?: boolean;
  stepsPerDay: string;
}

/** What demo.json records: the demo's parameters, credentials and what the generation made. */
interface DemoRecord {
  brand: string;
  seed: number;
  customers: number;
  days: number;
  windowEnd: string;
  generatedAt: string;
  adminToken: string;
  /** Console users, one per role, all with the same generated password. */
  users: { email: string; role: Role }[];
  password: string;
  sources: DemoSource[];
  counts: { events: number; profiles: number; messages: number; seconds: number };
}

const RECORD = 'demo.json';
const LOCK = 'demo.lock';
/** One console user per role, so that a visitor can see what each may do. */
const DEMO_USERS: { email: string; role: Role; name: string }[] = [
  { email: 'admin@demo.touchpoint.dev', role: 'admin', name: 'Demo admin' },
  { email: 'marketer@demo.touchpoint.dev', role: 'marketer', name: 'Demo marketer' },
  { email: 'analyst@demo.touchpoint.dev', role: 'analyst', name: 'Demo analyst' },
];
export const STEPS_PER_DAY_DEFAULT = '4';

function integer(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, got ${text}`);
  return n;
}

export async function demo(ctx: CliContext, options: DemoOptions): Promise<void> {
  const seed = integer('seed', options.seed, 0, 2 ** 31);
  const customers = integer('customers', options.customers, 10, 1_000_000);
  const days = integer('days', options.days, 1, 365);
  const stepsPerDay = integer('steps-per-day', options.stepsPerDay, 1, 24);
  const dir = resolve(options.data);
  const recordPath = join(dir, RECORD);
  let stopping: string | undefined;
  let generating = false;
  void ctx.stopSignal.then((signal) => {
    stopping = signal;
    // Said at once: the generation stops at the end of the day it is on, which can take a few seconds.
    if (generating) print(ctx.stderr, `\n${signal}: stopping at the end of this day; the generation is not kept, and the next run starts it again.`);
  });
  mkdirSync(dir, { recursive: true });
  const release = lockDemo(dir);
  try {
    await runDemo(ctx, options, {
      seed,
      customers,
      days,
      stepsPerDay,
      dir,
      recordPath,
      stopped: () => stopping,
      generating: (on) => {
        generating = on;
      },
    });
  } finally {
    release();
  }
}

/**
 * One demo per folder: a second one on the same store would add its own live
 * activity to the first's. The lock names its process; a lock whose process
 * has gone (a crash, SIGKILL) is taken over.
 */
function lockDemo(dir: string): () => void {
  const path = join(dir, LOCK);
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx' });
  } catch {
    const pid = Number(readFileSync(path, 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new Error(`another demo (process ${pid}) is using ${dir}: stop it first, or give this one another --data folder`);
    }
    writeFileSync(path, String(process.pid));
  }
  return () => rmSync(path, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface RunParameters {
  seed: number;
  customers: number;
  days: number;
  stepsPerDay: number;
  dir: string;
  recordPath: string;
  stopped(): string | undefined;
  /** Told when the generation starts and ends (a stop signal meanwhile is answered at once). */
  generating(on: boolean): void;
}

async function runDemo(ctx: CliContext, options: DemoOptions, r: RunParameters): Promise<void> {
  const { seed, customers, days, stepsPerDay, dir, recordPath } = r;
  if (options.fresh) removeDemo(ctx, dir);
  let record = existsSync(recordPath) ? (JSON.parse(readFileSync(recordPath, 'utf8')) as DemoRecord) : undefined;
  if (record) {
    print(
      ctx.stderr,
      `Serving the demo already in ${dir} (seed ${record.seed}, ${record.customers} customers, ${record.days} days, generated ${record.generatedAt}); --fresh makes it again.`,
    );
  } else {
    if (readdirSync(dir).some((f) => f !== LOCK)) {
      print(ctx.stderr, `${dir} holds an unfinished demo: starting it again.`);
      removeDemo(ctx, dir);
    }
    mkdirSync(dir, { recursive: true });
    const adminToken = randomIds.secret();
    const password = `demo-${randomIds.secret().slice(0, 12)}`;
    const config = demoConfig(ctx, options, dir, adminToken);
    r.generating(true);
    try {
      record = await generate(ctx, config, { seed, customers, days, stepsPerDay, adminToken, password, stopped: r.stopped });
    } finally {
      r.generating(false);
    }
    writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  }
  if (r.stopped()) return;
  await serveDemo(ctx, demoConfig(ctx, options, dir, record.adminToken), record, options.trickle);
}

function removeDemo(ctx: CliContext, dir: string): void {
  if (!existsSync(dir)) return;
  // Only what the demo makes: its store files and its record.
  const ours = readdirSync(dir).filter((f) => f === RECORD || /^touchpoint(-log)?\.db(-wal|-shm|-journal)?$/.test(f));
  for (const file of ours) rmSync(join(dir, file), { force: true });
  print(ctx.stderr, `Removed the demo in ${dir}.`);
}

function demoConfig(ctx: CliContext, options: DemoOptions, dir: string, adminToken: string): Config {
  return configFrom(ctx, options, {
    databaseUrl: `sqlite:${join(dir, 'touchpoint.db')}`,
    logDatabaseUrl: `sqlite:${join(dir, 'touchpoint-log.db')}`,
    adminToken,
    port: options.port === undefined ? undefined : integer('port', options.port, 0, 65535),
    host: options.host,
    // A demo can lose its last second in a crash: commits do not wait for the disk.
    sqliteSynchronous: 'normal',
    timezone: ctx.env.TOUCHPOINT_TIMEZONE ?? 'Europe/Paris',
    // Report answers are kept an hour (each says when it was computed; a visit to one over a minute old recomputes it behind).
    reportCacheSeconds: ctx.env.TOUCHPOINT_REPORT_CACHE_SECONDS === undefined ? 3600 : undefined,
    logLevel: (ctx.env.TOUCHPOINT_LOG_LEVEL as Config['logLevel'] | undefined) ?? 'warn',
  });
}

interface GenerateParameters {
  seed: number;
  customers: number;
  days: number;
  stepsPerDay: number;
  adminToken: string;
  password: string;
  stopped(): string | undefined;
}

async function generate(ctx: CliContext, config: Config, p: GenerateParameters): Promise<DemoRecord> {
  const began = performance.now();
  const plan = createDemoPlan({ seed: p.seed, customers: p.customers, days: p.days, end: windowEnd(systemClock.now()) });
  print(ctx.stderr, `Generating ${BRAND_NAME}: ${p.customers} customers, ${p.days} days of history (seed ${p.seed}).`);
  const { server, engine } = await openGenerationServer(config, { seed: p.seed, start: plan.start - 3_600_000 });
  const progress = createDemoProgress(ctx, estimateEvents(plan));
  try {
    const sources = await setUpBrand(engine);
    const summary = await generateHistory(engine, plan, sources, {
      stepsPerDay: p.stepsPerDay,
      answers: true,
      onProgress(update) {
        progress.update(update);
        const signal = p.stopped();
        if (signal) throw new Error(`stopped by ${signal}; the next run starts the demo again`);
      },
    });
    progress.stop();
    for (const user of DEMO_USERS) await server.touchpoint.users.create({ ...user, password: p.password });
    const profiles = await countProfiles(server.touchpoint.store.db);
    const seconds = Math.round((performance.now() - began) / 100) / 10;
    const t = summary.timings;
    const where = Object.entries(t)
      .map(([k, v]) => `${k} ${v.toFixed(1)}s`)
      .join(', ');
    print(ctx.stderr, `Generated ${summary.events} events, ${profiles} profiles and ${summary.messages} messages in ${seconds}s (${where}).`);
    return {
      brand: BRAND_NAME,
      seed: p.seed,
      customers: p.customers,
      days: p.days,
      windowEnd: new Date(plan.end).toISOString(),
      generatedAt: new Date().toISOString(),
      adminToken: p.adminToken,
      users: DEMO_USERS.map(({ email, role }) => ({ email, role })),
      password: p.password,
      sources,
      counts: { events: summary.events, profiles, messages: summary.messages, seconds },
    };
  } finally {
    progress.stop();
    await server.close();
  }
}

async function serveDemo(ctx: CliContext, config: Config, record: DemoRecord, trickle: boolean): Promise<void> {
  const logger = createLogger(config);
  const server = await createServer(config, { logger, processMetrics: true });
  const address = await server.app.listen({ port: config.port, host: config.host });
  const port = Number(new URL(address).port);
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${port}`;
  const plan = createDemoPlan({ seed: record.seed, customers: record.customers, days: record.days, end: Date.parse(record.windowEnd) });
  const live = trickle
    ? startTrickle({
        url: `http://127.0.0.1:${port}`,
        plan,
        sources: record.sources,
        clock: systemClock,
        intervalMs: 500,
        onError: (error) => logger.warn({ err: error }, 'demo trickle: a batch failed'),
      })
    : undefined;
  const shown = ['web', 'app', 'pos'].map((key) => record.sources.find((s) => s.key === key)).filter((s) => s !== undefined);
  print(
    ctx.stdout,
    [
      `${BRAND_NAME} demo: ${record.counts.profiles} profiles, ${record.counts.events} events, ${record.counts.messages} messages as generated (seed ${record.seed}${live ? '; live activity adds to them' : ''}).`,
      `Console: ${url}/ — sign in as ${record.users.map((u) => u.email).join(', ')} (one per role), password ${record.password}`,
      `Admin token (management API, "Authorization: Bearer <token>"): ${record.adminToken}`,
      ...shown.map((s) => `Write key of ${s.name}: ${s.writeKey}`),
      `Live activity: ${live ? 'a few events a second (--no-trickle turns it off)' : 'off'}.`,
      `Touchpoint demo is listening on ${url} (data: ${config.databaseUrl.replace(/^sqlite:/, '')})`,
    ].join('\n'),
  );
  const warming = keepReportsWarm(server, record.adminToken, (error) => logger.warn({ err: error }, 'demo: computing the reports failed'));
  const signal = await ctx.stopSignal;
  logger.info({ signal }, 'shutting down the demo');
  warming.stop();
  await live?.stop();
  await server.close();
  print(ctx.stderr, `Demo stopped (${signal}).`);
}

/** Reports are computed again this often in the background, so that their pages open at once however long nobody looked. */
const WARM_EVERY_MS = 30 * 60_000;

/**
 * Computes the console's report pages as they open (each report with the
 * console's defaults, and the overview's lifecycle chart) right after the
 * demo starts and then every half hour: a visitor's first look at a report
 * is served from an answer kept, not a wait of seconds.
 */
function keepReportsWarm(server: Server, adminToken: string, onError: (error: unknown) => void): { stop(): void } {
  let stopped = false;
  const overviewActivity = async () => {
    for (const p of overviewPeriods(systemClock.now())) {
      const url = `/api/activity?${new URLSearchParams({ from: p.from, to: p.to })}`;
      const response = await server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${adminToken}` } });
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    }
  };
  const warm = () => {
    if (stopped) return;
    overviewActivity()
      .then(() => server.touchpoint.analytics.warm(consolePages(systemClock.now())))
      .catch((error) => {
        if (!stopped) onError(error);
      });
  };
  warm();
  const timer = setInterval(warm, WARM_EVERY_MS);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
