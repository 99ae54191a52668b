/**
 * Every difference between SQLite and PostgreSQL that the rest of Touchpoint
 * may need, as capabilities and helpers with the same names per dialect. No
 * file outside store/ asks which database it runs on.
 */
import type { CreateTableBuilder } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

export interface DialectAdapter {
  readonly name: DialectName;
  /** Column type of a 64-bit integer (epoch milliseconds, counters). */
  readonly bigintType: 'integer' | 'bigint';
  /** The most bound parameters one statement may carry. */
  readonly maxParameters: number;
  /** Adds an ever-increasing 64-bit integer primary key that the database assigns. */
  addSequenceKey<T extends string>(table: CreateTableBuilder<T, never>, column: string): CreateTableBuilder<T, never>;
}

export const sqliteAdapter: DialectAdapter = {
  name: 'sqlite',
  bigintType: 'integer',
  maxParameters: 32766,
  // AUTOINCREMENT: a deleted row's seq is never reused, so consumer positions stay valid.
  addSequenceKey: (table, column) => table.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement()),
};

export const postgresAdapter: DialectAdapter = {
  name: 'postgres',
  bigintType: 'bigint',
  maxParameters: 65535,
  addSequenceKey: (table, column) =>
    table.addColumn(column, 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()),
};
