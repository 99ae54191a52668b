import { loadConfig, type Config } from '../config.js';
import { openTouchpoint, type Touchpoint } from '../main.js';
import { inspectStore } from '../store/index.js';

/** What a command gets from the process: injected so the CLI can be run in tests. */
export interface CliContext {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where passwords are read from (`touchpoint users`): a terminal asks without echo. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal: Promise<string>;
}

export function configFrom(ctx: CliContext, options: { config?: string }, overrides: Partial<Config> = {}): Config {
  const config = loadConfig(ctx.env, { configFile: options.config });
  return { ...config, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
}

export function print(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${text}\n`);
}

/**
 * Says which store a command opens, in one line on stderr. A relative SQLite
 * path depends on the current folder, so run elsewhere the same command would
 * make a second, empty store: commands that work on the brand's store
 * (`existing`) refuse one that Touchpoint has not set up, and create nothing.
 */
export async function announceStore(ctx: CliContext, databaseUrl: string, need: 'existing' | 'any'): Promise<void> {
  const { location, initialized } = await inspectStore(databaseUrl);
  const state = initialized ? '' : need === 'existing' ? ' (no Touchpoint store there)' : ' (new)';
  print(ctx.stderr, `store: ${location}${state}`);
  if (need === 'existing' && !initialized) {
    throw new Error(
      [
        `No Touchpoint store at ${location}; this command works on an existing one and created nothing.`,
        'Point it at the store your server uses with TOUCHPOINT_DATABASE_URL (e.g. sqlite:/srv/touchpoint/data/touchpoint.db;',
        'a relative path is relative to the current folder) or --config FILE,',
        'or set up a new store there first: touchpoint migrate (or npm start).',
      ].join('\n  '),
    );
  }
}

/** Opens Touchpoint's existing store for one command and closes it after, whatever happens. */
export async function withTouchpoint<T>(ctx: CliContext, options: { config?: string }, work: (tp: Touchpoint) => Promise<T>): Promise<T> {
  const config = configFrom(ctx, options);
  await announceStore(ctx, config.databaseUrl, 'existing');
  const tp = await openTouchpoint(config);
  if (tp.logStore !== tp.store) print(ctx.stderr, `event log: ${tp.logStore.location}`);
  try {
    return await work(tp);
  } finally {
    await tp.close();
  }
}
