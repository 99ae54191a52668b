import { randomIds } from '../ids.js';
import { logMigrations } from '../log/index.js';
import { migrations } from '../main.js';
import { openStores } from '../store/index.js';
import { announceStore, configFrom, print, type CliContext } from './context.js';

export async function migrate(ctx: CliContext, options: { config?: string }): Promise<void> {
  const config = configFrom(ctx, options);
  await announceStore(ctx, config.databaseUrl, 'any');
  const stores = await openStores(config.databaseUrl, {
    sqliteSynchronous: config.sqliteSynchronous,
    pgPoolSize: 1,
    logUrl: config.logDatabaseUrl,
    newId: randomIds.uuid,
  });
  try {
    const steps = stores.separate
      ? ([
          [stores.main, migrations],
          [stores.log, logMigrations],
        ] as const)
      : ([[stores.main, { ...migrations, ...logMigrations }]] as const);
    for (const [store, set] of steps) {
      const applied = await store.migrate(set);
      print(ctx.stdout, applied.length === 0 ? `${store.location}: up to date` : `${store.location}: applied ${applied.join(', ')}`);
    }
  } finally {
    await stores.main.close();
    if (stores.separate) await stores.log.close();
  }
}
