/**
 * The embedded store is two SQLite files: the event log in one, everything
 * derived from it in the other. SQLite has one writer per file: with the log
 * apart, acknowledging events and processing them write at the same time on
 * two cores instead of taking turns. On PostgreSQL both are the one database.
 */
import { basename, dirname, extname, join } from 'node:path';
import { isPostgresUrl, openStore, sqlitePath, type SharedLock, type Store, type StoreOptions } from './index.js';

export interface StorePair {
  /** Profiles, identities, standing, jobs, sources: everything but the log. */
  main: Store;
  /** The event log (the same store as `main` on PostgreSQL, and for stores made before the log had a file of its own). */
  log: Store;
  /** Whether the log has a store of its own. */
  separate: boolean;
}

/** data/touchpoint.db -> data/touchpoint-log.db */
export function logFileOf(path: string): string {
  const extension = extname(path);
  return join(dirname(path), `${basename(path, extension)}-log${extension || '.db'}`);
}

export async function openStores(url: string, options: StoreOptions & { logUrl?: string; logLock?: SharedLock }): Promise<StorePair> {
  const main = openStore(url, options);
  const logUrl = options.logUrl ?? (await defaultLogUrl(url, main));
  if (logUrl === url) return { main, log: main, separate: false };
  return { main, log: openStore(logUrl, { ...options, lock: options.logLock }), separate: true };
}

async function defaultLogUrl(url: string, main: Store): Promise<string> {
  if (isPostgresUrl(url)) return url;
  const path = sqlitePath(url);
  if (path === ':memory:') return url;
  // A store made before the log had a file of its own keeps its log where it is.
  if (await main.dialect.hasTable(main.db, 'event_log')) return url;
  return `sqlite:${logFileOf(path)}`;
}
