/**
 * A message's life, with no I/O. Statuses are ordered by how far a message
 * got: a later report never moves it back (an "opened" that arrives after
 * "clicked" is recorded in its history, and the message stays clicked).
 */
export const MESSAGE_STATUSES = [
  'requested',
  'allowed',
  'suppressed',
  'deferred',
  'rerouted',
  'rendered',
  'queued',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'replied',
  'converted',
  'failed',
  'bounced',
  'unsubscribed',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** What a provider (or a test) may report about a message it was given. */
export const REPORTED_STATUSES = ['delivered', 'opened', 'clicked', 'replied', 'converted', 'failed', 'bounced', 'unsubscribed'] as const;
export type ReportedStatus = (typeof REPORTED_STATUSES)[number];

const RANK: Record<MessageStatus, number> = {
  requested: 0,
  deferred: 1,
  allowed: 1,
  suppressed: 1,
  rerouted: 1,
  rendered: 2,
  queued: 3,
  sent: 4,
  failed: 5,
  delivered: 5,
  bounced: 6,
  opened: 6,
  clicked: 7,
  replied: 7,
  converted: 8,
  unsubscribed: 8,
};

/** The status a message shows after `reported`: the one that got further. */
export const furthest = (current: MessageStatus, reported: MessageStatus): MessageStatus => (RANK[reported] >= RANK[current] ? reported : current);

/** Whether a provider may report on a message in this status: only messages that went out have outcomes. */
export const wentOut = (status: MessageStatus): boolean => RANK[status] >= RANK.sent;

/** Whether the message reached the customer's channel (went out and neither failed nor bounced): a touchpoint. */
export const reached = (status: string): boolean => status in RANK && wentOut(status as MessageStatus) && status !== 'failed' && status !== 'bounced';
