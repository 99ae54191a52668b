/**
 * Fatigue, with no I/O: a content (or journey) a customer ignored so many
 * times in a row is not sent to them for a while. Sending it again would most
 * likely be ignored again, and each ignored message teaches the customer to
 * ignore the brand.
 */
import type { MessageStatus } from '../history/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface FatigueRule {
  ignoredInARow: number;
  /** Counted from the last ignored message, in days of 24 hours. */
  suppressForDays: number;
  by: 'content' | 'journey';
  /** How long a customer has to respond before a message counts as ignored. */
  respondWithinHours: number;
}

export interface PastMessage {
  contentId: string | null;
  journeyId: string | null;
  /** The furthest status (see history): a response after respondWithinHours still counts as one. */
  status: MessageStatus;
  /** When it was sent (or requested). */
  at: number;
}

/**
 * What a message does to a streak of ignored ones. Only messages that went
 * out count: those that never reached the customer are skipped. Sent or
 * delivered and not answered in time is ignored. A response breaks the
 * streak; so do a bounce and an unsubscribe, which went out but are not the
 * customer ignoring a message.
 */
const IN_STREAK: Record<MessageStatus, 'skip' | 'ignored' | 'break'> = {
  requested: 'skip',
  allowed: 'skip',
  suppressed: 'skip',
  deferred: 'skip',
  rerouted: 'skip',
  rendered: 'skip',
  queued: 'skip',
  failed: 'skip',
  sent: 'ignored',
  delivered: 'ignored',
  opened: 'break',
  clicked: 'break',
  replied: 'break',
  converted: 'break',
  bounced: 'break',
  unsubscribed: 'break',
};

/**
 * Until when `target` is suppressed for this customer: when the most recent
 * `ignoredInARow` decided messages of its content (or journey) were all
 * ignored, the last one's time plus `suppressForDays`; undefined when it is
 * not, or no longer, fatigued. A message younger than `respondWithinHours`
 * that got no response yet is undecided: it neither breaks nor extends the
 * streak. A target with no content (or journey) is never fatigued.
 */
export function fatiguedUntil(
  history: readonly PastMessage[],
  target: { contentId: string | null; journeyId: string | null },
  rule: FatigueRule,
  now: number,
): number | undefined {
  const key = rule.by === 'content' ? 'contentId' : 'journeyId';
  const id = target[key];
  if (id === null) return undefined;
  const decidedBefore = now - rule.respondWithinHours * HOUR;
  const latestFirst = history.filter((m) => m[key] === id).sort((a, b) => b.at - a.at);
  let streak = 0;
  let lastIgnored: number | undefined;
  for (const message of latestFirst) {
    const effect = IN_STREAK[message.status];
    if (effect === 'break') break;
    if (effect === 'skip' || message.at > decidedBefore) continue;
    lastIgnored ??= message.at;
    if (++streak >= rule.ignoredInARow) break;
  }
  if (lastIgnored === undefined || streak < rule.ignoredInARow) return undefined;
  const until = lastIgnored + rule.suppressForDays * DAY;
  return until > now ? until : undefined;
}
