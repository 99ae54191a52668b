/**
 * Turning a customer's progress through a journey into what must be written:
 * the enrolment's new place, the activity for stats, the messages (each
 * request decided by the contact policy, then rendered) and the traits to
 * set. Everything is worked out before the write transaction opens (reads
 * and rendering take time); the write only stores it (writer.ts).
 */
import type { MessageChannel } from '../policy/index.js';
import type { NewMessage } from '../history/index.js';
import type { Standpoint } from '../standing/index.js';
import { runFrom, type Effect, type Progress } from './engine.js';
import type { JourneyDefinition } from './schema.js';
import type { JourneyTables } from './tables.js';
import { JOURNEY_CALLS, type CallRequest, type NewDelivery } from '../channels/index.js';
import { customerOf, renderFor, requestOf, type Deliveries, type MessagePlan } from './sending.js';
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
  /** Renders every string inside a JSON value as a Liquid template. */
  renderJson(value: unknown, scope: RenderScope): Promise<unknown>;
  /** The configured channels' queues (or the outbox) that take what the policy let through. */
  deliveries: Deliveries;
  defaultZone: string;
}

export interface RenderScope {
  profile: Standpoint['scope'];
  event?: Record<string, unknown>;
  journey: { id: string; name: string; version: number; step: string };
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
  /** Webhook calls, queued in the step's transaction. */
  calls: NewDelivery[];
  /** A conversion: the enrolment's messages that went out are marked converted too. */
  conversion?: { seq: number; value: number | null };
}

export interface JourneyRef {
  id: string;
  name: string;
  version: number;
  definition: JourneyDefinition;
}

/** The customer's zone: their timezone trait, else the journey's, else the brand's. */
export function zoneOf(standpoint: Standpoint | undefined, definition: Pick<JourneyDefinition, 'timezone'>, fallback: string): string {
  const own = standpoint?.context.trait('timezone');
  if (typeof own === 'string' && isTimeZone(own)) return own;
  return definition.timezone ?? fallback;
}

async function planMessage(
  effect: Extract<Effect, { kind: 'send' }>,
  enrolment: EnrolmentRow,
  journey: JourneyRef,
  standpoint: Standpoint | undefined,
  zone: string,
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
    stage: standpoint?.scope.stage ?? null,
  };
  const request = requestOf(effect, enrolment.profile_id, { id: journey.id, ...journey.definition }, now);
  const contact = { request, customer: customerOf(standpoint, zone) };
  if (!standpoint) return { message, contact, renders: {}, via: effect.via };
  const event = enrolment.trigger === null ? undefined : (JSON.parse(enrolment.trigger) as Record<string, unknown>);
  const scope = { profile: standpoint.scope, event, journey: { id: journey.id, name: journey.name, version: enrolment.version, step: effect.stepId } };
  const { contentId, renders } = await renderFor(contact, effect.content, scope, services);
  message.contentId = contentId;
  request.contentId = contentId;
  return { message, contact, renders, via: effect.via };
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
  const zone = zoneOf(standpoint, journey.definition, services.defaultZone);
  const ctx = {
    now,
    zone,
    drawn: draw(journey.id, e.profile_id),
    holds: async (condition: Parameters<Standpoint['matches']>[0]) => (standpoint ? standpoint.matches(condition) : false),
  };
  const progress: Progress = await runFrom(journey.definition, from, ctx, e.arm);
  e.arm = progress.arm;
  const plan: Plan = {
    enrolment: e,
    isNew: base.isNew,
    expectUpdatedAt: base.expectUpdatedAt,
    activity: [...(base.activity ?? [])],
    messages: [],
    traits: [],
    calls: [],
  };
  for (const r of progress.reached) plan.activity.push(activity(e, 'reached', now, { step_id: r.stepId }));
  for (const effect of progress.effects) {
    if (effect.kind === 'send') plan.messages.push(await planMessage(effect, e, journey, standpoint, zone, services, now));
    else if (effect.kind === 'call') plan.calls.push(await planCall(effect, e, journey, standpoint, services));
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

async function planCall(
  effect: Extract<Effect, { kind: 'call' }>,
  e: EnrolmentRow,
  journey: JourneyRef,
  standpoint: Standpoint | undefined,
  services: PlanServices,
): Promise<NewDelivery> {
  const method = effect.method ?? 'POST';
  let request: CallRequest;
  try {
    if (!standpoint) throw new Error('the profile no longer exists');
    const event = e.trigger === null ? undefined : (JSON.parse(e.trigger) as Record<string, unknown>);
    const scope = { profile: standpoint.scope, event, journey: { id: journey.id, name: journey.name, version: e.version, step: effect.stepId } };
    const rendered = (await services.renderJson({ url: effect.url, body: effect.body ?? null, headers: effect.headers ?? {} }, scope)) as CallRequest;
    request = { ...rendered, method, saveTraits: effect.saveTraits };
  } catch (error) {
    request = { url: effect.url, method, error: (error as Error).message.replace(/\/variants\/webhook\/payload/g, `step ${effect.stepId}: `) };
  }
  return {
    kind: 'call',
    messageId: `call:${e.id}:${e.version}:${effect.stepId}`,
    profileId: e.profile_id,
    channelName: JOURNEY_CALLS,
    channel: 'webhook',
    to: null,
    purpose: 'call',
    rendered: request as unknown as Record<string, unknown>,
    journeyId: journey.id,
    stepId: effect.stepId,
    contentId: null,
  };
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
    calls: [],
    conversion: { seq, value },
  };
}

export { activity as activityRow };
