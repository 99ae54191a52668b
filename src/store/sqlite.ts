import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';

export interface SqliteOptions {
  synchronous: 'full' | 'normal';
}

/** Opens (creating if needed) one SQLite file in WAL mode. */
export function openSqlite(path: string, options: SqliteOptions): Kysely<object> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before it returns, so an acknowledged event survives power loss too.
  database.pragma(`synchronous = ${options.synchronous.toUpperCase()}`);
  database.pragma('busy_timeout = 10000');
  database.pragma('foreign_keys = ON');
  return new Kysely<object>({ dialect: new SqliteDialect({ database }) });
}
