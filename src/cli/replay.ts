import type { PipelineStatus } from '../pipeline/index.js';
import { print, withTouchpoint, type CliContext } from './context.js';

export interface ReplayOptions {
  config?: string;
  from?: string;
  deadLetters?: boolean;
  rebuild?: boolean;
  json?: boolean;
}

export async function replay(ctx: CliContext, options: ReplayOptions): Promise<void> {
  const modes = [options.from !== undefined, options.deadLetters, options.rebuild].filter(Boolean).length;
  if (modes !== 1) throw new Error('say what to replay: --from SEQ, --dead-letters or --rebuild (one of them)');
  const from = options.from === undefined ? undefined : Number(options.from);
  if (from !== undefined && (!Number.isInteger(from) || from < 1)) throw new Error(`--from must be a log position (1 or more), got ${options.from}`);
  await withTouchpoint(ctx, options, async (tp) => {
    let last = 0;
    const progress = (s: PipelineStatus) => {
      if (Date.now() - last < 2000) return;
      last = Date.now();
      print(ctx.stderr, `replaying: at ${s.position} of ${s.head} (${s.lagEvents} to go)`);
    };
    if (options.deadLetters) {
      const result = await tp.pipeline.replayDeadLetters();
      return print(ctx.stdout, options.json ? JSON.stringify(result) : `Replayed ${result.replayed} dead-lettered events; ${result.stillFailing} still fail.`);
    }
    const status = options.rebuild ? await tp.pipeline.rebuild(progress) : await tp.pipeline.replayFrom(from!);
    if (options.json) return print(ctx.stdout, JSON.stringify(status));
    print(
      ctx.stdout,
      `${options.rebuild ? 'Rebuilt everything from the log' : `Replayed from ${from}`}: at position ${status.position}, ${status.deadLetters} dead letters.`,
    );
  });
}
