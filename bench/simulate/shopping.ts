/**
 * What customers do unprompted: shopping sessions (products viewed, a cart,
 * maybe an order at once), and carts bought later. Each hour draws the same
 * number of numbers from the customer's activity stream whatever happened
 * before, so both runs see the same sessions at the same moments; only what
 * messages add (orders, unsubscribes) differs.
 */
import type { ContentKind, SimChannel } from './brand.js';
import { localHour } from './clock.js';
import type { Customer } from './customers.js';
import { HOUR, PARAMETERS } from './parameters.js';
import { createRng, exponential, normal, pick } from './random.js';

export type Message = Record<string, unknown>;

/** What the simulation knows of a customer as the run goes (the customer model is fixed; this moves). */
export interface Shopper {
  /** Open carts (not bought), oldest first. */
  openCarts: string[];
  carts: number;
  orders: number;
  revenue: number;
  /** Orders that followed a click on a message, by the kind of content clicked. */
  messageOrders: Partial<Record<ContentKind, number>>;
  /** When each message they got went out (for fatigue). */
  received: number[];
  unsubscribed: Set<SimChannel>;
  events: number;
}

export const newShopper = (): Shopper => ({
  openCarts: [],
  carts: 0,
  orders: 0,
  revenue: 0,
  messageOrders: {},
  received: [],
  unsubscribed: new Set(),
  events: 0,
});

/** An order to place later: an abandoned cart the customer comes back to, or one a message led to. */
export interface LaterOrder {
  kind: 'order';
  at: number;
  customer: number;
  /** The cart bought (organic returns; a cart reminder's click buys the newest open cart), or null. */
  cartId: string | null;
  amount: number;
  category: string;
  cause: ContentKind | 'organic';
}

const HOUR_WEIGHTS: readonly number[] = PARAMETERS.sessionHours;
const HOUR_TOTAL = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
export function orderAmount(customer: Customer, z: number): number {
  return Math.round(customer.basket * Math.exp(PARAMETERS.basket.orderSigma * z) * 100) / 100;
}

const message = (customer: Customer, shopper: Shopper, at: number, body: Message): Message => ({
  messageId: `${customer.userId}-${++shopper.events}`,
  userId: customer.userId,
  timestamp: new Date(at).toISOString(),
  ...body,
});

export function orderEvent(customer: Customer, shopper: Shopper, at: number, order: { cartId: string | null; amount: number; category: string }): Message {
  shopper.orders++;
  shopper.revenue += order.amount;
  if (order.cartId) shopper.openCarts = shopper.openCarts.filter((c) => c !== order.cartId);
  return message(customer, shopper, at, {
    type: 'track',
    event: 'Order Completed',
    properties: {
      order_id: `${customer.userId}-o${shopper.orders}`,
      ...(order.cartId && { cart_id: order.cartId }),
      revenue: order.amount,
      category: order.category,
    },
  });
}

/** Who the customer is to Touchpoint: an identify with address, consent and time zone (dated `at`). */
export function identifyEvent(customer: Customer, shopper: Shopper, at: number): Message {
  const consent: Record<string, string> = { email: 'granted' };
  if (customer.channels.sms) consent.sms = 'granted';
  if (customer.channels.push) consent.push = 'granted';
  return message(customer, shopper, at, {
    type: 'identify',
    traits: {
      email: `${customer.userId}@example.com`,
      firstName: customer.firstName,
      timezone: customer.zone,
      ...(customer.channels.sms && { phone: `+3361${String(customer.index).padStart(7, '0')}` }),
      consent,
    },
  });
}

export function signUpEvents(customer: Customer, shopper: Shopper, at: number): Message[] {
  return [identifyEvent(customer, shopper, at), message(customer, shopper, at, { type: 'track', event: 'Signed Up', properties: {} })];
}

/** The customer unsubscribes from a channel (a consent denial, as a provider's unsubscribe link would record it). */
export function unsubscribeEvent(customer: Customer, shopper: Shopper, at: number, channel: SimChannel): Message {
  shopper.unsubscribed.add(channel);
  return message(customer, shopper, at, { type: 'track', event: 'Consent Updated', properties: { channel, purpose: 'marketing', status: 'denied' } });
}

/**
 * The hour ending at `t`: maybe a session (events dated in that hour), and
 * maybe an abandoned cart to come back to later. One draw an hour from the
 * customer's activity stream; a session draws from a stream of its own.
 */
export function shopHour(customer: Customer, shopper: Shopper, t: number, active: boolean): { events: Message[]; later?: LaterOrder } {
  const p = PARAMETERS;
  const chanceThisHour = ((customer.sessionsPerWeek / 7) * HOUR_WEIGHTS[localHour(customer.zone, t - HOUR)]!) / HOUR_TOTAL;
  if (!(customer.activity.next() < chanceThisHour) || !active) return { events: [] };
  const rng = createRng(customer.seed, 'session', customer.index, t);
  const begin = t - HOUR + Math.floor(rng.next() * 45) * 60_000;
  const views = p.viewsPerSession.min + Math.floor(rng.next() * (p.viewsPerSession.max - p.viewsPerSession.min + 1));
  const events: Message[] = [];
  let category = customer.favourite;
  for (let i = 0; i < views; i++) {
    category = rng.next() < p.favouriteCategoryShare ? customer.favourite : pick(rng, p.categories);
    const product = { product_id: `${category}-${Math.floor(rng.next() * 40)}`, name: `${category} item`, category, price: 40 };
    events.push(message(customer, shopper, begin + i * 60_000, { type: 'track', event: 'Product Viewed', properties: product }));
  }
  if (!(rng.next() < customer.cartRate)) return { events };
  const cartId = `${customer.userId}-k${++shopper.carts}`;
  shopper.openCarts.push(cartId);
  const added = begin + (views + 1) * 60_000;
  events.push(
    message(customer, shopper, added, { type: 'track', event: 'Product Added', properties: { cart_id: cartId, name: `${category} item`, category } }),
  );
  const amount = orderAmount(customer, normal(rng));
  if (rng.next() < p.buyInSession) {
    events.push(orderEvent(customer, shopper, added + 5 * 60_000, { cartId, amount, category }));
    return { events };
  }
  if (!(rng.next() < p.returnToCart)) return { events };
  const at = added + exponential(rng, p.returnDelayHours * HOUR);
  return { events, later: { kind: 'order', at, customer: customer.index, cartId, amount, category, cause: 'organic' } };
}
