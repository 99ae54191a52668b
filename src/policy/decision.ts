/** A contact request, what the policy knows of the customer, and the decision as a value with its reason. */

/** The channels a message goes out on (as opposed to the channels events come in on). */
export const MESSAGE_CHANNELS = ['email', 'sms', 'push', 'webhook'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/** Purposes that need no marketing consent: only an explicit denial for that purpose stops them. */
export const TRANSACTIONAL = 'transactional';

export interface ContactRequest {
  profileId: string;
  /** The channel asked for first. */
  channel: MessageChannel;
  /** The channels to fall back on, in order, when the first cannot be used. */
  fallback?: readonly MessageChannel[];
  /** marketing (default), transactional, or any purpose consent is recorded for. */
  purpose: string;
  /** For a webhook: the inbound channel whose consent governs it (null: none). Other channels are their own. */
  consentChannel: string | null;
  contentId?: string | null;
  journeyId?: string | null;
  /** Fixed priority between journeys: higher wins. */
  priority?: number;
  /** The business value of a response, and a context weight: learned priority = propensity x value x weight. */
  value?: number;
  weight?: number;
  /** What a request that loses arbitration does: wait for its turn (default) or give up. */
  onConflict?: 'defer' | 'drop';
  /** best_hour: deferred to the customer's best hour, at most maxDelayHours ahead. */
  sendAt?: 'now' | 'best_hour';
  maxDelayHours?: number;
  /** When the request was first made: a deferred one expires after the policy's deferLimitHours. */
  requestedAt?: number;
  /** The waits it had already (deferral reasons): a request released from a wait does not wait for the same thing again. */
  waited?: readonly string[];
}

export interface Customer {
  /** The profile no longer exists (erased, or merged away and gone). */
  gone: boolean;
  consent(channel: string, purpose: string): { status: 'granted' | 'denied' | 'unknown'; allowed: boolean };
  /** The address a channel needs (email, phone), when the customer has one. */
  address(channel: MessageChannel): string | undefined;
  /** Whether that address must not be written to again (a hard bounce, a complaint). */
  addressSuppressed?(channel: MessageChannel): boolean;
  /** The customer's IANA time zone. */
  zone?: string;
  stage?: string | null;
  /** The channel the customer prefers (trait preferredChannel): tried first among those asked for. */
  preferredChannel?: string;
  /** How often the customer was active (opened, clicked, visited) at each local hour, 0-23. */
  activeHours?: readonly number[];
  /** The customer's own events (visits) by UTC hour: the policy reads them in the customer's zone. */
  visitHoursUtc?: readonly number[];
}

export const SUPPRESS_REASONS = [
  'profile_gone',
  'no_address',
  'address_suppressed',
  'no_consent',
  'consent_denied',
  'control_group',
  'fatigue',
  'frequency_cap',
  'arbitration_lost',
  'expired',
] as const;
export type SuppressReason = (typeof SUPPRESS_REASONS)[number];

export const DEFER_REASONS = ['quiet_hours', 'arbitration', 'arbitration_lost', 'send_time'] as const;
export type DeferReason = (typeof DEFER_REASONS)[number];

/** Why a message goes out on another channel than the one asked for. */
export type RerouteReason = SuppressReason | 'preferred_channel' | 'learned_channel';

export type Decision =
  | { kind: 'allow'; reason: 'allowed'; channel: MessageChannel }
  | { kind: 'reroute'; reason: RerouteReason; channel: MessageChannel; from: MessageChannel }
  | { kind: 'suppress'; reason: SuppressReason }
  | { kind: 'defer'; until: number; reason: DeferReason; channel: MessageChannel };

export const allow = (channel: MessageChannel): Decision => ({ kind: 'allow', reason: 'allowed', channel });
/** Sent on another channel than the one asked for; the reason is why the first could not be used. */
export const reroute = (channel: MessageChannel, from: MessageChannel, reason: RerouteReason): Decision => ({ kind: 'reroute', reason, channel, from });
export const suppress = (reason: SuppressReason): Decision => ({ kind: 'suppress', reason });
export const defer = (until: number, reason: DeferReason, channel: MessageChannel): Decision => ({ kind: 'defer', until, reason, channel });

/** Whether the decision lets the message go out now. */
export const sends = (d: Decision): d is Extract<Decision, { kind: 'allow' | 'reroute' }> => d.kind === 'allow' || d.kind === 'reroute';

/** One rule's say on a request, for the simulator: what it looked at and what it concluded. */
export interface TraceStep {
  rule: string;
  outcome: 'pass' | 'skip' | 'suppress' | 'defer' | 'choose';
  channel?: MessageChannel;
  reason?: string;
  detail?: string;
}
