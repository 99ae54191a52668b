import { migrations } from '../main.js';
import { openStore } from '../store/index.js';
import { announceStore, configFrom, print, type CliContext } from './context.js';

export async function migrate(ctx: CliContext, options: { config?: string }): Promise<void> {
  const config = configFrom(ctx, options);
  await announceStore(ctx, config.databaseUrl, 'any');
  const store = openStore(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous, pgPoolSize: 1 });
  try {
    const applied = await store.migrate(migrations);
    print(ctx.stdout, applied.length === 0 ? `${store.location}: up to date` : `${store.location}: applied ${applied.join(', ')}`);
  } finally {
    await store.close();
  }
}
