/**
 * The contact policy's decision, with no I/O: a pure function of the request
 * and what is known of the customer. Decisions are values (allow, suppress,
 * defer), each with a stable reason code that the contact history records.
 * This first policy knows erasure, reachability and consent; caps, quiet
 * hours and arbitration join it as rules of the same shape.
 */

/** The channels a message goes out on (as opposed to the channels events come in on). */
export const MESSAGE_CHANNELS = ['email', 'sms', 'push', 'webhook'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/** Purposes that need no marketing consent: only an explicit denial for that purpose stops them. */
export const TRANSACTIONAL = 'transactional';

export interface ContactRequest {
  profileId: string;
  channel: MessageChannel;
  /** marketing (default), transactional, or any purpose consent is recorded for. */
  purpose: string;
  /** The inbound channel whose consent governs this message (email for email; a webhook's audience channel). */
  consentChannel: string | null;
}

export interface Customer {
  /** The profile no longer exists (erased, or merged away and gone). */
  gone: boolean;
  consent(channel: string, purpose: string): { status: 'granted' | 'denied' | 'unknown'; allowed: boolean };
  /** The address a channel needs (email, phone), when the customer has one. */
  address(channel: MessageChannel): string | undefined;
}

export const SUPPRESS_REASONS = ['profile_gone', 'no_address', 'no_consent', 'consent_denied'] as const;
export type SuppressReason = (typeof SUPPRESS_REASONS)[number];

export type Decision = { kind: 'allow'; reason: 'allowed' } | { kind: 'suppress'; reason: SuppressReason } | { kind: 'defer'; until: number; reason: string };

export const allow = (): Decision => ({ kind: 'allow', reason: 'allowed' });
export const suppress = (reason: SuppressReason): Decision => ({ kind: 'suppress', reason });
export const defer = (until: number, reason: string): Decision => ({ kind: 'defer', until, reason });

/** Channels that cannot be reached without an address the profile holds. */
const NEEDS_ADDRESS: Record<MessageChannel, boolean> = { email: true, sms: true, push: false, webhook: false };

type Rule = (request: ContactRequest, customer: Customer) => Decision | undefined;

/** In order: the first rule with an answer decides. */
const RULES: Rule[] = [
  (_, customer) => (customer.gone ? suppress('profile_gone') : undefined),
  (request, customer) => (NEEDS_ADDRESS[request.channel] && !customer.address(request.channel) ? suppress('no_address') : undefined),
  (request, customer) => {
    if (request.consentChannel === null) return undefined;
    const consent = customer.consent(request.consentChannel, request.purpose);
    if (consent.status === 'denied') return suppress('consent_denied');
    if (request.purpose === TRANSACTIONAL || consent.allowed) return undefined;
    return suppress('no_consent');
  },
];

export function decideContact(request: ContactRequest, customer: Customer): Decision {
  for (const rule of RULES) {
    const decision = rule(request, customer);
    if (decision) return decision;
  }
  return allow();
}
