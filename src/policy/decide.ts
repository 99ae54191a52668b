/**
 * The contact policy's decision for one request, with no I/O: a pure
 * function of the request, what is known of the customer, their contact
 * history, the policy and the time. Every rule it consults is written to a
 * trace (the simulator shows it); the first rule that stops the request
 * decides, with its reason. Erasure, reachability and consent always apply;
 * with a policy context, the control group, fatigue, caps, the choice of
 * channel, quiet hours and the best send time follow, except for
 * transactional purposes.
 */
import {
  allow,
  defer,
  reroute,
  suppress,
  TRANSACTIONAL,
  type ContactRequest,
  type Customer,
  type Decision,
  type MessageChannel,
  type SuppressReason,
  type TraceStep,
} from './decision.js';
import { bestSendTime, brokenCap, bypasses, inControlGroup, quietUntil, tiredUntil, type PolicyContext } from './rules.js';

/** Channels that cannot be reached without an address the profile holds. */
const NEEDS_ADDRESS: Record<MessageChannel, boolean> = { email: true, sms: true, push: false, webhook: false };

/** The channels to try, in order: the one asked for, then its fallbacks; the customer's preferred one first. */
export function candidates(request: ContactRequest, customer: Customer): MessageChannel[] {
  const asked = [...new Set([request.channel, ...(request.fallback ?? [])])];
  const preferred = asked.find((c) => c === customer.preferredChannel);
  return preferred ? [preferred, ...asked.filter((c) => c !== preferred)] : asked;
}

/** The inbound channel whose consent governs a message on this channel: its own, or for a webhook the step's (a webhook fallback of an email step is governed by email consent). */
const consentChannelOf = (channel: MessageChannel, request: ContactRequest): string | null =>
  channel === request.channel || channel === 'webhook' ? request.consentChannel : channel;

/** Why the customer cannot be reached on this channel for this purpose, if they cannot. */
function unreachable(channel: MessageChannel, request: ContactRequest, customer: Customer, transactional: boolean): SuppressReason | undefined {
  if (NEEDS_ADDRESS[channel] && !customer.address(channel)) return 'no_address';
  if (customer.addressSuppressed?.(channel)) return 'address_suppressed';
  const consentChannel = consentChannelOf(channel, request);
  if (consentChannel === null) return undefined;
  const consent = customer.consent(consentChannel, request.purpose);
  // A denial for this purpose, or for every purpose ("all": a hard opt-out of the channel), is never overridden, not even for a transactional message.
  if (consent.status === 'denied' || customer.consent(consentChannel, 'all').status === 'denied') return 'consent_denied';
  return transactional || consent.allowed ? undefined : 'no_consent';
}

/** The channels the customer can be reached on for this request, and why the others were passed over. */
export function openChannels(request: ContactRequest, customer: Customer, transactional: boolean, trace: TraceStep[] = []) {
  const open: MessageChannel[] = [];
  let firstReason: SuppressReason | undefined;
  for (const channel of candidates(request, customer)) {
    const reason = unreachable(channel, request, customer, transactional);
    trace.push(reason ? { rule: 'consent', outcome: 'skip', channel, reason } : { rule: 'consent', outcome: 'pass', channel });
    if (reason) firstReason ??= reason;
    else open.push(channel);
  }
  return { open, firstReason };
}

/** The learned score of sending this request on a channel: a Thompson draw of the propensity x value x weight. */
export function learnedScore(request: ContactRequest, customer: Customer, channel: MessageChannel, ctx: PolicyContext): number {
  const key = { contentId: request.contentId ?? '', channel, stage: customer.stage ?? null };
  const propensity = ctx.model && ctx.random ? ctx.model.sample(key, ctx.random) : 1;
  return propensity * (request.value ?? 1) * (request.weight ?? 1);
}

function chooseChannel(
  open: MessageChannel[],
  request: ContactRequest,
  customer: Customer,
  ctx: PolicyContext,
  trace: TraceStep[],
  draws?: ReadonlyMap<MessageChannel, number>,
) {
  if (ctx.policy.arbitration?.mode !== 'learned' || open.length === 1) return open[0]!;
  const scored = open.map((channel) => ({ channel, score: draws?.get(channel) ?? learnedScore(request, customer, channel, ctx) }));
  const best = scored.reduce((a, b) => (b.score > a.score ? b : a));
  trace.push({ rule: 'learned_channel', outcome: 'choose', channel: best.channel, detail: scored.map((s) => `${s.channel} ${s.score.toFixed(4)}`).join(', ') });
  return best.channel;
}

/** Allowed on the channel asked for, or rerouted with the reason the one asked for was passed over. */
function sendOn(
  channel: MessageChannel,
  request: ContactRequest,
  customer: Customer,
  passedOver: { unreachable?: SuppressReason; capped?: boolean },
): Decision {
  if (channel === request.channel) return allow(channel);
  const why = passedOver.unreachable ?? (passedOver.capped ? 'frequency_cap' : undefined);
  return reroute(channel, request.channel, why ?? (channel === customer.preferredChannel ? 'preferred_channel' : 'learned_channel'));
}

const iso = (at: number) => new Date(at).toISOString();

/**
 * Decides a contact request. `draws` are the learned scores per channel when
 * arbitration drew them already (the same draw ranks the request and picks
 * its channel).
 */
export function decideContact(
  request: ContactRequest,
  customer: Customer,
  ctx?: PolicyContext,
  trace: TraceStep[] = [],
  draws?: ReadonlyMap<MessageChannel, number>,
): Decision {
  const stop = (step: TraceStep, decision: Decision) => {
    trace.push(step);
    return decision;
  };
  if (customer.gone) return stop({ rule: 'profile', outcome: 'suppress', reason: 'profile_gone' }, suppress('profile_gone'));
  const transactional = ctx ? bypasses(request.purpose, ctx.policy) : request.purpose === TRANSACTIONAL;
  const { open, firstReason } = openChannels(request, customer, transactional, trace);
  if (open.length === 0) return suppress(firstReason!);
  if (!ctx || transactional) {
    if (ctx) trace.push({ rule: 'transactional', outcome: 'pass', detail: 'bypasses caps, quiet hours, arbitration, fatigue and the control group' });
    return sendOn(open[0]!, request, customer, { unreachable: open.includes(request.channel) ? undefined : firstReason });
  }
  if (inControlGroup(request.profileId, ctx.policy))
    return stop({ rule: 'control_group', outcome: 'suppress', reason: 'control_group' }, suppress('control_group'));
  trace.push({ rule: 'control_group', outcome: 'pass' });
  const tired = tiredUntil(request, ctx);
  if (tired !== undefined) return stop({ rule: 'fatigue', outcome: 'suppress', reason: 'fatigue', detail: `until ${iso(tired)}` }, suppress('fatigue'));
  trace.push({ rule: 'fatigue', outcome: 'pass' });
  const roomy = open.filter((channel) => {
    const cap = brokenCap({ channel, purpose: request.purpose, priority: request.priority }, ctx);
    const detail = cap && `${cap.max} per ${cap.withinHours} h (${cap.channel ?? 'all'} channels, ${cap.purpose ?? 'marketing'})`;
    trace.push(
      cap ? { rule: 'frequency_cap', outcome: 'skip', channel, reason: 'frequency_cap', detail } : { rule: 'frequency_cap', outcome: 'pass', channel },
    );
    return !cap;
  });
  if (roomy.length === 0) return suppress('frequency_cap');
  const channel = chooseChannel(roomy, request, customer, ctx, trace, draws);
  const quiet = quietUntil(channel, ctx);
  if (quiet !== undefined) return stop({ rule: 'quiet_hours', outcome: 'defer', channel, detail: `until ${iso(quiet)}` }, defer(quiet, 'quiet_hours', channel));
  trace.push({ rule: 'quiet_hours', outcome: 'pass', channel });
  const best = bestSendTime(request, customer, ctx);
  if (best) return stop({ rule: 'send_time', outcome: 'defer', channel, detail: `${best.source}: ${iso(best.at)}` }, defer(best.at, 'send_time', channel));
  const unreachableFirst = open.includes(request.channel) ? undefined : firstReason;
  return sendOn(channel, request, customer, { unreachable: unreachableFirst, capped: open.includes(request.channel) && !roomy.includes(request.channel) });
}
