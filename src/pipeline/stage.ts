/**
 * What a pipeline stage is. A stage takes a whole batch in log order: it
 * reads what the batch needs in a few queries, folds the events in memory
 * and writes what changed in multi-row statements. It returns a value for
 * every event: ok (with what it hands on to later stages), drop or
 * dead-letter with a reason. Only bugs and transient failures throw.
 *
 * A stage writes nothing for an event it refuses. When a later stage refuses
 * an event that earlier stages have written for, the batch runs again
 * without it: a refused event leaves no effect, with no savepoint per event.
 */
import type { Kysely } from 'kysely';
import type { LoggedEvent } from '../log/index.js';

/** A logged event with its message parsed. */
export interface PipelineEvent extends Omit<LoggedEvent, 'payload' | 'partition'> {
  message: Record<string, unknown>;
}

/** An event Touchpoint derives while processing (a stage change): appended to the log once the batch commits. */
export interface DerivedEvent {
  profileId: string;
  event: string;
  properties: Record<string, unknown>;
  /** When it happened (event time). */
  at: number;
  /** Unique per fact: processing it again derives nothing twice. */
  key: string;
}

export interface BatchScope {
  /** The batch's write transaction; the pipeline position commits in it too. */
  readonly trx: Kysely<object>;
  /** Processing time (when the batch runs), as opposed to the events' own times. */
  readonly now: number;
  derive(event: DerivedEvent): void;
}

export interface BatchItem<C> {
  readonly event: PipelineEvent;
  readonly ctx: C;
}

export type StageResult<Out> = { kind: 'ok'; value: Out } | { kind: 'drop'; reason: string } | { kind: 'dead_letter'; reason: string };

export const ok = <Out>(value: Out): StageResult<Out> => ({ kind: 'ok', value });
export const drop = (reason: string): StageResult<never> => ({ kind: 'drop', reason });
export const deadLetter = (reason: string): StageResult<never> => ({ kind: 'dead_letter', reason });

/** A stage reads `In` from the stages before it and adds `Out` for the stages after it. */
export interface Stage<In, Out> {
  readonly name: string;
  run(items: readonly BatchItem<In>[], scope: BatchScope): Promise<StageResult<Out>[]>;
}

/** Stages in order, typed so that each gets what the ones before it hand on. */
export interface StageChain<C> {
  readonly stages: readonly Stage<unknown, unknown>[];
  next<Out>(stage: Stage<C, Out>): StageChain<C & Out>;
}

export function chain<Out>(first: Stage<object, Out>): StageChain<Out> {
  const make = <C>(stages: readonly Stage<unknown, unknown>[]): StageChain<C> => ({
    stages,
    next: <Next>(stage: Stage<C, Next>) => make<C & Next>([...stages, stage as Stage<unknown, unknown>]),
  });
  return make<Out>([first as Stage<unknown, unknown>]);
}
