/**
 * Turning a customer's progress through a journey into what must be written:
 * the enrolment's new place, the activity for stats, the messages (each
 * request decided by the contact policy, then rendered) and the traits to
 * set. Everything is worked out before the write transaction opens (reads
 * and rendering take time); the write only stores it (writer.ts).
 */
import { decideContact, type Customer, type Decision, type MessageChannel } from '../policy/index.js';
import type { NewMessage, Step } from '../history/index.js';
import type { Standpoint } from '../standing/index.js';
import { runFrom, type Effect, type Progress } from './engine.js';
import type { JourneyDefinition } from './schema.js';
import type { JourneyTables } from './tables.js';
import { draw, isTimeZone } from './timing.js';

type EnrolmentRow = JourneyTables['journey_enrolments'];
type ActivityRow = Omit<JourneyTables['journey_activity'], 'id'>;

/** A content item as the content module gives it: journeys only pass it back to be rendered. */
export interface ContentRef {
  id: string;
}

/** What the runner needs from outside the module, per message. */
export interface PlanServices {
  /** A content item by id or name (undefined: deleted since the journey was checked). */
  findContent(idOrName: string): Promise<ContentRef | undefined>;
  render(item: ContentRef, channel: MessageChannel, scope: RenderScope): Promise<{ rendered: Record<string, unknown>; missing: string[] }>;
  newMessageId(): string;
  /** The delivery adapter messages go to (outbox). */
  delivery: string;
  defaultZone: string;
}

export interface RenderScope {
  profile: Standpoint['scope'];
  event?: Record<string, unknown>;
  journey: { id: string; name: string; version: number; step: string };
}

export interface MessagePlan {
  message: NewMessage;
  steps: Step[];
  delivery: string | null;
  rendered: Record<string, unknown> | null;
}

/** A trait a journey sets: an identify event of Touchpoint's admin source that names the profile. */
export interface TraitPlan {
  messageId: string;
  profileId: string;
  traits: Record<string, unknown>;
  at: number;
  journeyId: string;
}

export interface Plan {
  /** The enrolment as it must be after this step (with the time it was read at, to detect a change made meanwhile). */
  enrolment: EnrolmentRow;
  isNew: boolean;
  expectUpdatedAt: number | null;
  activity: ActivityRow[];
  messages: MessagePlan[];
  traits: TraitPlan[];
  /** A conversion: the enrolment's messages that went out are marked converted too. */
  conversion?: { seq: number; value: number | null };
}

export interface JourneyRef {
  id: string;
  name: string;
  version: number;
  definition: JourneyDefinition;
}

/** The customer as the policy sees them, from where they stand now. */
export function customerOf(standpoint: Standpoint | undefined): Customer {
  if (!standpoint) return { gone: true, consent: () => ({ status: 'unknown', allowed: false }), address: () => undefined };
  const trait = (name: string) => {
    const value = standpoint.context.trait(name);
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  return {
    gone: false,
    consent: (channel, purpose) => standpoint.context.consent(channel, purpose),
    address: (channel) => (channel === 'email' ? trait('email') : channel === 'sms' ? (trait('phone') ?? trait('phoneNumber')) : undefined),
  };
}

function zoneOf(standpoint: Standpoint | undefined, definition: JourneyDefinition, fallback: string): string {
  const own = standpoint?.context.trait('timezone');
  if (typeof own === 'string' && isTimeZone(own)) return own;
  return definition.timezone ?? fallback;
}

const stepsOf = (decision: Decision, now: number): Step[] => {
  const requested: Step = { status: 'requested', at: now };
  if (decision.kind === 'suppress') return [requested, { status: 'suppressed', at: now, reason: decision.reason }];
  if (decision.kind === 'defer') return [requested, { status: 'deferred', at: now, reason: decision.reason, deferredUntil: decision.until }];
  return [requested, { status: 'allowed', at: now }];
};

async function planMessage(
  effect: Extract<Effect, { kind: 'send' }>,
  enrolment: EnrolmentRow,
  journey: JourneyRef,
  standpoint: Standpoint | undefined,
  services: PlanServices,
  now: number,
): Promise<MessagePlan> {
  const message: NewMessage = {
    id: services.newMessageId(),
    idempotencyKey: `${enrolment.id}:${enrolment.version}:${effect.stepId}`,
    profileId: enrolment.profile_id,
    journey: { id: journey.id, version: enrolment.version, stepId: effect.stepId, enrolmentId: enrolment.id, arm: enrolment.arm },
    channel: effect.channel,
    contentId: null,
    purpose: effect.purpose,
    requestedAt: now,
  };
  const request = { profileId: enrolment.profile_id, channel: effect.channel, purpose: effect.purpose, consentChannel: effect.consentChannel };
  const decision = decideContact(request, customerOf(standpoint));
  const steps = stepsOf(decision, now);
  if (decision.kind !== 'allow' || !standpoint) return { message, steps, delivery: null, rendered: null };
  try {
    const event = enrolment.trigger === null ? undefined : (JSON.parse(enrolment.trigger) as Record<string, unknown>);
    const scope = { profile: standpoint.scope, event, journey: { id: journey.id, name: journey.name, version: enrolment.version, step: effect.stepId } };
    const item = await services.findContent(effect.content);
    if (!item) throw new Error(`content ${JSON.stringify(effect.content)} no longer exists`);
    const out = await services.render(item, effect.channel, scope);
    message.contentId = item.id;
    const detail = out.missing.length > 0 ? { missing: out.missing } : undefined;
    steps.push({ status: 'rendered', at: now, detail }, { status: 'queued', at: now }, { status: 'sent', at: now, detail: { delivery: services.delivery } });
    return { message, steps, delivery: services.delivery, rendered: out.rendered };
  } catch (error) {
    steps.push({ status: 'failed', at: now, reason: 'render_failed', detail: { error: (error as Error).message } });
    return { message, steps, delivery: null, rendered: null };
  }
}

const activity = (e: EnrolmentRow, kind: ActivityRow['kind'], at: number, extra: Partial<ActivityRow> = {}): ActivityRow => ({
  journey_id: e.journey_id,
  version: e.version,
  enrolment_id: e.id,
  profile_id: e.profile_id,
  kind,
  step_id: null,
  arm: e.arm,
  value: null,
  detail: null,
  at,
  ...extra,
});

/** Runs an enrolment from a step and plans what it leads to. */
export async function planRun(
  base: { enrolment: EnrolmentRow; isNew: boolean; expectUpdatedAt: number | null; activity?: ActivityRow[] },
  journey: JourneyRef,
  from: string | undefined,
  standpoint: Standpoint | undefined,
  services: PlanServices,
  now: number,
): Promise<Plan> {
  const e = { ...base.enrolment };
  const ctx = {
    now,
    zone: zoneOf(standpoint, journey.definition, services.defaultZone),
    drawn: draw(journey.id, e.profile_id),
    holds: async (condition: Parameters<Standpoint['matches']>[0]) => (standpoint ? standpoint.matches(condition) : false),
  };
  const progress: Progress = await runFrom(journey.definition, from, ctx, e.arm);
  e.arm = progress.arm;
  const plan: Plan = { enrolment: e, isNew: base.isNew, expectUpdatedAt: base.expectUpdatedAt, activity: [...(base.activity ?? [])], messages: [], traits: [] };
  for (const r of progress.reached) plan.activity.push(activity(e, 'reached', now, { step_id: r.stepId }));
  for (const effect of progress.effects) {
    if (effect.kind === 'send') plan.messages.push(await planMessage(effect, e, journey, standpoint, services, now));
    else
      plan.traits.push({
        messageId: `journey-trait:${e.id}:${e.version}:${effect.stepId}`,
        profileId: e.profile_id,
        traits: { [effect.name]: effect.value },
        at: now,
        journeyId: journey.id,
      });
  }
  const end = progress.end;
  Object.assign(e, { updated_at: now });
  if (end.kind === 'wait') {
    Object.assign(e, { step_id: end.stepId, next_at: end.until, wait_for: end.waitFor ? JSON.stringify({ ...end.waitFor, since: now }) : null });
  } else {
    Object.assign(e, {
      status: end.reason === 'exit' ? 'exited' : 'completed',
      step_id: null,
      next_at: null,
      wait_for: null,
      ended_at: now,
      exit_reason: end.reason,
    });
    plan.activity.push(activity(e, 'ended', now, { detail: end.reason }));
  }
  return plan;
}

/** Ends an enrolment on its goal: converted, with the value, against its version and arm. */
export function planConversion(enrolment: EnrolmentRow, value: number | null, seq: number, now: number): Plan {
  const e = { ...enrolment, status: 'converted' as const, step_id: null, next_at: null, wait_for: null, ended_at: now, exit_reason: 'goal', updated_at: now };
  return {
    enrolment: e,
    isNew: false,
    expectUpdatedAt: enrolment.updated_at,
    activity: [activity(e, 'converted', now, { value, detail: JSON.stringify({ seq }) }), activity(e, 'ended', now, { detail: 'goal' })],
    messages: [],
    traits: [],
    conversion: { seq, value },
  };
}

export { activity as activityRow };
