/**
 * Moving one customer through a journey's steps, with no I/O: from a step,
 * run every step that takes no time (branch, split, send, set a trait) until
 * one that waits, an exit, or the end. The effects (messages to ask for,
 * traits to set) are returned as values for the caller to carry out in the
 * same transaction as the enrolment's new position. One handler per step
 * kind, in a table that must cover every kind.
 */
import type { Condition } from '../standing/index.js';
import { stepKindOf, type JourneyDefinition, type Step, type StepKind, type StepOf } from './schema.js';
import { durationMs, nextLocalTime, pickArm } from './timing.js';

export interface WaitForEvent {
  event: string | string[];
  where: { property: string; op: string; value?: unknown }[];
  /** Keyed journeys: only an event with the enrolment's key resumes it. */
  matchKey: boolean;
}

export type Effect =
  | ({ kind: 'send'; stepId: string; purpose: string; consentChannel: string | null } & Omit<StepOf<'send'>['send'], 'purpose' | 'consentChannel'>)
  | { kind: 'setTrait'; stepId: string; name: string; value: unknown }
  | ({ kind: 'call'; stepId: string } & StepOf<'webhook'>['webhook']);

export type End = { kind: 'wait'; stepId: string; until: number; waitFor?: WaitForEvent } | { kind: 'done'; reason: 'completed' | 'exit' };

export interface Progress {
  /** The steps reached, in order. */
  reached: { stepId: string; kind: StepKind }[];
  effects: Effect[];
  /** The split arm drawn on the way, when one was. */
  arm: string | null;
  end: End;
}

export interface RunContext {
  now: number;
  /** The customer's time zone (trait timezone, else the journey's or the brand's). */
  zone: string;
  /** This customer's draw for this journey, in [0, 1). */
  drawn: number;
  /** A branch's condition evaluated now for the customer. */
  holds(condition: Condition): Promise<boolean>;
}

type Go = { next: string | undefined } | { end: End };
type Handler<K extends StepKind> = (step: StepOf<K>, ctx: RunContext, progress: Progress) => Promise<Go> | Go;

/** Channels whose consent governs a message, unless the step names one. */
const CONSENT_CHANNEL = { email: 'email', sms: 'sms', push: 'push', webhook: null } as const;

const HANDLERS: { [K in StepKind]: Handler<K> } = {
  wait: (step, ctx) => ({ end: { kind: 'wait', stepId: step.id, until: ctx.now + durationMs(step.wait) } }),
  waitUntil: (step, ctx) => ({ end: { kind: 'wait', stepId: step.id, until: nextLocalTime(ctx.now, step.waitUntil.localTime, ctx.zone) } }),
  waitFor: (step, ctx) => ({
    end: {
      kind: 'wait',
      stepId: step.id,
      until: ctx.now + durationMs(step.waitFor.timeout),
      waitFor: { event: step.waitFor.event, where: step.waitFor.where ?? [], matchKey: step.waitFor.matchKey ?? true },
    },
  }),
  branch: async (step, ctx) => ({ next: (await ctx.holds(step.branch)) ? step.then : step.else }),
  split: (step, ctx, progress) => {
    const arm = pickArm(step.split, ctx.drawn);
    progress.arm = arm.arm;
    return { next: arm.next };
  },
  send: (step, _ctx, progress) => {
    const s = step.send;
    progress.effects.push({
      ...s,
      kind: 'send',
      stepId: step.id,
      purpose: s.purpose ?? 'marketing',
      consentChannel: s.consentChannel ?? CONSENT_CHANNEL[s.channel],
    });
    return { next: step.next };
  },
  setTrait: (step, _ctx, progress) => {
    progress.effects.push({ kind: 'setTrait', stepId: step.id, name: step.setTrait.name, value: step.setTrait.value });
    return { next: step.next };
  },
  webhook: (step, _ctx, progress) => {
    progress.effects.push({ kind: 'call', stepId: step.id, ...step.webhook });
    return { next: step.next };
  },
  exit: () => ({ end: { kind: 'done', reason: 'exit' } }),
};

/** Runs from step `from` (undefined: the journey is over for the customer). */
export async function runFrom(definition: JourneyDefinition, from: string | undefined, ctx: RunContext, arm: string | null = null): Promise<Progress> {
  const steps = new Map(definition.steps.map((s) => [s.id, s]));
  const progress: Progress = { reached: [], effects: [], arm, end: { kind: 'done', reason: 'completed' } };
  // Definitions are checked to have no cycle; the bound is a guard, not a rule.
  for (let current = from, hops = 0; current !== undefined && hops <= steps.size; hops++) {
    const step = steps.get(current);
    if (!step) throw new Error(`journey has no step ${current}`);
    const kind = stepKindOf(step);
    progress.reached.push({ stepId: step.id, kind });
    const go = await (HANDLERS[kind] as Handler<StepKind>)(step as never, ctx, progress);
    if ('end' in go) {
      progress.end = go.end;
      return progress;
    }
    current = go.next;
  }
  return progress;
}

/** Where a customer waiting at a step goes when the wait ends: on (its time came, or the event did) or to the timeout branch. */
export function afterWait(definition: JourneyDefinition, stepId: string, how: 'elapsed' | 'event'): string | undefined {
  const step: Step | undefined = definition.steps.find((s) => s.id === stepId);
  if (!step) return undefined;
  if ('waitFor' in step) return how === 'event' ? step.next : step.onTimeout;
  return 'next' in step ? step.next : undefined;
}
