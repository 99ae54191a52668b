/**
 * The embedded store is two SQLite files: the event log in one, everything
 * derived from it in the other. SQLite has one writer per file: with the log
 * apart, acknowledging events and processing them write at the same time on
 * two cores instead of taking turns. On PostgreSQL both are the one database.
 *
 * The two are a pair. The log file holds an id (`log_identity`); the main
 * file records that id and where the log was (`store_files`), so a command
 * run without TOUCHPOINT_LOG_DATABASE_URL still finds a log put elsewhere, and
 * a missing log or another store's log is refused, with nothing created.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { sql } from 'kysely';
import { isPostgresUrl, openStore, sqlitePath, type Migrations, type SharedLock, type Store, type StoreOptions } from './index.js';

export interface StorePair {
  /** Profiles, identities, standing, jobs, sources: everything but the log. */
  main: Store;
  /** The event log (the same store as `main` on PostgreSQL, and for stores made before the log had a file of its own). */
  log: Store;
  /** Whether the log has a store of its own. */
  separate: boolean;
}

export interface PairOptions extends StoreOptions {
  /** TOUCHPOINT_LOG_DATABASE_URL, when set. */
  logUrl?: string;
  logLock?: SharedLock;
  /** The id a new log file is given. */
  newId: () => string;
}

/** data/touchpoint.db -> data/touchpoint-log.db */
export function logFileOf(path: string): string {
  const extension = extname(path);
  return join(dirname(path), `${basename(path, extension)}-log${extension || '.db'}`);
}

export async function openStores(url: string, options: PairOptions): Promise<StorePair> {
  const main = openStore(url, options);
  try {
    const logPath = await findLog(url, main, options.logUrl);
    if (logPath === undefined) return { main, log: main, separate: false };
    const log = openStore(`sqlite:${logPath}`, { ...options, lock: options.logLock });
    try {
      await pair(main, log, logPath, options.newId);
    } catch (error) {
      await log.close();
      throw error;
    }
    return { main, log, separate: true };
  } catch (error) {
    await main.close();
    throw error;
  }
}

/** Runs the main store's migrations, and the log's in its own file or, when it has none, with them; says what each applied. */
export async function migratePair(pair: StorePair, main: Migrations, log: Migrations): Promise<{ store: Store; applied: string[] }[]> {
  const steps: [Store, Migrations][] = pair.separate
    ? [
        [pair.main, main],
        [pair.log, log],
      ]
    : [[pair.main, { ...main, ...log }]];
  const results: { store: Store; applied: string[] }[] = [];
  for (const [store, set] of steps) results.push({ store, applied: await store.migrate(set) });
  return results;
}

export async function closePair(pair: StorePair): Promise<void> {
  await pair.main.close();
  if (pair.separate) await pair.log.close();
}

interface Recorded {
  id: string;
  location: string;
}

/** The log file's path, or undefined when the log lives in the main store. */
async function findLog(url: string, main: Store, logUrl: string | undefined): Promise<string | undefined> {
  if (isPostgresUrl(url)) return undefined;
  const mainPath = resolve(sqlitePath(url));
  const configured = logUrl === undefined ? undefined : resolve(sqlitePath(logUrl));
  if (sqlitePath(url) === ':memory:' || configured === mainPath) return undefined;
  if (await main.dialect.hasTable(main.db, 'event_log')) {
    if (configured === undefined) return undefined;
    throw new Error(
      `${mainPath} keeps its event log inside itself (it was made before the log had a file of its own); unset TOUCHPOINT_LOG_DATABASE_URL (${configured}).`,
    );
  }
  const recorded = await readRecorded(main);
  const beside = logFileOf(mainPath);
  if (!recorded) return configured ?? beside;
  const found = (configured ? [configured] : [recorded.location, beside]).find((path) => existsSync(path));
  if (found) return found;
  const looked = [...new Set(configured ? [configured] : [recorded.location, beside])].join(' or ');
  throw new Error(
    `The event log of ${mainPath} was at ${recorded.location}, and there is no log at ${looked}. Nothing was created. ` +
      'Set TOUCHPOINT_LOG_DATABASE_URL to where the log file is now, or restore both files from the same backup (docs/operations.md#storage).',
  );
}

/** Gives a new log its id, and records it in the main store; another store's log is refused. */
async function pair(main: Store, log: Store, logPath: string, newId: () => string): Promise<void> {
  const id = await logId(log, newId);
  const recorded = await readRecorded(main);
  if (recorded && recorded.id !== id) {
    throw new Error(
      `${logPath} is not the event log of ${main.location} (that was ${recorded.location}): it belongs to another store. ` +
        "Point TOUCHPOINT_LOG_DATABASE_URL at this store's own log, or restore both files from the same backup (docs/operations.md#storage).",
    );
  }
  if (recorded?.location === logPath) return;
  await main.write(async (trx) => {
    await sql`create table if not exists store_files (role text primary key, id text not null, location text not null)`.execute(trx);
    await sql`insert into store_files (role, id, location) values ('log', ${id}, ${logPath}) on conflict (role) do update set location = excluded.location`.execute(
      trx,
    );
  });
}

async function logId(log: Store, newId: () => string): Promise<string> {
  const read = async () => (await sql<{ id: string }>`select id from log_identity`.execute(log.db)).rows[0]?.id;
  const id = (await log.dialect.hasTable(log.db, 'log_identity')) ? await read() : undefined;
  if (id !== undefined) return id;
  await log.write(async (trx) => {
    await sql`create table if not exists log_identity (id text primary key)`.execute(trx);
    await sql`insert into log_identity (id) select ${newId()} where not exists (select 1 from log_identity)`.execute(trx);
  });
  return (await read())!;
}

async function readRecorded(main: Store): Promise<Recorded | undefined> {
  if (!(await main.dialect.hasTable(main.db, 'store_files'))) return undefined;
  return (await sql<Recorded>`select id, location from store_files where role = 'log'`.execute(main.db)).rows[0];
}
