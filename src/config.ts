/**
 * Configuration: built once from an environment object (and an optional JSON
 * file) in main.ts, checked against a schema, and passed down. Nothing else
 * reads process.env. Every setting is documented in docs/configuration.md.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CHANNEL_NAME_PATTERN, ChannelConfigSchema, channelProblems, createAllowList, withChannelDefaults } from './channels/index.js';
import { isTimeZone } from './local-time.js';
import { isPostgresUrl } from './store/index.js';

const LogLevel = Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)));

export const ConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 4000 }),
    host: Type.String({ minLength: 1, default: '0.0.0.0' }),
    databaseUrl: Type.String({ minLength: 1, default: 'sqlite:./data/touchpoint.db' }),
    logDatabaseUrl: Type.Optional(Type.String({ minLength: 1 })),
    adminToken: Type.Optional(Type.String({ minLength: 16 })),
    logLevel: Type.Union(LogLevel.anyOf, { default: 'info' }),
    logPartitions: Type.Integer({ minimum: 1, maximum: 4096, default: 16 }),
    sqliteSynchronous: Type.Union([Type.Literal('full'), Type.Literal('normal'), Type.Literal('off')], { default: 'full' }),
    sqliteJournal: Type.Union([Type.Literal('wal'), Type.Literal('memory')], { default: 'wal' }),
    groupCommitMaxEvents: Type.Integer({ minimum: 1, maximum: 100000, default: 10000 }),
    maxBatchBytes: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024, default: 500 * 1024 }),
    maxMessageBytes: Type.Integer({ minimum: 512, maximum: 16 * 1024 * 1024, default: 32 * 1024 }),
    sourceCacheSeconds: Type.Number({ minimum: 0, maximum: 3600, default: 5 }),
    pgPoolSize: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
    pipelineWorker: Type.Boolean({ default: true }),
    schedulerIntervalMs: Type.Integer({ minimum: 100, maximum: 86_400_000, default: 60_000 }),
    reportCacheSeconds: Type.Integer({ minimum: 0, maximum: 86_400, default: 300 }),
    jobLeaseMs: Type.Integer({ minimum: 500, maximum: 3_600_000, default: 15_000 }),
    backfillPageSize: Type.Integer({ minimum: 1, maximum: 100_000, default: 2000 }),
    pipelineBatchSize: Type.Integer({ minimum: 1, maximum: 10000, default: 1000 }),
    pipelineMaxAttempts: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
    pipelineBackoffMs: Type.Integer({ minimum: 0, maximum: 600000, default: 200 }),
    pipelinePollMs: Type.Integer({ minimum: 10, maximum: 600000, default: 1000 }),
    identityHubThreshold: Type.Integer({ minimum: 1, maximum: 1000000, default: 5 }),
    identityLimits: Type.Record(Type.String(), Type.Integer({ minimum: 1 }), { default: {} }),
    identityKinds: Type.Array(
      Type.Object(
        {
          kind: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$' }),
          paths: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
          normalize: Type.Optional(Type.Union([Type.Literal('email'), Type.Literal('phone'), Type.Literal('text')])),
          maxPerProfile: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
    identityPaths: Type.Record(Type.String(), Type.Array(Type.String({ minLength: 1 })), { default: {} }),
    phoneRegion: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    timezone: Type.String({ minLength: 1, default: 'UTC' }),
    journeyBatchSize: Type.Integer({ minimum: 1, maximum: 10000, default: 500 }),
    journeyPollMs: Type.Integer({ minimum: 10, maximum: 600000, default: 1000 }),
    householdByAddress: Type.Boolean({ default: false }),
    consentDefaults: Type.Record(Type.String(), Type.Union([Type.Literal('opt-in'), Type.Literal('opt-out')]), { default: {} }),
    /**
     * Whose X-Forwarded-For/-Proto/-Host headers to believe: false (no one's),
     * true (anyone's), or a comma-separated list of addresses and CIDR ranges
     * (or loopback, linklocal, uniquelocal). Fastify's trustProxy.
     */
    trustProxy: Type.Union([Type.Boolean(), Type.String({ minLength: 1 })], { default: false }),
    /** Where customers reach this server from the internet: tracked links, the open pixel and unsubscribe pages point here (default http://localhost:<port>). */
    publicUrl: Type.Optional(Type.String({ pattern: '^https?://[^\\s/?#]+[^\\s?#]*$' })),
    /** The delivery channels by name (email over SMTP, webhooks); a message whose channel none takes goes to the outbox. */
    channels: Type.Record(Type.String({ pattern: CHANNEL_NAME_PATTERN }), ChannelConfigSchema, { default: {} }),
    /** Private addresses outbound requests may reach all the same: CIDR ranges, addresses, host names. */
    outboundAllowList: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
    deliveryPollMs: Type.Integer({ minimum: 10, maximum: 600000, default: 500 }),
    deliveryLeaseMs: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 60_000 }),
    deliveryBatchSize: Type.Integer({ minimum: 1, maximum: 10000, default: 200 }),
    deliveryConcurrency: Type.Integer({ minimum: 1, maximum: 1000, default: 16 }),
    deliveryRetryBaseMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 30_000 }),
    deliveryRetryMaxMs: Type.Integer({ minimum: 10, maximum: 86_400_000, default: 6 * 3_600_000 }),
    /** The purposes the preference page offers, beside those a customer has a choice recorded for. */
    preferencePurposes: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), { default: ['marketing'] }),
    /** Signs tracked links and unsubscribe tokens; made and kept in the database when not set. */
    linkSecret: Type.Optional(Type.String({ minLength: 32 })),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;

/** TOUCHPOINT_CONFIG names the optional JSON file; it is not a setting itself. */
const CONFIG_FILE_VARIABLE = 'TOUCHPOINT_CONFIG';
/** Variables with this prefix belong to the test suite, not to the server. */
const TEST_PREFIX = 'TOUCHPOINT_TEST_';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function envName(key: string): string {
  return `TOUCHPOINT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

const settingKeys = Object.keys(ConfigSchema.properties) as (keyof Config)[];
const keyByEnvName = new Map(settingKeys.map((k) => [envName(k), k]));

type Env = Record<string, string | undefined>;
type ReadFile = (path: string) => string;

/**
 * Builds the configuration: defaults, then the JSON file named by
 * TOUCHPOINT_CONFIG (or `configFile`), then environment variables. Throws a
 * ConfigError that names every bad setting.
 */
export function loadConfig(env: Env, options: { configFile?: string; readFile?: ReadFile } = {}): Config {
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const file = options.configFile ?? env[CONFIG_FILE_VARIABLE];
  const problems: string[] = [];
  const raw: Record<string, unknown> = file ? readConfigFile(file, readFile, problems) : {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('TOUCHPOINT_') || name === CONFIG_FILE_VARIABLE || name.startsWith(TEST_PREFIX)) continue;
    const key = keyByEnvName.get(name);
    if (!key) problems.push(`${name}: unknown setting (see docs/configuration.md)`);
    else if (value !== undefined && value !== '') raw[key] = value;
  }
  for (const key of settingKeys) {
    if (raw[key] === undefined) continue;
    const schema = ConfigSchema.properties[key] as TSchema;
    if (typeof raw[key] === 'string' && (schema.type === 'object' || schema.type === 'array')) raw[key] = parseJsonSetting(key, raw[key] as string, problems);
    raw[key] = key === 'trustProxy' ? readTrustProxy(raw[key], problems) : Value.Convert(schema, raw[key]);
  }
  raw.channels = withChannelDefaults(raw.channels);
  const config = Value.Default(ConfigSchema, raw) as Config;
  for (const error of Value.Errors(ConfigSchema, config)) {
    // Channels are checked by kind below, without repeating their values (secrets).
    if (error.path.startsWith('/channels')) continue;
    const path = error.path.replace(/^\//, '');
    const key = path.split('/')[0]!;
    const name = keyByEnvName.has(envName(key)) ? `${envName(key)} (${path})` : path || 'config';
    problems.push(`${name}: ${error.message}${error.value === undefined ? '' : `, got ${JSON.stringify(error.value)}`}`);
  }
  if (typeof config.timezone === 'string' && !isTimeZone(config.timezone))
    problems.push(`TOUCHPOINT_TIMEZONE: ${JSON.stringify(config.timezone)} is not an IANA time zone (e.g. Europe/Paris)`);
  if (typeof config.trustProxy === 'string') {
    for (const entry of config.trustProxy
      .split(',')
      .map((e) => e.trim())
      .filter((e) => !isProxyAddress(e))) {
      problems.push(
        `${envName('trustProxy')} (trustProxy): ${JSON.stringify(entry)} is not an IP address, a CIDR range (10.0.0.0/8) or one of ${PROXY_NAMES.join(', ')}`,
      );
    }
  }
  checkLogStore(config, problems);
  if (raw.channels !== undefined) problems.push(...channelProblems(config.channels).map((p) => `${envName('channels')} (${p})`));
  try {
    if (Array.isArray(config.outboundAllowList)) createAllowList(config.outboundAllowList);
  } catch (error) {
    problems.push(`${envName('outboundAllowList')} (outboundAllowList): ${(error as Error).message}`);
  }
  for (const reserved of ['outbox', 'journey-calls'])
    if (config.channels && typeof config.channels === 'object' && reserved in config.channels)
      problems.push(`${envName('channels')} (channels/${reserved}): "${reserved}" is a built-in channel; choose another name`);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const hidePassword = (url: string) => JSON.stringify(url.replace(/\/\/[^@/]*@/, '//***@'));

/** sqlite:PATH, a bare path or postgres://; the log beside the main store, in the same kind of store. */
function checkLogStore(config: Config, problems: string[]): void {
  for (const key of ['databaseUrl', 'logDatabaseUrl'] as const) {
    const url = config[key];
    if (url !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^(postgres(ql)?|sqlite|file):/.test(url)) {
      problems.push(`${envName(key)} (${key}): use sqlite:PATH (or a bare path) or postgres://user:password@host:5432/db, got ${hidePassword(url)}`);
    }
  }
  const log = config.logDatabaseUrl;
  if (log === undefined || log === config.databaseUrl) return;
  if (isPostgresUrl(config.databaseUrl)) {
    problems.push(
      `${envName('logDatabaseUrl')} (logDatabaseUrl): on PostgreSQL the event log is a table in the same database; unset it, got ${hidePassword(log)}`,
    );
  } else if (isPostgresUrl(log)) {
    problems.push(
      `${envName('logDatabaseUrl')} (logDatabaseUrl): the event log is kept in the same kind of store as ${envName('databaseUrl')} (both SQLite or both PostgreSQL), got ${hidePassword(log)}`,
    );
  }
}

/**
 * TypeBox would keep "true" a string. A hop count is refused rather than
 * ignored: Fastify no longer honours one (it trusts no one given a number),
 * because a client that reaches the server directly could forge the headers.
 */
function readTrustProxy(value: unknown, problems: string[]): unknown {
  const text = typeof value === 'string' ? value.trim() : value;
  if (typeof text === 'string' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  if (typeof text === 'number' || (typeof text === 'string' && /^\d+$/.test(text))) {
    problems.push(
      `${envName('trustProxy')} (trustProxy): a hop count (${text}) cannot tell a proxy from a client that reaches Touchpoint directly; give the proxies' addresses or CIDR ranges (e.g. 10.0.0.0/8), or true when only proxies can reach it`,
    );
    return undefined;
  }
  return text;
}

/** Names proxy-addr (Fastify's trustProxy) knows for the reserved ranges. */
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address = '', range, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(range) === 4;
}

/** Settings that hold objects or lists take JSON in an environment variable. */
function parseJsonSetting(key: string, text: string, problems: string[]): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    problems.push(`${envName(key)} (${key}): must be JSON: ${(error as Error).message}`);
    return undefined;
  }
}

function readConfigFile(path: string, readFile: ReadFile, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    problems.push(`${CONFIG_FILE_VARIABLE}: cannot read ${path}: ${(error as Error).message}`);
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return { ...parsed } as Record<string, unknown>;
    problems.push(`${CONFIG_FILE_VARIABLE}: ${path} must hold a JSON object`);
  } catch (error) {
    problems.push(`${CONFIG_FILE_VARIABLE}: ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return {};
}
