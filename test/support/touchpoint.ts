/** Builds a whole Touchpoint (store, modules, HTTP app) for tests, on a fresh database. */
import type { FastifyInstance } from 'fastify';
import { createManualClock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createSchemaCompilers } from '../../src/http/index.js';
import { createServer, type Server } from '../../src/main.js';
import type { TestDialect } from './dialects.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** The test servers of one file compile the route schemas once between them. */
const schemaCompilers = createSchemaCompilers();

export interface TestServer extends Server {
  config: Config;
  clock: ReturnType<typeof createManualClock>;
  /** Creates a source through the API and returns its write key. */
  createSource(name?: string, channel?: string): Promise<{ id: string; writeKey: string }>;
  dispose(): Promise<void>;
  /** Closes this server and opens a new one on the same database and clock, as a restart would. */
  restart(): Promise<TestServer>;
}

export async function startTestServer(dialect: TestDialect, env: Record<string, string> = {}, options: { startPipeline?: boolean } = {}): Promise<TestServer> {
  const db = await dialect.create();
  const config = loadConfig({ TOUCHPOINT_DATABASE_URL: db.url, TOUCHPOINT_ADMIN_TOKEN: ADMIN_TOKEN, TOUCHPOINT_SQLITE_SYNCHRONOUS: 'normal', ...env });
  const clock = createManualClock(Date.parse('2026-11-23T12:00:00.000Z'));
  return open(config, clock, db.cleanup, options);
}

async function open(config: Config, clock: TestServer['clock'], cleanup: () => Promise<void>, options: { startPipeline?: boolean }): Promise<TestServer> {
  const server = await createServer(config, { clock, startPipeline: options.startPipeline, schemaCompilers });
  return {
    ...server,
    config,
    clock,
    createSource: (name = 'Web shop', channel = 'web') => createSource(server.app, name, channel),
    async dispose() {
      await server.close();
      await cleanup();
    },
    async restart() {
      await server.close();
      return open(config, clock, cleanup, options);
    },
  };
}

export async function createSource(app: FastifyInstance, name: string, channel: string): Promise<{ id: string; writeKey: string }> {
  const response = await app.inject({ method: 'POST', url: '/api/sources', headers: admin(), payload: { name, channel } });
  if (response.statusCode !== 201) throw new Error(`create source failed: ${response.body}`);
  return response.json();
}

export function admin(): Record<string, string> {
  return { authorization: `Bearer ${ADMIN_TOKEN}` };
}

export function basic(writeKey: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` };
}
