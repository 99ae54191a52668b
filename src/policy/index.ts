/**
 * policy: the contact policy. Every message a journey wants to send is a
 * contact request decided here, with a reason: allow, defer or suppress.
 * The decision is pure (decide.ts); what it needs to know of the customer is
 * read by the caller through the owning modules' doors.
 */
export { decideContact } from './decide.js';
export {
  allow,
  defer,
  MESSAGE_CHANNELS,
  suppress,
  SUPPRESS_REASONS,
  TRANSACTIONAL,
  type ContactRequest,
  type Customer,
  type Decision,
  type MessageChannel,
  type SuppressReason,
} from './decision.js';
export { PolicyDocumentSchema, type Cap, type PolicyDocument } from './document.js';
export { brokenCap, controlDraw, quietUntil, type PolicyContext, type Sent } from './rules.js';
