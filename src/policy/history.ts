/**
 * What the policy reads of the contact history, through the history
 * module's door (the policy owns no message table): each customer's recent
 * messages, response counts for learning, and when customers responded.
 */
import type { Kysely } from 'kysely';
import type { PastMessage } from './rules.js';

export interface ContactHistory {
  /** The customers' messages asked for since a moment, in the caller's transaction. */
  recentOf(db: Kysely<object>, profileIds: readonly string[], since: number): Promise<Map<string, PastMessage[]>>;
  /** Messages sent since a moment and how many of them got a response (opened, clicked, converted), per content, channel and stage. */
  responseCounts(db: Kysely<object>, since: number): Promise<{ contentId: string; channel: string; stage: string | null; sent: number; responded: number }[]>;
  /** When customers opened or clicked since a moment: each customer's (when profile ids are given), else the brand's latest. */
  responseTimes(db: Kysely<object>, since: number, profileIds?: readonly string[]): Promise<{ profileId: string; at: number }[]>;
}
