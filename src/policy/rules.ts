/**
 * The policy's rules beyond consent, with no I/O: the global control group,
 * frequency caps over rolling windows counted from what was actually sent,
 * and quiet hours in the customer's time zone. Each rule returns a decision
 * with its reason, or nothing to let the next rule speak. Transactional
 * purposes bypass all three.
 */
import { createHash } from 'node:crypto';
import { localMinutes, minutesOf, nextLocalTime } from '../local-time.js';
import { defer, suppress, type ContactRequest, type Decision } from './decision.js';
import type { Cap, PolicyDocument } from './document.js';

/** A message that went out, as caps count it. */
export interface Sent {
  channel: string;
  purpose: string;
  at: number;
}

export interface PolicyContext {
  policy: PolicyDocument;
  /** The customer's messages sent recently (the longest cap window is enough). */
  sent: readonly Sent[];
  now: number;
  /** The customer's time zone. */
  zone: string;
}

const HOUR = 3_600_000;

/** A stable draw in [0, 1) per customer and salt: the same customer stays in (or out of) the control group. */
export function controlDraw(profileId: string, salt: string): number {
  return createHash('sha256').update(`${salt}\u0000${profileId}`).digest().readUIntBE(0, 6) / 2 ** 48;
}

const inControlGroup = (profileId: string, policy: PolicyDocument): boolean =>
  policy.controlGroup !== undefined && controlDraw(profileId, policy.controlGroup.salt) < policy.controlGroup.share;

function capApplies(cap: Cap, channel: string, purpose: string): boolean {
  return (cap.channel === undefined || cap.channel === 'all' || cap.channel === channel) && (cap.purpose ?? 'marketing') === purpose;
}

/** The first cap the request would break, counting sends in each cap's rolling window. */
export function brokenCap(request: Pick<ContactRequest, 'channel' | 'purpose'>, ctx: PolicyContext): Cap | undefined {
  return ctx.policy.caps.find((cap) => {
    if (!capApplies(cap, request.channel, request.purpose)) return false;
    const since = ctx.now - cap.withinHours * HOUR;
    const count = ctx.sent.filter((s) => s.at > since && capApplies(cap, s.channel, s.purpose)).length;
    return count >= cap.max;
  });
}

/** When quiet hours end, if it is quiet now for this channel where the customer is. */
export function quietUntil(channel: string, ctx: PolicyContext): number | undefined {
  const quiet = ctx.policy.quietHours;
  if (!quiet || (quiet.channels && !quiet.channels.includes(channel as never))) return undefined;
  const [start, end, now] = [minutesOf(quiet.start), minutesOf(quiet.end), localMinutes(ctx.now, ctx.zone)];
  const inside = start <= end ? now >= start && now < end : now >= start || now < end;
  return inside ? nextLocalTime(ctx.now, quiet.end, ctx.zone) : undefined;
}

type Rule = (request: ContactRequest, ctx: PolicyContext) => Decision | undefined;

/** In order, after consent: the first rule with an answer decides. */
export const POLICY_RULES: Rule[] = [
  (request, ctx) => (inControlGroup(request.profileId, ctx.policy) ? suppress('control_group') : undefined),
  (request, ctx) => (brokenCap(request, ctx) ? suppress('frequency_cap') : undefined),
  (request, ctx) => {
    const until = quietUntil(request.channel, ctx);
    return until === undefined ? undefined : defer(until, 'quiet_hours');
  },
];

/** Whether a purpose bypasses caps, quiet hours and the control group. */
export const bypasses = (purpose: string, policy: PolicyDocument): boolean => policy.transactionalPurposes.includes(purpose);
