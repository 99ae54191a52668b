import { randomIds } from '../ids.js';
import { logMigrations } from '../log/index.js';
import { migrations } from '../main.js';
import { closePair, migratePair, openStores } from '../store/index.js';
import { announceStore, configFrom, print, type CliContext } from './context.js';

export async function migrate(ctx: CliContext, options: { config?: string }): Promise<void> {
  const config = configFrom(ctx, options);
  await announceStore(ctx, config.databaseUrl, 'any');
  const stores = await openStores(config.databaseUrl, {
    sqliteSynchronous: config.sqliteSynchronous,
    sqliteJournal: config.sqliteJournal,
    pgPoolSize: 1,
    logUrl: config.logDatabaseUrl,
    newId: randomIds.uuid,
  });
  try {
    for (const { store, applied } of await migratePair(stores, migrations, logMigrations)) {
      print(ctx.stdout, applied.length === 0 ? `${store.location}: up to date` : `${store.location}: applied ${applied.join(', ')}`);
    }
  } finally {
    await closePair(stores);
  }
}
