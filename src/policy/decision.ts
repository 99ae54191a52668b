/** A contact request, what the policy knows of the customer, and the decision as a value with its reason. */

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

export const SUPPRESS_REASONS = ['profile_gone', 'no_address', 'no_consent', 'consent_denied', 'control_group', 'frequency_cap'] as const;
export type SuppressReason = (typeof SUPPRESS_REASONS)[number];

export type Decision = { kind: 'allow'; reason: 'allowed' } | { kind: 'suppress'; reason: SuppressReason } | { kind: 'defer'; until: number; reason: string };

export const allow = (): Decision => ({ kind: 'allow', reason: 'allowed' });
export const suppress = (reason: SuppressReason): Decision => ({ kind: 'suppress', reason });
export const defer = (until: number, reason: string): Decision => ({ kind: 'defer', until, reason });
