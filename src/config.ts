/**
 * Configuration: built once from an environment object (and an optional JSON
 * file) in main.ts, checked against a schema, and passed down. Nothing else
 * reads process.env. Every setting is documented in docs/configuration.md.
 */
import { readFileSync } from 'node:fs';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
);

export const ConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 4000 }),
    host: Type.String({ minLength: 1, default: '0.0.0.0' }),
    databaseUrl: Type.String({ minLength: 1, default: 'sqlite:./data/touchpoint.db' }),
    adminToken: Type.Optional(Type.String({ minLength: 16 })),
    logLevel: Type.Union(LogLevel.anyOf, { default: 'info' }),
    logPartitions: Type.Integer({ minimum: 1, maximum: 4096, default: 16 }),
    sqliteSynchronous: Type.Union([Type.Literal('full'), Type.Literal('normal')], { default: 'full' }),
    groupCommitMaxEvents: Type.Integer({ minimum: 1, maximum: 100000, default: 10000 }),
    maxBatchBytes: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024, default: 500 * 1024 }),
    maxMessageBytes: Type.Integer({ minimum: 512, maximum: 16 * 1024 * 1024, default: 32 * 1024 }),
    sourceCacheSeconds: Type.Number({ minimum: 0, maximum: 3600, default: 5 }),
    pgPoolSize: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
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
    raw[key] = Value.Convert(ConfigSchema.properties[key] as TSchema, raw[key]);
  }
  const config = Value.Default(ConfigSchema, raw) as Config;
  for (const error of Value.Errors(ConfigSchema, config)) {
    const key = error.path.replace(/^\//, '');
    const name = keyByEnvName.has(envName(key)) ? `${envName(key)} (${key})` : key || 'config';
    problems.push(`${name}: ${error.message}${error.value === undefined ? '' : `, got ${JSON.stringify(error.value)}`}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
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
