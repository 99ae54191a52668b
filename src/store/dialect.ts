/**
 * Every difference between SQLite and PostgreSQL that the rest of Touchpoint
 * may need, as capabilities and helpers with the same names per dialect. No
 * file outside store/ asks which database it runs on.
 */
import { sql, type CompiledQuery, type CreateTableBuilder, type Kysely, type RawBuilder } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

export interface DialectAdapter {
  readonly name: DialectName;
  /** Column type of a 64-bit integer (epoch milliseconds, counters). */
  readonly bigintType: 'integer' | 'bigint';
  /** The most bound parameters one statement may carry. */
  readonly maxParameters: number;
  /** Whether a table of that name is visible (PostgreSQL: in the search_path). */
  hasTable(db: Kysely<object>, name: string): Promise<boolean>;
  /** Adds an ever-increasing 64-bit integer primary key that the database assigns. */
  addSequenceKey<T extends string>(table: CreateTableBuilder<T, never>, column: string): CreateTableBuilder<T, never>;
  /** The highest key a sequence key has ever given, deleted rows (and on PostgreSQL rolled-back inserts) included; 0 before the first. */
  sequenceHead(db: Kysely<object>, table: string, column: string): Promise<number>;
  /**
   * Makes writers of `name` take turns until their transaction ends, across
   * processes, so that rows commit in the order of their sequence keys and a
   * reader that reads "after position N" never passes a row committed late.
   */
  serializeWriters(trx: Kysely<object>, name: string): Promise<void>;
  /** Takes the lock that makes processes migrating the same store take turns, until the transaction ends. */
  lockMigrations(trx: Kysely<object>): Promise<void>;
  /** The n-th (from 1) bound parameter in raw SQL. */
  parameterMark(n: number): string;
  /** Whether one writer at a time is all the database allows (then writers of one process take turns in a shared lock). */
  readonly singleWriter: boolean;
  /**
   * Statements that let a write transaction commit without waiting for the
   * disk: run before BEGIN, inside the transaction, and after COMMIT. A crash
   * may lose such a transaction (and the ones after it), never half of one,
   * and never one that committed durably before it.
   */
  relaxedCommit(durable: 'full' | 'normal' | 'off'): { before?: string; inside?: string; after?: string };
  /**
   * A text column as prefix search compares it (store/text.ts): by code point,
   * which is the byte order of UTF-8, whatever collation the database has (a
   * linguistic one, such as en_US, would put "bea.x" between "bea@" and its
   * successor). With `foldAscii`, A-Z also compare as a-z, and nothing else
   * is folded: SQLite's lower() folds ASCII only, and PostgreSQL's does the
   * same under the C collation. Index the same expression that is queried.
   */
  searchKey(column: string, options?: { foldAscii?: boolean }): RawBuilder<string>;
  /** The plan the database would run a query with, one line per step (to check that an index serves it). */
  explain(db: Kysely<object>, query: CompiledQuery): Promise<string[]>;
  /**
   * A table stored in the order of its primary key, so that reading it in
   * that order reads it front to back (SQLite: WITHOUT ROWID). PostgreSQL
   * keeps rows where they were written; its primary key index gives the order.
   */
  clustered(table: CreateTableBuilder<string, never>): CreateTableBuilder<string, never>;
}

export const sqliteAdapter: DialectAdapter = {
  name: 'sqlite',
  bigintType: 'integer',
  maxParameters: 32766,
  hasTable: async (db, name) => (await sql`select 1 from sqlite_master where type = 'table' and name = ${name}`.execute(db)).rows.length > 0,
  // AUTOINCREMENT: a deleted row's seq is never reused, so consumer positions stay valid.
  addSequenceKey: (table, column) => table.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement()),
  sequenceHead: async (db, table) => {
    const rows = (await sql<{ seq: number }>`select seq from sqlite_sequence where name = ${table}`.execute(db)).rows;
    return Number(rows[0]?.seq ?? 0);
  },
  // SQLite has one writer at a time already.
  serializeWriters: async () => {},
  // A write as the first statement takes SQLite's write lock at once, before anything is read.
  lockMigrations: async (trx) => {
    await sql`create table if not exists migration_lock (id integer primary key)`.execute(trx);
    await sql`delete from migration_lock`.execute(trx);
  },
  parameterMark: () => '?',
  singleWriter: true,
  // SQLite cannot change the level inside a transaction: it is set for the one transaction and set back.
  relaxedCommit: (durable) => (durable !== 'full' ? {} : { before: 'pragma synchronous = normal', after: `pragma synchronous = ${durable}` }),
  // Text compares with BINARY (memcmp of UTF-8) unless a column says otherwise, and ours do not.
  searchKey: (column, { foldAscii = false } = {}) => (foldAscii ? sql<string>`lower(${sql.ref(column)})` : sql<string>`${sql.ref(column)}`),
  explain: async (db, query) => (await db.executeQuery<{ detail: string }>({ ...query, sql: `explain query plan ${query.sql}` })).rows.map((r) => r.detail),
  clustered: (table) => table.modifyEnd(sql`without rowid`),
};

export const postgresAdapter: DialectAdapter = {
  name: 'postgres',
  bigintType: 'bigint',
  maxParameters: 65535,
  hasTable: async (db, name) => (await sql<{ present: boolean }>`select to_regclass(${name}) is not null as present`.execute(db)).rows[0]!.present,
  addSequenceKey: (table, column) => table.addColumn(column, 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()),
  sequenceHead: async (db, table, column) => {
    const query = sql<{ head: string | null }>`select pg_sequence_last_value(pg_get_serial_sequence(${table}, ${column})) as head`;
    return Number((await query.execute(db)).rows[0]?.head ?? 0);
  },
  serializeWriters: async (trx, name) => {
    await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
  },
  lockMigrations: async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('touchpoint schema_migrations'))`.execute(trx);
  },
  parameterMark: (n) => `$${n}`,
  singleWriter: false,
  relaxedCommit: () => ({ inside: 'set local synchronous_commit = off' }),
  searchKey: (column, { foldAscii = false } = {}) =>
    foldAscii ? sql<string>`lower(${sql.ref(column)} collate "C")` : sql<string>`(${sql.ref(column)} collate "C")`,
  explain: async (db, query) => (await db.executeQuery<{ 'QUERY PLAN': string }>({ ...query, sql: `explain ${query.sql}` })).rows.map((r) => r['QUERY PLAN']),
  clustered: (table) => table,
};
