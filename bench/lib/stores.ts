/** Fresh stores for benchmarks: a SQLite file in a temporary folder, or a PostgreSQL schema when a URL is given. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface BenchStore {
  url: string;
  /** The raw PostgreSQL schema, or the SQLite path. */
  where: string;
  cleanup(): Promise<void>;
}

export type Kind = 'sqlite' | 'postgres';

export function storeKind(): Kind {
  return process.env.TOUCHPOINT_TEST_DATABASE_URL ? 'postgres' : 'sqlite';
}

let sqliteDir: string | undefined;

export async function freshStore(name: string): Promise<BenchStore> {
  const base = process.env.TOUCHPOINT_TEST_DATABASE_URL;
  if (!base) {
    sqliteDir ??= mkdtempSync(join(tmpdir(), 'touchpoint-bench-'));
    const path = join(sqliteDir, `${name}.db`);
    return { url: `sqlite:${path}`, where: path, cleanup: async () => rmSync(path, { force: true }) };
  }
  const schema = `tp_bench_${name.replace(/\W/g, '_')}_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    where: schema,
    async cleanup() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

export function removeStores(): void {
  if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
}

export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
export const rate = (n: number) => Math.round(n).toLocaleString('en');
