import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { DialectAdapter } from './dialect.js';

/**
 * A module's schema change. Names sort in the order they must run; modules
 * prefix them with a date and a sequence number, e.g. `2026-11-23-01-sources`.
 */
export interface TableMigration {
  up(db: Kysely<any>, dialect: DialectAdapter): Promise<void>;
}

export type Migrations = Record<string, TableMigration>;

export async function runMigrations(db: Kysely<object>, dialect: DialectAdapter, migrations: Migrations): Promise<string[]> {
  const kyselyMigrations: Record<string, Migration> = {};
  for (const [name, migration] of Object.entries(migrations)) {
    kyselyMigrations[name] = { up: (trx) => migration.up(trx, dialect) };
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => kyselyMigrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${(result.error as Error).message ?? String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
