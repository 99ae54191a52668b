/**
 * The one entry: configuration -> store -> modules -> server. Everything is
 * built here and passed down; no module builds its own dependencies or reads
 * the environment.
 */
import { readFileSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from './clock.js';
import { collectMigrations, createIngest, createSources, type Ingest, type Source, type Sources } from './collect/index.js';
import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import { createAdminTokens, createHttpApp, httpMigrations, type AdminTokens } from './http/index.js';
import { randomIds, type Ids } from './ids.js';
import { createSqlEventLog, logMigrations, type EventLog } from './log/index.js';
import {
  buildKinds, createIdentityReader, createIdentityStage, identityMigrations, identityResettable, normalizeIdentifier,
  type IdentityReader, type KindSpec,
} from './identity/index.js';
import {
  createLifecycle, createStandingStage, forgetStanding, lifecycleMigrations, readModel, reevaluate, type InternalEvent, type Lifecycle,
} from './lifecycle/index.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createSegmentService, segmentMigrations, type SegmentService } from './segments/index.js';
import { createPipeline, createSharedLock, pipelineMigrations, type Pipeline, type SharedLock } from './pipeline/index.js';
import { runInWorker } from './pipeline/threaded.js';
import {
  computedMigrations, computedOwnerMigrations, createComputedTraits, createProfileMaintenance, createProfileReader, createProfileStage, profileMigrations,
  createProfileViews, profileResettable, type ComputedTraits, type ProfileMaintenance, type ProfileReader, type ProfileViews,
} from './profiles/index.js';
import { openStore, type Migrations, type Store } from './store/index.js';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const migrations: Migrations = {
  ...collectMigrations, ...logMigrations, ...httpMigrations, ...identityMigrations, ...pipelineMigrations, ...profileMigrations, ...computedMigrations, ...computedOwnerMigrations,
  ...segmentMigrations, ...lifecycleMigrations,
};

export interface Touchpoint {
  config: Config;
  store: Store;
  sources: Sources;
  log: EventLog;
  ingest: Ingest;
  metrics: Metrics;
  adminTokens: AdminTokens;
  pipeline: Pipeline;
  identity: IdentityReader;
  profiles: ProfileReader;
  computed: ComputedTraits;
  maintenance: ProfileMaintenance;
  views: ProfileViews;
  lifecycle: Lifecycle;
  segments: SegmentService;
  kinds: KindSpec[];
  phoneRegion?: string;
  close(): Promise<void>;
}

export interface Runtime {
  clock?: Clock;
  ids?: Ids;
  processMetrics?: boolean;
  logger?: Logger;
  /** Shared with the pipeline worker thread (given to the worker's own Touchpoint). */
  lock?: SharedLock;
  /** Run the pipeline loop in a worker thread (the server does when config.pipelineWorker is on). */
  pipelineWorker?: boolean;
}

/** Opens the store, runs migrations and wires the modules (no server). */
export async function openTouchpoint(config: Config, runtime: Runtime = {}): Promise<Touchpoint> {
  const clock = runtime.clock ?? systemClock;
  const ids = runtime.ids ?? randomIds;
  const store = openStore(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous, pgPoolSize: config.pgPoolSize });
  try {
    await store.migrate(migrations);
  } catch (error) {
    await store.close();
    throw error;
  }
  const metrics = createMetrics({ processMetrics: runtime.processMetrics });
  const lock = runtime.lock ?? (runtime.pipelineWorker ? createSharedLock() : undefined);
  const log = createSqlEventLog(store, {
    writeLock: lock,
    partitions: config.logPartitions,
    groupCommitMaxEvents: config.groupCommitMaxEvents,
    onCommit: (events) => metrics.commitSize.observe(events),
  });
  const sources = createSources(store, { clock, ids, cacheSeconds: config.sourceCacheSeconds });
  const internalSource = await ensureSource(sources, INTERNAL_SOURCE);
  const emit = internalEvents(log, internalSource.id);
  const ingest = createIngest({ log, clock, ids, metrics, maxMessageBytes: config.maxMessageBytes });
  const adminTokens = createAdminTokens(store, { configured: config.adminToken, clock, ids });
  const kinds = buildKinds({ limits: config.identityLimits, extraKinds: config.identityKinds, extraPaths: config.identityPaths });
  const localPipeline = createPipeline({
    store, log, clock, metrics, logger: runtime.logger, lock,
    stages: [
      createIdentityStage({ kinds, phoneRegion: config.phoneRegion, hubThreshold: config.identityHubThreshold, internalSourceId: internalSource.id }),
      createProfileStage({ householdByAddress: config.householdByAddress }),
      createStandingStage({ consentDefaults: config.consentDefaults, model: readModel, emit }),
    ],
    resettables: [identityResettable, profileResettable, standingResettable(log, internalSource.id)],
    options: { batchSize: config.pipelineBatchSize, maxAttempts: config.pipelineMaxAttempts, backoffMs: config.pipelineBackoffMs, pollMs: config.pipelinePollMs, yieldMs: 5 },
  });
  const pipeline = runtime.pipelineWorker && lock
    ? runInWorker(localPipeline, {
      url: new URL('./pipeline-worker.js', import.meta.url), workerData: { config, lockBuffer: lock.buffer }, log, metrics, logger: runtime.logger,
    })
    : localPipeline;
  const computed = createComputedTraits({ db: store.db, log, clock, ids, logger: runtime.logger });
  const identity = createIdentityReader(store.db);
  const lifecycle = createLifecycle({ db: store.db, computed, pipeline, clock, consentDefaults: config.consentDefaults, emit, logger: runtime.logger });
  const segments = createSegmentService({
    db: store.db, computed, pipeline, clock, ids, logger: runtime.logger, reevaluateAll: lifecycle.reevaluateAll,
    log, consentDefaults: config.consentDefaults, stageOf: async (db, id) => (await lifecycle.current(id, db))?.stage ?? null,
    resolveIdentifier: async (kind, value) => {
      const spec = kinds.find((k) => k.kind === kind);
      const normalized = spec && normalizeIdentifier(spec.normalize, value, { phoneRegion: config.phoneRegion });
      const owner = normalized === undefined ? undefined : await identity.owner(kind, normalized);
      return owner && identity.live(owner);
    },
  });
  return {
    config, store, sources, log, ingest, metrics, adminTokens, pipeline, computed, kinds, phoneRegion: config.phoneRegion, lifecycle, segments,
    views: createProfileViews({ db: store.db, computed, consentDefaults: config.consentDefaults }),
    maintenance: createProfileMaintenance({
      db: store.db, log, pipeline, now: clock.now, stateOptions: { householdByAddress: config.householdByAddress },
      internalSourceId: internalSource.id,
      dependents: {
        refresh: async (trx, profileId) => {
          await reevaluate(trx, profileId, lifecycle.options, { now: clock.now(), trigger: 'unmerge', seq: null });
        },
        forget: (trx, profileIds) => forgetStanding(trx, profileIds),
      },
    }),
    identity,
    profiles: createProfileReader(store.db),
    async close() {
      await lifecycle.stop();
      await computed.stop();
      await pipeline.stop();
      await log.close();
      await store.close();
    },
  };
}

export interface Server {
  app: FastifyInstance;
  touchpoint: Touchpoint;
  /** The admin token generated at first start; undefined when one existed or is configured. */
  newAdminToken?: string;
  close(): Promise<void>;
}

/** Builds the HTTP server over an opened Touchpoint (not yet listening). */
export async function createServer(
  config: Config,
  runtime: Omit<Runtime, 'logger'> & { logger?: Logger | boolean; startPipeline?: boolean } = {},
): Promise<Server> {
  const touchpoint = await openTouchpoint(config, {
    ...runtime, logger: typeof runtime.logger === 'object' ? runtime.logger : undefined, pipelineWorker: config.pipelineWorker,
  });
  let closing = false;
  const app = await createHttpApp({
    ...touchpoint,
    limits: { maxBatchBytes: config.maxBatchBytes, maxMessageBytes: config.maxMessageBytes },
    logger: runtime.logger ?? false,
    version: VERSION,
    now: (runtime.clock ?? systemClock).now,
    checkReady: async () => {
      if (closing) throw new Error('shutting down');
      await touchpoint.store.ping();
      return { pipeline: await touchpoint.pipeline.status() };
    },
  });
  const newAdminToken = await touchpoint.adminTokens.bootstrap();
  let scheduler: NodeJS.Timeout | undefined;
  if (runtime.startPipeline !== false) {
    touchpoint.pipeline.start();
    await touchpoint.computed.resume(touchpoint.pipeline);
    await touchpoint.lifecycle.prepare();
    scheduler = startScheduler(touchpoint, config.schedulerIntervalMs, runtime.logger);
  }
  return {
    app,
    touchpoint,
    newAdminToken,
    async close() {
      closing = true;
      clearInterval(scheduler);
      await app.close();
      await touchpoint.close();
    },
  };
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, base: { service: 'touchpoint' } });
}

/** Re-checks profiles whose standing changes with time, and records segment sizes, every interval. */
function startScheduler(touchpoint: Touchpoint, intervalMs: number, logger?: Logger | boolean): NodeJS.Timeout {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      while ((await touchpoint.lifecycle.runDue()) > 0);
      await touchpoint.lifecycle.recordSizes();
    } catch (error) {
      if (typeof logger === 'object') logger.error({ err: error }, 'scheduler run failed');
    } finally {
      running = false;
    }
  };
  void tick();
  return setInterval(tick, intervalMs).unref();
}

/** Touchpoint's own events (stage changes, segment entries) come from this source. */
const INTERNAL_SOURCE = 'Touchpoint (internal)';

async function ensureSource(sources: Sources, name: string): Promise<Source> {
  const found = await sources.find(name);
  if (found) return found;
  try {
    return await sources.create({ name, channel: 'other' });
  } catch (error) {
    const raced = await sources.find(name); // another process created it first
    if (raced) return raced;
    throw error;
  }
}

function internalEvents(log: EventLog, sourceId: string) {
  return async (trx: Kysely<object>, events: InternalEvent[]): Promise<void> => {
    await log.appendWithin(trx, events.map((e) => {
      const at = new Date(e.at).toISOString();
      const message = {
        type: 'track', event: e.event, messageId: e.key, properties: e.properties,
        context: { touchpoint: { internal: true, profileId: e.profileId } }, timestamp: at, receivedAt: at,
      };
      return {
        sourceId, messageId: e.key, type: 'track', event: e.event, channel: 'other', userId: null, anonymousId: null,
        timestamp: e.at, receivedAt: e.at, partitionKey: e.profileId, payload: JSON.stringify(message),
      };
    }));
  };
}

/** Derived standing (stages, dynamic memberships, timers, the events about them) is rebuilt from events; static segment members are kept. */
const standingResettable = (log: EventLog, internalSourceId: string) => ({
  async reset(db: Kysely<object>): Promise<void> {
    await log.eraseSourceWithin(db, internalSourceId);
    const tables = db.withTables<import('./segments/index.js').SegmentTables & import('./lifecycle/tables.js').LifecycleTables>();
    const dynamic = (await tables.selectFrom('segments').select('id').where('kind', '=', 'dynamic').execute()).map((r) => r.id);
    if (dynamic.length > 0) await tables.deleteFrom('segment_members').where('segment_id', 'in', dynamic).execute();
    await tables.deleteFrom('segment_changes').execute();
    await tables.deleteFrom('profile_timers').execute();
    await tables.deleteFrom('profile_stages').execute();
    await tables.deleteFrom('stage_history').execute();
  },
});
