/** Running one batch of events through the stages, with no I/O of its own. */
import type { LoggedEvent } from '../log/index.js';
import type { BatchItem, BatchScope, PipelineEvent, Stage } from './stage.js';

export type Outcome =
  | { kind: 'applied' }
  | { kind: 'skipped' }
  | { kind: 'dropped'; stage: string; reason: string }
  | { kind: 'dead_letter'; stage: string; reason: string };

/** A later stage refused an event that earlier stages have written for: the batch must run again without it. */
export class Refusal extends Error {
  constructor(
    readonly seq: number,
    readonly outcome: Outcome,
  ) {
    super(`event ${seq} refused by ${'stage' in outcome ? outcome.stage : 'a stage'}`);
  }
}

export function toPipelineEvent(event: LoggedEvent): PipelineEvent {
  return {
    seq: event.seq,
    sourceId: event.sourceId,
    messageId: event.messageId,
    type: event.type,
    event: event.event,
    channel: event.channel,
    userId: event.userId,
    anonymousId: event.anonymousId,
    timestamp: event.timestamp,
    receivedAt: event.receivedAt,
    message: JSON.parse(event.payload) as Record<string, unknown>,
  };
}

/**
 * Runs the stages over the events in order; returns each event's outcome.
 * Throws a Refusal when a stage other than the first refuses an event.
 */
export async function runStages(stages: readonly Stage<unknown, unknown>[], events: PipelineEvent[], scope: BatchScope): Promise<Map<number, Outcome>> {
  const outcomes = new Map<number, Outcome>();
  let items: BatchItem<Record<string, unknown>>[] = events.map((event) => ({ event, ctx: {} }));
  for (const [index, stage] of stages.entries()) {
    if (items.length === 0) break;
    const results = await stage.run(items, scope);
    const kept: typeof items = [];
    results.forEach((result, i) => {
      const item = items[i]!;
      if (result.kind === 'ok') {
        Object.assign(item.ctx, result.value);
        kept.push(item);
        return;
      }
      const outcome: Outcome = { kind: result.kind === 'drop' ? 'dropped' : 'dead_letter', stage: stage.name, reason: result.reason };
      if (index > 0) throw new Refusal(item.event.seq, outcome);
      outcomes.set(item.event.seq, outcome);
    });
    items = kept;
  }
  for (const item of items) outcomes.set(item.event.seq, { kind: 'applied' });
  return outcomes;
}
