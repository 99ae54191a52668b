import { closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
} from 'kysely';

export type SqliteSynchronous = 'full' | 'normal' | 'off';
/** `wal`: readers and the writer do not wait for each other; `memory`: a bulk load's pages written once (no log beside the file), a crash can corrupt it. */
export type SqliteJournal = 'wal' | 'memory';

export interface SqliteOptions {
  synchronous: SqliteSynchronous;
  journal?: SqliteJournal;
}

/**
 * Prepared statements kept per connection: preparing is most of the cost of a
 * small query. A query reading many ids has a text per count of ids
 * (`in (?, ?, …)`), so a batch's reads alone make hundreds.
 */
const STATEMENT_CACHE_SIZE = 2000;

/** A file written with its journal in memory, left as every other open expects it (with a write-ahead log) and on disk. */
function leaveWithLog(path: string): void {
  const again = new Database(path);
  again.pragma('journal_mode = WAL');
  again.close();
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Opens (creating if needed) one SQLite file in WAL mode (or, for a bulk load, with its rollback journal in memory). */
export function openSqlite(path: string, options: SqliteOptions): Kysely<object> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  // MEMORY: a store made in one go that is made again when interrupted, each page written once, to the file itself.
  database.pragma(`journal_mode = ${options.journal === 'memory' ? 'MEMORY' : 'WAL'}`);
  // FULL: a commit is on disk before it returns, so an acknowledged event survives power loss too.
  database.pragma(`synchronous = ${options.synchronous.toUpperCase()}`);
  database.pragma('busy_timeout = 10000');
  database.pragma('foreign_keys = ON');
  const close = () => {
    // Commits did not wait for the disk: what they wrote gets there before the file is let go.
    if (options.synchronous === 'off') {
      database.pragma('synchronous = FULL');
      database.pragma('wal_checkpoint(TRUNCATE)');
    }
    database.close();
    if (options.journal === 'memory' && path !== ':memory:') leaveWithLog(path);
  };
  return new Kysely<object>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database, close) }) });
}

/**
 * Transactions take SQLite's write lock when they begin (BEGIN IMMEDIATE).
 * A deferred transaction that reads first and writes later fails with
 * SQLITE_BUSY_SNAPSHOT when another connection committed in between; waiting
 * for the lock up front cannot fail that way.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #settings: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#settings = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#settings);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Kysely prepares every query anew; this keeps the most recent statements.
 * Reusing one is safe: Kysely runs one query at a time on the connection.
 */
function withStatementCache(database: Database.Database, close: () => void): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close,
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // re-insert: most recently used last
      } else {
        statement = database.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
  };
}
