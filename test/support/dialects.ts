/**
 * The databases every storage test runs on: SQLite always, PostgreSQL when
 * TOUCHPOINT_TEST_DATABASE_URL is set. Each test gets its own SQLite file or
 * its own PostgreSQL schema, dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  cleanup(): Promise<void>;
}

export interface TestDialect {
  name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

const sqlite: TestDialect = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'touchpoint-test-'));
    return { url: `sqlite:${join(dir, 'touchpoint.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

function postgres(baseUrl: string): TestDialect {
  return {
    name: 'postgres',
    async create() {
      const schema = `tp_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      const url = new URL(baseUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return {
        url: url.toString(),
        async cleanup() {
          const client = new pg.Client({ connectionString: baseUrl });
          await client.connect();
          await client.query(`drop schema if exists ${schema} cascade`);
          await client.end();
        },
      };
    },
  };
}

const pgUrl = process.env.TOUCHPOINT_TEST_DATABASE_URL;
export const DIALECTS: TestDialect[] = pgUrl ? [sqlite, postgres(pgUrl)] : [sqlite];
