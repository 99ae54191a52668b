/**
 * policy: the contact policy. Every message a journey wants to send is a
 * contact request decided here, with a reason: allow, reroute, defer or
 * suppress, and the trace of the rules that led there. The decision is pure
 * (decide.ts, arbitrate.ts, rules.ts); the door (service.ts) keeps the
 * versioned policy document and decides in the caller's transaction with the
 * customer's contact history, read through the history module's door. Owns
 * the policy_versions and contact_guards tables.
 */
export { openChannels } from './decide.js';
export {
  MESSAGE_CHANNELS,
  TRANSACTIONAL,
  type ContactRequest,
  type Customer,
  type Decision,
  type MessageChannel,
  type SuppressReason,
  type TraceStep,
} from './decision.js';
export { assertPolicy, PolicyDocumentSchema, type Cap, type PolicyDocument } from './document.js';
export type { Random } from './bandit.js';
export type { ContactHistory } from './history.js';
export { controlDraw, type PastMessage, type PolicyContext } from './rules.js';
export { createPolicy, type Contact, type Decided, type Policy, type PolicyDeps, type PolicyVersion } from './service.js';
export { policyMigrations } from './tables.js';
