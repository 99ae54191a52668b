/**
 * The contact policy's decision, with no I/O: a pure function of the request
 * and what is known of the customer. Decisions are values (allow, suppress,
 * defer), each with a stable reason code that the contact history records.
 * Erasure, reachability and consent always apply; given a policy document
 * and the customer's recent sends, the control group, caps and quiet hours
 * follow (rules.ts).
 */
import { bypasses, POLICY_RULES, type PolicyContext } from './rules.js';

import { allow, suppress, TRANSACTIONAL, type ContactRequest, type Customer, type Decision, type MessageChannel } from './decision.js';

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

/**
 * Decides a contact request. Without a policy context only erasure,
 * reachability and consent apply; with one, the control group, caps and
 * quiet hours follow (rules.ts), except for transactional purposes.
 */
export function decideContact(request: ContactRequest, customer: Customer, context?: PolicyContext): Decision {
  for (const rule of RULES) {
    const decision = rule(request, customer);
    if (decision) return decision;
  }
  if (context && !bypasses(request.purpose, context.policy)) {
    for (const rule of POLICY_RULES) {
      const decision = rule(request, context);
      if (decision) return decision;
    }
  }
  return allow();
}
