/**
 * The one entry: configuration -> store -> modules -> server. Everything is
 * built here and passed down; no module builds its own dependencies or reads
 * the environment. This file wires; it decides nothing.
 */
import { readFileSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from './clock.js';
import { collectMigrations, createIngest, createSourceRejections, createSources, type Ingest, type SourceRejections, type Sources } from './collect/index.js';
import type { Config } from './config.js';
import { createAdminTokens, createHttpApp, httpMigrations, type AdminTokens, type SchemaCompilers } from './http/index.js';
import { randomIds, type Ids } from './ids.js';
import {
  buildKinds,
  createErasureScreen,
  createIdentityReader,
  createIdentityStage,
  identityMigrations,
  identityResettable,
  normalizeIdentifier,
  type IdentityReader,
  type KindSpec,
} from './identity/index.js';
import { contentMigrations, createContent, type Content, type ContentChannel, type ContentItem } from './content/index.js';
import { createMessages, historyMigrations, type Messages } from './history/index.js';
import { createJobs, jobMigrations, type Jobs } from './jobs/index.js';
import { createJourneys, journeyMigrations, type Journeys } from './journeys/index.js';
import { createPolicy, policyMigrations, type Policy, type Random } from './policy/index.js';
import { createSqlEventLog, logMigrations, type EventLog } from './log/index.js';
import { refuseForeignLog } from './log-check.js';
import { createMetrics, type Metrics } from './metrics.js';
import { recordSizesEvery } from './record-sizes.js';
import { chain, createPipeline, forgetEvents, pipelineMigrations, pipelinePosition, runInWorker, type Pipeline } from './pipeline/index.js';
import {
  computedMigrations,
  computedOwnerMigrations,
  countProfiles,
  createComputedTraits,
  createConsentAdmin,
  createProfileMaintenance,
  createProfileReader,
  createProfileExporter,
  createProfileSearch,
  createProfileStage,
  createProfileViews,
  eventOwners,
  namedEventsOf,
  eventsOfMany,
  profileFacts,
  profileMigrations,
  profilePage,
  profileResettable,
  type ComputedTraits,
  type ConsentAdmin,
  type ProfileExporter,
  type ProfileMaintenance,
  type ProfileReader,
  type ProfileSearch,
  type ProfileViews,
} from './profiles/index.js';
import { channelMigrations, verifyWebhook, type Channels } from './channels/index.js';
import { parseDsn, type LinkSigner } from './channels/email/index.js';
import { channelPorts, wireChannels } from './wire-channels.js';
import { wireAnalytics, type Analytics } from './wire-analytics.js';
import { runDestinations, wireDestinations } from './wire-destinations.js';
import { destinationMigrations, type Destinations } from './destinations/index.js';
import { createStanding, standingMigrations, type Standing } from './standing/index.js';
import { createUsers, usersMigrations, type Users } from './users/index.js';
import { closePair, createSharedLock, migratePair, openStores, type Migrations, type SharedLock, type Store } from './store/index.js';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Everything's migrations but the event log's (which may live in a store of its own). */
export const migrations: Migrations = {
  ...collectMigrations,
  ...httpMigrations,
  ...identityMigrations,
  ...pipelineMigrations,
  ...profileMigrations,
  ...computedMigrations,
  ...computedOwnerMigrations,
  ...standingMigrations,
  ...jobMigrations,
  ...contentMigrations,
  ...historyMigrations,
  ...journeyMigrations,
  ...policyMigrations,
  ...channelMigrations,
  ...destinationMigrations,
  ...usersMigrations,
};

/** Touchpoint's own sources: derived events (stage changes), clock ticks, changes an admin made. */
const INTERNAL = { derived: 'Touchpoint (internal)', clock: 'Touchpoint (clock)', admin: 'Touchpoint (admin)', response: 'Touchpoint (responses)' };
const WORKER_SLOT = 1;

export interface Touchpoint {
  config: Config;
  store: Store;
  sources: Sources;
  rejections: SourceRejections;
  log: EventLog;
  ingest: Ingest;
  metrics: Metrics;
  adminTokens: AdminTokens;
  users: Users;
  pipeline: Pipeline;
  jobs: Jobs;
  identity: IdentityReader;
  profiles: ProfileReader;
  search: ProfileSearch;
  exporter: ProfileExporter;
  computed: ComputedTraits;
  maintenance: ProfileMaintenance;
  consent: ConsentAdmin;
  views: ProfileViews;
  standing: Standing;
  content: Content;
  messages: Messages;
  policy: Policy;
  journeys: Journeys;
  channels: Channels;
  destinations: Destinations;
  analytics: Analytics;
  /** Signs tracked links and unsubscribe tokens; publicUrl is where they point. */
  links: { signer: LinkSigner; publicUrl: string };
  kinds: KindSpec[];
  phoneRegion?: string;
  /** The event log's store: the same as `store`, or a file of its own (SQLite). */
  logStore: Store;
  /** The write locks shared with the pipeline worker, when there is one. */
  locks?: Locks;
  internalSourceIds: string[];
  close(): Promise<void>;
}

export interface Runtime {
  clock?: Clock;
  ids?: Ids;
  /** The contact policy's random draws (learned arbitration): seeded in tests and simulations. */
  random?: Random;
  processMetrics?: boolean;
  logger?: Logger;
  /** Shared with the pipeline worker thread (given to the worker's own Touchpoint). */
  locks?: Locks;
  /** Run the pipeline loop in a worker thread (the server does when config.pipelineWorker is on). */
  pipelineWorker?: boolean;
}

/** Opens the store, runs migrations and wires the modules (no server). */
export async function openTouchpoint(config: Config, runtime: Runtime = {}): Promise<Touchpoint> {
  const clock = runtime.clock ?? systemClock;
  const ids = runtime.ids ?? randomIds;
  const locks = runtime.locks ?? (runtime.pipelineWorker ? { store: createSharedLock(0), log: createSharedLock(0) } : undefined);
  const lock = locks?.store;
  const stores = await openStores(config.databaseUrl, {
    sqliteSynchronous: config.sqliteSynchronous,
    sqliteJournal: config.sqliteJournal,
    pgPoolSize: config.pgPoolSize,
    lock,
    logUrl: config.logDatabaseUrl,
    logLock: locks?.log,
    newId: ids.uuid,
  });
  const { main: store, log: logStore } = stores;
  const metrics = createMetrics({ processMetrics: runtime.processMetrics });
  const log = createSqlEventLog(logStore, {
    partitions: config.logPartitions,
    groupCommitMaxEvents: config.groupCommitMaxEvents,
    onCommit: (n) => metrics.commitSize.observe(n),
  });
  try {
    await migratePair(stores, migrations, logMigrations);
    await refuseForeignLog(store, log, logStore.location);
  } catch (error) {
    await closePair(stores);
    throw error;
  }
  const sources = createSources(store, { clock, ids, cacheSeconds: config.sourceCacheSeconds });
  const internal = {
    derived: (await sources.internal(INTERNAL.derived)).id,
    clock: (await sources.internal(INTERNAL.clock)).id,
    admin: (await sources.internal(INTERNAL.admin)).id,
    response: (await sources.internal(INTERNAL.response)).id,
  };
  // Responses to messages (opens, clicks) are the customer's doing: they show in the event debugger and may start journeys.
  const ownSourceIds = [internal.derived, internal.clock, internal.admin];
  const kinds = buildKinds({ limits: config.identityLimits, extraKinds: config.identityKinds, extraPaths: config.identityPaths });
  const identity = createIdentityReader(store);
  const screen = createErasureScreen({ store, kinds, phoneRegion: config.phoneRegion });
  const jobs = createJobs({ store, clock, ids, logger: runtime.logger, leaseMs: config.jobLeaseMs });
  const computed = createComputedTraits({ store, log, clock, ids, jobs, pipelinePosition });
  let pipeline: Pipeline | undefined;
  const standing = createStanding({
    store,
    jobs,
    consentDefaults: config.consentDefaults,
    now: clock.now,
    newId: () => ids.id('seg'),
    profiles: { facts: profileFacts, page: profilePage, count: countProfiles },
    timelineEvents: async (profileIds, scan) => {
      const found = await eventsOfMany(store.db, profileIds, scan);
      for (const events of found.values()) metrics.previewEventsRead.inc(events.length);
      return found;
    },
    computed,
    resolveIdentifier: async (kind, value) => {
      const spec = kinds.find((k) => k.kind === kind);
      const normalized = spec && normalizeIdentifier(spec.normalize, value, { phoneRegion: config.phoneRegion });
      const owner = normalized === undefined ? undefined : await identity.owner(kind, normalized);
      return owner && identity.live(owner);
    },
    identifierKinds: kinds.map((k) => k.kind),
    eventsOf: (profileId, names) => namedEventsOf(store.db, profileId, names),
    backfillPageSize: config.backfillPageSize,
    wakePipeline: () => pipeline?.wake(),
  });
  const messages = createMessages(store);
  let views: ProfileViews | undefined;
  let consent: ConsentAdmin | undefined;
  const { channels, outbound, signer, publicUrl } = await wireChannels(config, {
    store,
    log,
    clock,
    messages,
    random: runtime.random ?? Math.random,
    nodeId: ids.uuid(),
    newEventId: ids.uuid,
    responseSourceId: internal.response,
    logger: runtime.logger,
    metrics,
    ...channelPorts({ store, messages, identity, views: () => views, consent: () => consent, journeys: () => journeys }),
  });
  const policy = createPolicy({
    store,
    history: messages,
    now: clock.now,
    random: runtime.random ?? Math.random,
    defaultZone: config.timezone,
    mergedInto: (db, profileIds) => identity.absorbed(profileIds, db),
    suppressedAmong: (db, pairs) => channels.suppressedAmong(db, pairs),
  });
  let journeys: Journeys | undefined;
  const content = createContent({
    store,
    now: clock.now,
    newId: () => ids.id('cnt'),
    // A merged-away id previews the profile it was merged into.
    profileScope: async (profileId) => {
      const live = await identity.live(profileId);
      return live ? (await standing.standpoints([live], clock.now())).get(live)?.scope : undefined;
    },
    isReferenced: async (contentId) => (journeys ? journeys.contentUses(contentId, (await content.get(contentId))?.name ?? contentId) : []),
  });
  journeys = createJourneys({
    store,
    log,
    clock,
    messages,
    policy,
    logger: runtime.logger,
    newJourneyId: () => ids.id('jrn'),
    wakeRunner: () => pipeline?.wake(),
    lookups: {
      content: async (name) => {
        const item = await content.get(name);
        return item && { id: item.id, channels: Object.keys(item.variants) };
      },
      segmentExists: async (name) => (await standing.segments.list()).some((s) => s.id === name || s.name === name),
      stageNames: async () => (await standing.lifecycle.model()).stages.map((s) => s.name),
      channels: () => channels.takers().map((c) => ({ name: c.name, serves: c.serves })),
      templateProblems: (value) => content.jsonTemplateProblems(value),
    },
    services: {
      findContent: (name) => content.get(name),
      render: async (item, channel, scope) => {
        const out = await content.render(item as ContentItem, channel as ContentChannel, scope);
        return { rendered: out.variant as unknown as Record<string, unknown>, missing: out.missing };
      },
      renderJson: (value, scope) => content.renderJson(value, scope),
      newMessageId: () => ids.id('msg'),
      newEnrolmentId: () => ids.id('enr'),
      deliveries: { routeOf: channels.routeOf, enqueue: channels.enqueue },
      defaultZone: config.timezone,
    },
    pipelinePosition: () => pipelinePosition(store.db),
    eventOwners: (seqs) => eventOwners(store.db, seqs),
    standpoints: (profileIds, now) => standing.standpoints(profileIds, now),
    segmentChanges: { after: (position, limit) => standing.segments.changesAfter(position, limit), head: () => standing.segments.changesHead() },
    stageChanges: { after: (position, limit) => standing.lifecycle.transitionsAfter(position, limit), head: () => standing.lifecycle.transitionsHead() },
    segmentMembers: async (segment, after, limit) => (await standing.segments.members(segment, limit, after || undefined)).map((m) => m.profileId),
    survivorOf: (profileId) => identity.live(profileId),
    absorbedInto: (profileIds) => identity.absorbed(profileIds),
    internalSourceIds: ownSourceIds,
    adminSourceId: internal.admin,
    batchSize: config.journeyBatchSize,
    pollMs: config.journeyPollMs,
  });
  await journeys.runner.prepare();
  const stages = chain(
    createIdentityStage({ store, kinds, phoneRegion: config.phoneRegion, hubThreshold: config.identityHubThreshold, internalSources: internal }),
  )
    .next(createProfileStage({ store, householdByAddress: config.householdByAddress }))
    .next(standing.stage);
  const localPipeline = createPipeline({
    store,
    log,
    clock,
    metrics,
    logger: runtime.logger,
    lock,
    stages: stages.stages,
    timers: standing.timers,
    sources: internal,
    resettables: [identityResettable, profileResettable, standing.resettable],
    options: {
      batchSize: config.pipelineBatchSize,
      maxAttempts: config.pipelineMaxAttempts,
      backoffMs: config.pipelineBackoffMs,
      pollMs: config.pipelinePollMs,
      yieldMs: 5,
    },
    onProcessed: () => journeys.runner.wake(),
  });
  pipeline =
    runtime.pipelineWorker && locks
      ? runInWorker(localPipeline, {
          url: new URL('./pipeline-worker.js', import.meta.url),
          workerData: { config, lockBuffers: { store: locks.store.buffer, log: locks.log.buffer } },
          log,
          metrics,
          logger: runtime.logger,
          locks: [locks.store, locks.log],
          workerSlot: WORKER_SLOT,
        })
      : localPipeline;
  const running = pipeline;
  for (const handler of [computed.job, ...standing.jobs]) jobs.register(handler);
  const destinations = wireDestinations({ store, clock, ids, standing, outbound, phoneRegion: config.phoneRegion });
  views = createProfileViews({ db: store.db, identity, computed, consentDefaults: config.consentDefaults });
  consent = createConsentAdmin({ log, adminSourceId: internal.admin, now: clock.now, newId: ids.uuid, processed: (seq) => running.until(seq) });
  const profiles = createProfileReader(store.db);
  return {
    config,
    store,
    sources,
    log,
    metrics,
    pipeline,
    jobs,
    computed,
    kinds,
    identity,
    standing,
    content,
    messages,
    policy,
    journeys,
    logStore,
    locks,
    phoneRegion: config.phoneRegion,
    internalSourceIds: ownSourceIds,
    channels,
    destinations,
    analytics: wireAnalytics(
      { store, now: clock.now, pipeline: running, config, logger: runtime.logger, standing, journeys, policy, sources, identity },
      { own: ownSourceIds, response: internal.response },
    ),
    links: { signer, publicUrl },
    ingest: createIngest({ log, clock, ids, metrics, maxMessageBytes: config.maxMessageBytes, screen }),
    rejections: createSourceRejections(store, clock),
    adminTokens: createAdminTokens(store, { configured: config.adminToken, clock, ids }),
    users: createUsers(store, { clock, ids }),
    views,
    profiles,
    search: createProfileSearch({ store, identity, phoneRegion: config.phoneRegion }),
    exporter: createProfileExporter({
      views,
      reader: profiles,
      log,
      now: clock.now,
      standingOf: async (id) => {
        const [stage, history, segments] = await Promise.all([standing.lifecycle.current(id), standing.lifecycle.history(id), standing.segments.of(id)]);
        return { stage, history, segments };
      },
    }),
    consent,
    maintenance: createProfileMaintenance({
      store,
      log,
      now: clock.now,
      stateOptions: { householdByAddress: config.householdByAddress },
      internalSources: internal,
      dependents: {
        refresh: standing.refresh,
        forget: async (trx, profileIds) => {
          await standing.forget(trx, profileIds);
          await messages.forget(trx, profileIds);
          await journeys.forget(trx, profileIds);
          await policy.forget(trx, profileIds);
          await channels.forget(trx, profileIds);
          await destinations.forget(trx, profileIds);
        },
        forgetEvents: (trx, seqs) => forgetEvents(store, trx, seqs),
        erased: () => screen.invalidate(),
      },
    }),
    async close() {
      await jobs.stop();
      await channels.stop();
      outbound.close();
      await journeys.runner.stop();
      await running.stop();
      await log.close();
      await closePair(stores);
    },
  };
}

/** The write locks shared between the server and its pipeline worker: one per store (per SQLite file). */
export interface Locks {
  store: SharedLock;
  log: SharedLock;
}

/** Opens Touchpoint in the pipeline worker thread: its own store connections, the server's lock buffers. */
export function openWorkerTouchpoint(config: Config, buffers: { store: SharedArrayBuffer; log: SharedArrayBuffer }, logger: Logger): Promise<Touchpoint> {
  return openTouchpoint(config, { logger, locks: { store: createSharedLock(WORKER_SLOT, buffers.store), log: createSharedLock(WORKER_SLOT, buffers.log) } });
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
  runtime: Omit<Runtime, 'logger'> & {
    logger?: Logger | boolean;
    startPipeline?: boolean;
    /** Shared with the other servers this process builds, which then compile each route schema once (the tests). */
    schemaCompilers?: SchemaCompilers;
  } = {},
): Promise<Server> {
  const logger = typeof runtime.logger === 'object' ? runtime.logger : undefined;
  const touchpoint = await openTouchpoint(config, { ...runtime, logger, pipelineWorker: config.pipelineWorker });
  let closing = false;
  const app = await createHttpApp({
    ...touchpoint,
    limits: { maxBatchBytes: config.maxBatchBytes, maxMessageBytes: config.maxMessageBytes },
    trustProxy: config.trustProxy,
    schemaCompilers: runtime.schemaCompilers,
    logger: runtime.logger ?? false,
    version: VERSION,
    now: (runtime.clock ?? systemClock).now,
    verify: verifyWebhook,
    parseDsn,
    checkReady: async () => {
      if (closing) throw new Error('shutting down');
      await touchpoint.store.ping();
      return { pipeline: await touchpoint.pipeline.status() };
    },
  });
  const newAdminToken = await touchpoint.adminTokens.bootstrap();
  let sizes: NodeJS.Timeout | undefined;
  let stopDestinations: (() => Promise<void>) | undefined;
  if (runtime.startPipeline !== false) {
    touchpoint.pipeline.start();
    // Journeys run beside the pipeline loop: in its worker thread when there is one (pipeline-worker.ts).
    if (!config.pipelineWorker) touchpoint.journeys.runner.start();
    touchpoint.jobs.start();
    // Deliveries go out from the server's thread; the pipeline worker's journeys only queue them.
    touchpoint.channels.start();
    stopDestinations = runDestinations(touchpoint.destinations, runtime.clock ?? systemClock, config.deliveryPollMs * 10, logger);
    await touchpoint.standing.lifecycle.prepare();
    sizes = recordSizesEvery(touchpoint.standing.segments, config.schedulerIntervalMs, logger);
  }
  return {
    app,
    touchpoint,
    newAdminToken,
    async close() {
      closing = true;
      clearInterval(sizes);
      await app.close();
      await stopDestinations?.();
      await touchpoint.close();
    },
  };
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, base: { service: 'touchpoint' } });
}
