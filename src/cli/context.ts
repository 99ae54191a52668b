import { loadConfig, type Config } from '../config.js';
import { openTouchpoint, type Touchpoint } from '../main.js';

/** What a command gets from the process: injected so the CLI can be run in tests. */
export interface CliContext {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
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

/** Opens Touchpoint for one command and closes it after, whatever happens. */
export async function withTouchpoint<T>(
  ctx: CliContext,
  options: { config?: string },
  work: (tp: Touchpoint) => Promise<T>,
): Promise<T> {
  const tp = await openTouchpoint(configFrom(ctx, options));
  try {
    return await work(tp);
  } finally {
    await tp.close();
  }
}
