/**
 * Looking at a store without creating it: what the `touchpoint` commands that
 * work on an existing store check first (a relative SQLite path depends on the
 * folder a command runs in).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isPostgresUrl, openStore, sqlitePath as pathOf } from './index.js';
import { hasMigrated } from './migrate.js';

export interface StoreInspection {
  /** The SQLite file's absolute path, or the PostgreSQL URL without its password. */
  location: string;
  /** Touchpoint's schema is there: its migrations have run at least once. */
  initialized: boolean;
}

/** A missing SQLite file is not created; PostgreSQL is asked for schema_migrations in its search_path. */
export async function inspectStore(url: string): Promise<StoreInspection> {
  const sqlitePath = isPostgresUrl(url) ? undefined : pathOf(url);
  const sqliteLocation = sqlitePath === undefined || sqlitePath === ':memory:' ? sqlitePath : resolve(sqlitePath);
  if (sqlitePath !== undefined && (sqlitePath === ':memory:' || !existsSync(sqlitePath))) return { location: sqliteLocation!, initialized: false };
  const store = openStore(url, { pgPoolSize: 1 });
  try {
    return { location: sqliteLocation ?? store.location, initialized: await hasMigrated(store.db, store.dialect) };
  } finally {
    await store.close();
  }
}
