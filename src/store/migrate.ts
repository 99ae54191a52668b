import type { Kysely } from 'kysely';
import type { DialectAdapter } from './dialect.js';

/**
 * A module's schema change. Names sort in the order they must run; modules
 * prefix them with a date and a sequence number, e.g. `2026-11-23-01-sources`.
 */
export interface TableMigration {
  up(db: Kysely<object>, dialect: DialectAdapter): Promise<void>;
}

export type Migrations = Record<string, TableMigration>;

type MigrationTables = { schema_migrations: { name: string; timestamp: string } };

/** Whether migrations have run here at least once: the mark of a Touchpoint store. */
export function hasMigrated(db: Kysely<object>, dialect: DialectAdapter): Promise<boolean> {
  return dialect.hasTable(db, 'schema_migrations');
}

/**
 * Applies the migrations not applied yet, in name order, in one transaction
 * that holds the store's migration lock: processes starting together take
 * turns, and a failed migration leaves nothing half done.
 */
export async function runMigrations(trx: Kysely<object>, dialect: DialectAdapter, migrations: Migrations): Promise<string[]> {
  await dialect.lockMigrations(trx);
  await trx.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('name', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
    .execute();
  const tables = trx.withTables<MigrationTables>();
  const done = new Set((await tables.selectFrom('schema_migrations').select('name').execute()).map((r) => r.name));
  const applied: string[] = [];
  for (const name of Object.keys(migrations).sort()) {
    if (done.has(name)) continue;
    try {
      await migrations[name]!.up(trx, dialect);
    } catch (error) {
      throw new Error(`Migration ${name} failed: ${(error as Error).message}`, { cause: error });
    }
    await tables.insertInto('schema_migrations').values({ name, timestamp: new Date().toISOString() }).execute();
    applied.push(name);
  }
  return applied;
}
