/**
 * A send step's contact request, from asking to the steps of the message's
 * life. The request is rendered before the write transaction (rendering
 * takes time) on every channel the customer can be reached on; the policy
 * decides in the transaction (where it sees every send made before it); the
 * decision then picks the rendering of the channel it chose. A deferred
 * message keeps its request and renderings, to be decided again when due.
 */
import type { NewDelivery } from '../channels/index.js';
import type { NewMessage, Outcome, Step } from '../history/index.js';
import { openChannels, type Contact, type ContactRequest, type Customer, type Decided, type MessageChannel } from '../policy/index.js';
import type { Standpoint } from '../standing/index.js';
import type { Effect } from './engine.js';
import type { PlanServices, RenderScope } from './plan.js';

/** A rendering per channel the message may go out on, or why it could not be rendered. */
export type Renders = Partial<Record<MessageChannel, { rendered: Record<string, unknown>; missing: string[] } | { error: string }>>;

export interface MessagePlan {
  message: NewMessage;
  contact: Contact;
  renders: Renders;
  /** The configured channel the step names, when it names one. */
  via?: string;
}

/** The configured channel that takes a message (its name; outbox: read through the API), and the queue it waits in. */
export interface Deliveries {
  routeOf(channel: MessageChannel, via?: string): string;
  enqueue(trx: import('kysely').Kysely<object>, list: readonly NewDelivery[], now: number): Promise<void>;
}

/** What a deferred message keeps, to be decided again when due. */
export interface DeferredRequest {
  request: ContactRequest;
  renders: Renders;
  /** The customer's time zone when asked for. */
  zone: string;
  via?: string;
}

/** One e-mail address, or none: a trait holding a list ("a@x, b@y") must not fan one message out to several people. */
const oneAddress = (value: string | undefined) =>
  value !== undefined && /^[^\s@,;<>"()]+@[^\s@,;<>"()]+\.[^\s@,;<>"()]+$/.test(value.trim()) ? value.trim() : undefined;

/** The customer as the policy sees them, from where they stand now. */
export function customerOf(standpoint: Standpoint | undefined, zone: string): Customer {
  if (!standpoint) return { gone: true, consent: () => ({ status: 'unknown', allowed: false }), address: () => undefined, zone };
  const trait = (name: string) => {
    const value = standpoint.context.trait(name);
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  return {
    gone: false,
    consent: (channel, purpose) => standpoint.context.consent(channel, purpose),
    address: (channel) => (channel === 'email' ? oneAddress(trait('email')) : channel === 'sms' ? (trait('phone') ?? trait('phoneNumber')) : undefined),
    zone,
    stage: standpoint.scope.stage,
    preferredChannel: trait('preferredChannel'),
    visitHoursUtc: standpoint.activeHoursUtc,
  };
}

export function requestOf(
  effect: Extract<Effect, { kind: 'send' }>,
  profileId: string,
  journey: { id: string; priority?: number; onConflict?: 'defer' | 'drop' },
  now: number,
): ContactRequest {
  return {
    profileId,
    channel: effect.channel,
    fallback: effect.fallback,
    purpose: effect.purpose,
    consentChannel: effect.consentChannel,
    journeyId: journey.id,
    priority: journey.priority ?? 0,
    onConflict: journey.onConflict ?? 'defer',
    value: effect.value,
    weight: effect.weight,
    sendAt: effect.sendAt,
    maxDelayHours: effect.maxDelayHours,
    requestedAt: now,
  };
}

/** Renders the content on each channel the customer may be reached on (none when no channel can be). */
export async function renderFor(
  contact: Contact,
  content: string,
  scope: RenderScope,
  services: PlanServices,
): Promise<{ contentId: string | null; renders: Renders }> {
  const renders: Renders = {};
  // The channels nothing could open (no address, a denial): whether consent that is only unknown stops it is the policy's to say.
  const { open } = contact.customer.gone ? { open: [] } : openChannels(contact.request, contact.customer, true);
  if (open.length === 0) return { contentId: null, renders };
  const item = await services.findContent(content);
  for (const channel of open) {
    try {
      if (!item) throw new Error(`content ${JSON.stringify(content)} no longer exists`);
      renders[channel] = await services.render(item, channel, scope);
    } catch (error) {
      renders[channel] = { error: (error as Error).message };
    }
  }
  return { contentId: item?.id ?? null, renders };
}

export interface Settled {
  steps: Step[];
  outcome: Outcome;
}

/** The steps a decision adds to a message's life, and what the message row shows after them. */
export function settle(decided: Decided, deferred: DeferredRequest, route: Deliveries['routeOf'], at: number): Settled {
  const d = decided.decision;
  const version = { policyVersion: decided.policyVersion };
  if (d.kind === 'suppress') return { steps: [{ status: 'suppressed', at, reason: d.reason, detail: version }], outcome: { delivery: null, rendered: null } };
  if (d.kind === 'defer') {
    const step: Step = { status: 'deferred', at, reason: d.reason, deferredUntil: d.until, detail: version };
    return { steps: [step], outcome: { delivery: null, rendered: null, channel: d.channel, request: deferred as unknown as Record<string, unknown> } };
  }
  const steps: Step[] = [];
  if (d.kind === 'reroute') steps.push({ status: 'rerouted', at, reason: d.reason, detail: { from: d.from, to: d.channel } });
  steps.push({ status: 'allowed', at, detail: version });
  const out = deferred.renders[d.channel];
  if (!out || 'error' in out) {
    steps.push({ status: 'failed', at, reason: 'render_failed', detail: { error: out?.error ?? `not rendered for ${d.channel}` } });
    return { steps, outcome: { delivery: null, rendered: null, channel: d.channel } };
  }
  const delivery = route(d.channel, deferred.via);
  steps.push({ status: 'rendered', at, ...(out.missing.length > 0 && { detail: { missing: out.missing } }) });
  // The outbox is read through the API: handing it over is sending. A configured channel's queue sends it at the channel's pace.
  if (delivery === 'outbox') steps.push({ status: 'queued', at }, { status: 'sent', at, detail: { delivery } });
  else steps.push({ status: 'queued', at, detail: { channel: delivery } });
  // Caps count a message from the moment it is let through, queued or not: a queue draining slowly must not let more in.
  return { steps, outcome: { delivery, rendered: out.rendered, channel: d.channel, sentAt: at } };
}

/** What a configured channel's queue takes of a settled message (nothing for the outbox or a message that is not going out). */
export function deliveryOf(
  message: Pick<NewMessage, 'id' | 'profileId' | 'channel' | 'purpose' | 'contentId'> & { journeyId: string | null; stepId: string | null },
  outcome: Outcome,
  to: string | undefined,
): NewDelivery | undefined {
  if (outcome.delivery === null || outcome.delivery === 'outbox' || outcome.rendered === null) return undefined;
  return {
    messageId: message.id,
    profileId: message.profileId,
    channelName: outcome.delivery,
    channel: (outcome.channel ?? message.channel) as MessageChannel,
    to: to ?? null,
    purpose: message.purpose,
    rendered: outcome.rendered,
    journeyId: message.journeyId,
    stepId: message.stepId,
    contentId: message.contentId,
  };
}
