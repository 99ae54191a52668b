/** The server's daily chart of segment sizes: sizes recorded once per interval (the last run of a day stands for it). */
import type { Logger } from 'pino';

export function recordSizesEvery(segments: { recordSizes(): Promise<void> }, intervalMs: number, logger?: Logger): NodeJS.Timeout {
  const run = () => segments.recordSizes().catch((error) => logger?.error({ err: error }, 'recording segment sizes failed'));
  void run();
  return setInterval(run, intervalMs).unref();
}
