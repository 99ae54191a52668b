/**
 * The policy's rules beyond consent, with no I/O: the global control group,
 * fatigue, frequency caps over rolling windows counted from what was
 * actually sent, quiet hours in the customer's time zone, and send-time
 * optimisation. Each is a small function the decision (decide.ts) calls in
 * order; transactional purposes bypass them all.
 */
import { createHash } from 'node:crypto';
import type { MessageStatus } from '../history/index.js';
import { localMinutes, minutesOf, nextLocalTime } from '../local-time.js';
import type { PropensityModel, Random } from './bandit.js';
import { bestHour, bestTimeWithin } from './best-hour.js';
import type { ContactRequest, Customer } from './decision.js';
import type { Cap, PolicyDocument } from './document.js';
import { fatiguedUntil } from './fatigue.js';

/** A message of the customer's contact history, as the rules read it. */
export interface PastMessage {
  channel: string;
  purpose: string;
  contentId: string | null;
  journeyId: string | null;
  status: string;
  /** When it was asked for. */
  at: number;
  /** When it went out (null: it did not). */
  sentAt: number | null;
  /** A message waiting for arbitration: when the competition closes. */
  deferredUntil?: number | null;
  reason?: string | null;
}

export interface PolicyContext {
  policy: PolicyDocument;
  /** The customer's recent messages: long enough for the longest cap window and the fatigue streak. */
  history: readonly PastMessage[];
  now: number;
  /** The customer's time zone. */
  zone: string;
  /** For learned arbitration: the propensity model and the random source of its Thompson draws. */
  model?: PropensityModel;
  random?: Random;
  /** The brand's activity by local hour, for customers whose own best hour is not known yet. */
  brandHours?: readonly number[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A stable draw in [0, 1) per customer and salt: the same customer stays in (or out of) the control group. */
export function controlDraw(profileId: string, salt: string): number {
  return createHash('sha256').update(`${salt}\u0000${profileId}`).digest().readUIntBE(0, 6) / 2 ** 48;
}

export const inControlGroup = (profileId: string, policy: PolicyDocument): boolean =>
  policy.controlGroup !== undefined && controlDraw(profileId, policy.controlGroup.salt) < policy.controlGroup.share;

function capApplies(cap: Cap, channel: string, purpose: string): boolean {
  return (cap.channel === undefined || cap.channel === 'all' || cap.channel === channel) && (cap.purpose ?? 'marketing') === purpose;
}

const sentIn = (cap: Cap, ctx: PolicyContext, since: number) =>
  ctx.history.filter((m) => m.sentAt !== null && m.sentAt > since && capApplies(cap, m.channel, m.purpose));

type CapRequest = { channel: string; purpose: string; priority?: number };

/** Whether a cap holds this request: its channel and purpose, and a priority below the cap's `belowPriority` if it has one. */
const holds = (cap: Cap, request: CapRequest) =>
  capApplies(cap, request.channel, request.purpose) && (cap.belowPriority === undefined || (request.priority ?? 0) < cap.belowPriority);

/** The first cap a message on this channel would break, counting sends in each cap's rolling window. */
export function brokenCap(request: CapRequest, ctx: PolicyContext): Cap | undefined {
  return ctx.policy.caps.find((cap) => holds(cap, request) && sentIn(cap, ctx, ctx.now - cap.withinHours * HOUR).length >= cap.max);
}

/** The first moment every cap that applies has room again for one more message (now when they have). */
export function capsRoomAt(request: CapRequest, ctx: PolicyContext): number {
  let at = ctx.now;
  for (const cap of ctx.policy.caps) {
    if (!holds(cap, request)) continue;
    const window = cap.withinHours * HOUR;
    const counted = sentIn(cap, ctx, ctx.now - window)
      .map((m) => m.sentAt!)
      .sort((a, b) => a - b);
    const over = counted.length - cap.max;
    // The window frees a place when the oldest sends that fill it leave it.
    if (over >= 0) at = Math.max(at, counted[over]! + window);
  }
  return at;
}

/** When quiet hours end, if it is quiet now for this channel where the customer is. */
export function quietUntil(channel: string, ctx: PolicyContext): number | undefined {
  const quiet = ctx.policy.quietHours;
  if (!quiet || (quiet.channels && !quiet.channels.includes(channel as never))) return undefined;
  const [start, end, now] = [minutesOf(quiet.start), minutesOf(quiet.end), localMinutes(ctx.now, ctx.zone)];
  const inside = start <= end ? now >= start && now < end : now >= start || now < end;
  return inside ? nextLocalTime(ctx.now, quiet.end, ctx.zone) : undefined;
}

/** Until when the customer is tired of this content (or journey), if they ignored it too often in a row. */
export function tiredUntil(request: ContactRequest, ctx: PolicyContext): number | undefined {
  const rule = ctx.policy.fatigue;
  if (!rule) return undefined;
  const target = { contentId: request.contentId ?? null, journeyId: request.journeyId ?? null };
  if ((rule.by === 'content' ? target.contentId : target.journeyId) === null) return undefined;
  const decided = ctx.history.map((m) => ({ ...m, status: m.status as MessageStatus, at: m.sentAt ?? m.at }));
  return fatiguedUntil(decided, target, rule, ctx.now);
}

/** The customer's best hour, if it is known and comes within the request's maximum delay; undefined: send now. */
export function bestSendTime(request: ContactRequest, customer: Customer, ctx: PolicyContext): { at: number; source: string } | undefined {
  if (request.sendAt !== 'best_hour' || request.waited?.includes('send_time')) return undefined;
  const best = bestHour(customer.activeHours, ctx.brandHours);
  if (!best) return undefined;
  const at = bestTimeWithin(ctx.now, best.hour, ctx.zone, request.maxDelayHours ?? 24);
  return at === undefined || at <= ctx.now ? undefined : { at, source: `${best.source} best hour ${String(best.hour).padStart(2, '0')}:00` };
}

/** Whether a purpose bypasses caps, quiet hours, arbitration, fatigue and the control group. */
export const bypasses = (purpose: string, policy: PolicyDocument): boolean => policy.transactionalPurposes.includes(purpose);

export { DAY, HOUR };
