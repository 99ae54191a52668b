/**
 * store: the database handle (Kysely over better-sqlite3 or PostgreSQL) and
 * migrations. It is the only module that knows one dialect from the other;
 * modules receive a Store and query through `store.db` with their own table
 * types (`store.db.withTables<MyTables>()`).
 */
import { sql, type Kysely } from 'kysely';
import { postgresAdapter, sqliteAdapter, type DialectAdapter } from './dialect.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';
import { runMigrations, type Migrations } from './migrate.js';

export { inspectStore, type StoreInspection } from './inspect.js';
export type { DialectAdapter, DialectName } from './dialect.js';
export type { Migrations, TableMigration } from './migrate.js';

export interface Store {
  readonly db: Kysely<object>;
  readonly dialect: DialectAdapter;
  /** A human-readable location: the SQLite path or the PostgreSQL host/database. */
  readonly location: string;
  migrate(migrations: Migrations): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  sqliteSynchronous?: 'full' | 'normal';
  pgPoolSize?: number;
}

/** `postgres://…` opens PostgreSQL; `sqlite:PATH`, `file:PATH` or a bare path opens SQLite. */
export function openStore(url: string, options: StoreOptions = {}): Store {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const db = openPostgres(url, options.pgPoolSize ?? 10);
    return createStore(db, postgresAdapter, redactPassword(url));
  }
  const path = url.replace(/^(sqlite|file):(\/\/)?/, '');
  const db = openSqlite(path, { synchronous: options.sqliteSynchronous ?? 'full' });
  return createStore(db, sqliteAdapter, path);
}

function createStore(db: Kysely<object>, dialect: DialectAdapter, location: string): Store {
  return {
    db,
    dialect,
    location,
    migrate: (migrations) => runMigrations(db, dialect, migrations),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres';
  }
}
