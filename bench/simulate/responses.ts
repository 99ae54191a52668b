/**
 * How a customer takes a message: noticed or not, clicked or not, an order
 * after the click or not, and maybe an unsubscribe, each chance worsened by
 * the messages received in the last seven days (fatigue). Pure: the draws
 * come from the customer's responses stream, and what follows comes back as
 * values for the run loop to carry out at their times.
 */
import type { ContentKind, SimChannel } from './brand.js';
import { localHour, withinHours } from './clock.js';
import type { Customer } from './customers.js';
import { DAY, HOUR, PARAMETERS } from './parameters.js';
import { exponential, normal } from './random.js';
import { orderAmount, type LaterOrder } from './shopping.js';

/** The chance to notice a message is multiplied by this with `recent` messages in the last 7 days. */
export const fatigue = (recent: number): number => Math.exp(-recent / PARAMETERS.fatigueScale);

/** The chance a message makes its reader unsubscribe from the channel, with `recent` messages in the last 7 days. */
export function unsubscribeChance(channel: SimChannel, recent: number, night: boolean): number {
  const p = PARAMETERS;
  const annoyed = night && channel !== 'email' ? p.night.unsubscribe : 1;
  return Math.min(1, p.unsubscribe[channel] * (1 + (recent / p.unsubscribeKnee) ** 2) * annoyed);
}

/** Messages received in the 7 days before `at` (the list is kept in time order). */
export function recentCount(received: readonly number[], at: number): number {
  let n = 0;
  for (let i = received.length - 1; i >= 0 && received[i]! > at - 7 * DAY; i--) if (received[i]! <= at) n++;
  return n;
}

export interface Incoming {
  messageId: string;
  channel: SimChannel;
  kind: ContentKind;
  sentAt: number;
}

export type Report = { kind: 'report'; at: number; customer: number; messageId: string; status: 'opened' | 'clicked' };
export type Unsubscribe = { kind: 'unsubscribe'; at: number; customer: number; messageId: string; channel: SimChannel };
export type Reaction = Report | Unsubscribe | LaterOrder;

/**
 * What a customer does about one message, given the messages they received
 * in the 7 days before it. SMS reads are not reported (no provider sees
 * them); email opens and push taps are. An order after a click on a cart
 * reminder buys the customer's newest open cart, and only if one is open
 * when the order comes (decided by the run loop).
 */
export function react(customer: Customer, message: Incoming, recent: number): Reaction[] {
  const p = PARAMETERS;
  const rng = customer.responses;
  // Always the same number of draws per message.
  const [uNotice, uUnsubscribe, uClick, uOrder] = [rng.next(), rng.next(), rng.next(), rng.next()];
  const noticeDelay = exponential(rng, p.noticeDelayHours[message.channel] * HOUR);
  const clickDelay = exponential(rng, p.clickDelayHours * HOUR);
  const orderDelay = exponential(rng, p.orderDelayHours * HOUR);
  const z = normal(rng);
  const night = withinHours(localHour(customer.zone, message.sentAt), p.night.from, p.night.to);
  const base = { customer: customer.index, messageId: message.messageId };
  const seenAt = message.sentAt + noticeDelay;
  if (uUnsubscribe < unsubscribeChance(message.channel, recent, night)) return [{ kind: 'unsubscribe', at: seenAt, channel: message.channel, ...base }];
  const noticed = Math.min(1, p.notice[message.channel] * customer.affinity[message.channel] * fatigue(recent) * (night ? p.night.notice : 1));
  if (!(uNotice < noticed)) return [];
  const reactions: Reaction[] = [];
  if (message.channel !== 'sms') reactions.push({ kind: 'report', at: seenAt, status: 'opened', ...base });
  if (!(uClick < Math.min(1, p.click[message.kind] * customer.appeal[message.kind]))) return reactions;
  const clickedAt = seenAt + clickDelay;
  reactions.push({ kind: 'report', at: clickedAt, status: 'clicked', ...base });
  if (!(uOrder < p.order[message.kind])) return reactions;
  reactions.push({
    kind: 'order',
    at: clickedAt + orderDelay,
    customer: customer.index,
    cartId: null,
    amount: orderAmount(customer, z),
    category: customer.favourite,
    cause: message.kind,
  });
  return reactions;
}
