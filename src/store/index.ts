/**
 * store: the database handle (Kysely over better-sqlite3 or PostgreSQL),
 * migrations, write transactions and multi-row statements. It is the only
 * module that knows one dialect from the other; modules query through
 * `store.db` with their own table types (`store.db.withTables<MyTables>()`)
 * and write through `store.write`.
 */
import { sql, type Kysely } from 'kysely';
import { createBulk, type Bulk } from './bulk.js';
import { postgresAdapter, sqliteAdapter, type DialectAdapter } from './dialect.js';
import type { SharedLock } from './lock.js';
import { openPostgres } from './postgres.js';
import { openSqlite, type SqliteJournal, type SqliteSynchronous } from './sqlite.js';
import { runMigrations, type Migrations } from './migrate.js';

export { inspectStore, type StoreInspection } from './inspect.js';
export { closePair, logFileOf, migratePair, openStores, type StorePair } from './pair.js';
export type { DialectAdapter, DialectName } from './dialect.js';
export { foldAscii, isWellFormed, startsWith, successor } from './text.js';
export type { Migrations, TableMigration } from './migrate.js';
export type { Bulk, InsertOptions, Row } from './bulk.js';
export type { SqliteJournal, SqliteSynchronous } from './sqlite.js';
export { createSharedLock, LOCK_SLOTS, type SharedLock } from './lock.js';

/**
 * Writers that must not interleave, across processes too: pipeline batches,
 * back-fill steps and profile maintenance all change profiles' standing;
 * journeys runners (one per process) take turns on enrolments and positions;
 * changes to users take turns so that two cannot each remove one of the last two admins.
 */
export type WriteLane = 'event_log' | 'profiles' | 'journeys' | 'users';

export interface WriteOptions {
  /** Exclude other writers of this lane in every process until the transaction ends. */
  lane?: WriteLane;
  /**
   * Commit without waiting for the disk. For work derived from the event log
   * (pipeline batches, back-fill steps), which a crash makes Touchpoint do
   * again: a crash may lose the last such commits, never an acknowledged event.
   */
  relaxed?: boolean;
}

export interface Store {
  readonly db: Kysely<object>;
  readonly dialect: DialectAdapter;
  readonly bulk: Bulk;
  /** A human-readable location: the SQLite path or the PostgreSQL host/database. */
  readonly location: string;
  /**
   * Runs `work` in a write transaction. It holds the write lock from its
   * first statement (SQLite: the shared lock between threads, then BEGIN
   * IMMEDIATE), and, given a lane, excludes other writers of that lane in
   * every process until it ends.
   */
  write<T>(work: (trx: Kysely<object>) => Promise<T>, options?: WriteLane | WriteOptions): Promise<T>;
  migrate(migrations: Migrations): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `off` (bulk loads that are made again when interrupted): commits do not wait for the disk; closing the store writes it out. */
  sqliteSynchronous?: SqliteSynchronous;
  /** `memory` (bulk loads that are made again when interrupted): no write-ahead log; opened again as `wal`, the file is an ordinary store. */
  sqliteJournal?: SqliteJournal;
  pgPoolSize?: number;
  /** Shared with the other threads of this process that write to the same store. */
  lock?: SharedLock;
}

/** `postgres://…` opens PostgreSQL; `sqlite:PATH`, `file:PATH` or a bare path opens SQLite. */
export function openStore(url: string, options: StoreOptions = {}): Store {
  if (isPostgresUrl(url)) {
    const db = openPostgres(url, options.pgPoolSize ?? 10);
    return createStore(db, postgresAdapter, redactPassword(url), undefined, 'full');
  }
  const synchronous = options.sqliteSynchronous ?? 'full';
  const db = openSqlite(sqlitePath(url), { synchronous, journal: options.sqliteJournal ?? 'wal' });
  return createStore(db, sqliteAdapter, sqlitePath(url), options.lock, synchronous);
}

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);
export const sqlitePath = (url: string) => url.replace(/^(sqlite|file):(\/\/)?/, '');

function createStore(db: Kysely<object>, dialect: DialectAdapter, location: string, lock: SharedLock | undefined, durable: SqliteSynchronous): Store {
  const relaxed = dialect.relaxedCommit(durable);
  // Writes of this thread take turns here too, so that what runs around a transaction belongs to it alone.
  let turn: Promise<unknown> = Promise.resolve();

  async function transaction<T>(work: (trx: Kysely<object>) => Promise<T>, options: WriteOptions): Promise<T> {
    const around = options.relaxed ? relaxed : {};
    if (around.before) await sql.raw(around.before).execute(db);
    try {
      return await db.transaction().execute(async (trx) => {
        if (around.inside) await sql.raw(around.inside).execute(trx);
        if (options.lane) await dialect.serializeWriters(trx, options.lane);
        return work(trx);
      });
    } finally {
      if (around.after) await sql.raw(around.after).execute(db);
    }
  }

  function write<T>(work: (trx: Kysely<object>) => Promise<T>, options: WriteLane | WriteOptions = {}): Promise<T> {
    const settings = typeof options === 'string' ? { lane: options } : options;
    const run = async () => {
      await lock?.acquire();
      try {
        return await transaction(work, settings);
      } finally {
        lock?.release();
      }
    };
    const next = turn.then(run, run);
    turn = next.catch(() => undefined);
    return next;
  }
  return {
    db,
    dialect,
    bulk: createBulk(dialect),
    location,
    write,
    migrate: (migrations) => write((trx) => runMigrations(trx, dialect, migrations)),
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
