import { createLogger, createServer } from '../main.js';
import { announceStore, configFrom, print, type CliContext } from './context.js';

export async function serve(ctx: CliContext, options: { config?: string; port?: string; host?: string }): Promise<void> {
  const config = configFrom(ctx, options, {
    port: options.port === undefined ? undefined : Number(options.port),
    host: options.host,
  });
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) throw new Error(`--port must be a port number, got ${options.port}`);
  await announceStore(ctx, config.databaseUrl, 'any');
  const logger = createLogger(config);
  const server = await createServer(config, { logger, processMetrics: true });
  if (server.newAdminToken) {
    print(
      ctx.stdout,
      [
        '',
        'Touchpoint created an admin token for the management API (/api). It is shown only this once:',
        '',
        `    ${server.newAdminToken}`,
        '',
        'Use it as "Authorization: Bearer <token>". Set TOUCHPOINT_ADMIN_TOKEN to choose your own instead.',
        '',
      ].join('\n'),
    );
  }
  const address = await server.app.listen({ port: config.port, host: config.host });
  logger.info({ address, store: server.touchpoint.store.location, eventLog: server.touchpoint.logStore.location }, 'Touchpoint is listening');
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const port = Number(new URL(address).port);
  const { store, logStore } = server.touchpoint;
  const where = logStore === store ? `store: ${store.location}` : `store: ${store.location}, event log: ${logStore.location}`;
  print(ctx.stdout, `Touchpoint is listening on http://${shownHost}:${port} (${where})`);
  const signal = await ctx.stopSignal;
  logger.info({ signal }, 'shutting down: finishing requests in flight');
  await server.close();
}
