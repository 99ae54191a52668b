/**
 * What a pipeline stage is. A stage returns a value for every expected
 * outcome (ok, drop with a reason, dead-letter with a reason); only bugs and
 * transient failures (a lost connection) throw, and those are retried.
 */
import type { Kysely } from 'kysely';
import type { LoggedEvent } from '../log/index.js';

/** A logged event with its message parsed. */
export interface PipelineEvent extends Omit<LoggedEvent, 'payload' | 'partition' | 'messageId'> {
  message: Record<string, unknown>;
}

/** What stages hand on to later stages for one event. */
export interface StageContext {
  /** The transaction every effect of the event is written in, with the consumer position. */
  db: Kysely<object>;
  /** Set by the identity stage: the profile the event belongs to. */
  profileId?: string;
  /** Set by the identity stage: an event Touchpoint derived itself (a stage change, a segment entry). */
  internal?: boolean;
  /** Set by the identity stage: profiles merged by this event, in order. */
  merges?: { survivor: string; merged: string }[];
  /** Set by the profile stage: the profile's state and computed-trait states after the event (saves reading them again). */
  profile?: { state: unknown; traitStates?: Map<string, unknown> };
  /**
   * Lives for one transaction (a batch). Definitions (segments, computed traits,
   * the lifecycle model) cannot change during a batch: they change only while
   * the pipeline is paused, so stages may load them once per batch.
   */
  cache: Map<string, unknown>;
}

/** Loads a value once per batch. */
export async function cached<T>(cache: Map<string, unknown> | undefined, key: string, load: () => Promise<T>): Promise<T> {
  if (!cache) return load();
  if (!cache.has(key)) cache.set(key, await load());
  return cache.get(key) as T;
}

export type StageResult = { kind: 'ok' } | { kind: 'drop'; reason: string } | { kind: 'dead_letter'; reason: string };

export const ok = (): StageResult => ({ kind: 'ok' });
export const drop = (reason: string): StageResult => ({ kind: 'drop', reason });
export const deadLetter = (reason: string): StageResult => ({ kind: 'dead_letter', reason });

export interface Stage {
  name: string;
  run(event: PipelineEvent, ctx: StageContext): Promise<StageResult>;
}
