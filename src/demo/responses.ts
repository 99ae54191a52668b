/**
 * How customers answer the messages journeys send them: opens, clicks and
 * an order after some clicks. Pure: decided by the seed and the message's
 * id, so the same run answers the same messages the same way.
 */
import { streamOf } from './customers.js';

export interface OutboxMessage {
  id: string;
  channel: string;
  sentAt: number;
}

export interface Answer {
  status: 'delivered' | 'opened' | 'clicked';
  at: number;
}

const MINUTE_MS = 60_000;

/** A number from a message id (FNV-1a), for the message's own stream. */
export function idNumber(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** What comes back from one message, and whether a click leads to an order (when). */
export function answer(seed: number, message: OutboxMessage): { answers: Answer[]; orderAt?: number } {
  const random = streamOf(seed, 5, idNumber(message.id));
  const answers: Answer[] = [{ status: 'delivered', at: message.sentAt + MINUTE_MS }];
  const openRate = message.channel === 'email' ? 0.42 : 0.8;
  const clickRate = message.channel === 'email' ? 0.25 : 0.15;
  if (!(random() < openRate)) return { answers };
  const openedAt = message.sentAt + Math.floor(5 + random() * 600) * MINUTE_MS;
  if (message.channel === 'email') answers.push({ status: 'opened', at: openedAt });
  if (!(random() < clickRate)) return { answers };
  const clickedAt = openedAt + Math.floor(1 + random() * 5) * MINUTE_MS;
  answers.push({ status: 'clicked', at: clickedAt });
  return random() < 0.3 ? { answers, orderAt: clickedAt + Math.floor(5 + random() * 90) * MINUTE_MS } : { answers };
}
