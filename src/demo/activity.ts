/**
 * What one customer does on one day of the window: online sessions (some
 * from ad campaigns, with UTM parameters), sign-up, carts and orders, store
 * visits with the loyalty card, newsletter opens, calls, reviews. Pure: a
 * function of the seed, the customer and the day, so days can be planned in
 * any order and the same seed gives the same events.
 */
import type { Random } from '../random.js';
import { CAMPAIGNS, CATEGORIES, PRODUCTS, STORES, type Product, type SourceKey } from './brand.js';
import { streamOf, type DemoCustomer } from './customers.js';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export interface PlannedEvent {
  source: SourceKey;
  /** Milliseconds since the epoch (the message's timestamp). */
  at: number;
  message: Record<string, unknown>;
}

/** Local hours weighted towards lunch and evening (the brand's stores open 10:00-20:00). */
const ONLINE_HOURS = [7, 8, 9, 12, 12, 13, 17, 18, 19, 20, 20, 21, 21, 22];
const STORE_HOURS = [10, 11, 12, 14, 15, 16, 17, 17, 18, 18, 19];
const CALL_REASONS = ['order status', 'returns', 'sizing advice', 'loyalty points'];

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const BY_CATEGORY: readonly (readonly Product[])[] = CATEGORIES.map((name) => PRODUCTS.filter((p) => p.category === name));
const ACCESSORIES = CATEGORIES.indexOf('Accessories');
const NUTRITION = CATEGORIES.indexOf('Nutrition');

const productIn = (random: Random, category: number): Product => pick(random, BY_CATEGORY[category]!);

/** The product a customer has their eye on this week: viewed online, sometimes bought in a store. */
export function interestOf(seed: number, customer: DemoCustomer, week: number): Product {
  const random = streamOf(seed, 3, customer.index, week);
  return productIn(random, random() < 0.7 ? customer.favourite : Math.floor(random() * CATEGORIES.length));
}

const lineOf = (p: Product, quantity = 1) => ({ product_id: p.id, name: p.name, category: p.category, price: p.price, quantity });

interface Day {
  seed: number;
  customer: DemoCustomer;
  day: number;
  start: number;
  random: Random;
  events: PlannedEvent[];
  counter: number;
}

function emit(d: Day, source: SourceKey, at: number, body: Record<string, unknown>): void {
  d.events.push({
    source,
    at,
    message: { messageId: `d${d.seed}-${d.customer.index}-${d.day}-${d.counter++}`, timestamp: new Date(at).toISOString(), ...body },
  });
}

/** Who the customer is to a channel on that day: anonymous before signing up online, then known. */
function onlineIds(d: Day): Record<string, unknown> {
  const c = d.customer;
  const signedUp = c.signUpDay !== null && c.signUpDay < d.day;
  if (c.arrival === 'existing') return { userId: c.userId, anonymousId: c.anonymousId };
  return signedUp ? { userId: c.userId, anonymousId: c.anonymousId } : { anonymousId: c.anonymousId };
}

function identifyTraits(c: DemoCustomer): Record<string, unknown> {
  const consent: Record<string, unknown> = { email: { marketing: c.emailOptIn ? 'granted' : 'denied' } };
  if (c.phone) consent.sms = { marketing: c.smsOptIn ? 'granted' : 'denied' };
  return {
    email: c.email,
    firstName: c.firstName,
    homeStore: STORES[c.homeStore]!.name,
    marathoner: c.marathoner,
    ...(c.phone && { phone: c.phone }),
    ...(c.loyaltyCard && { loyaltyCard: c.loyaltyCard }),
    consent,
  };
}

function session(d: Day, campaignFirst: boolean): void {
  const { customer: c, random } = d;
  const channel: SourceKey = c.appUser && random() < 0.55 ? 'app' : 'web';
  let at = d.start + pick(random, ONLINE_HOURS) * HOUR_MS + Math.floor(random() * 50) * MINUTE_MS;
  const campaignIndex = campaignFirst ? c.campaign : channel === 'web' && random() < 0.12 ? Math.floor(random() * CAMPAIGNS.length) : null;
  const campaign = campaignIndex === null ? undefined : CAMPAIGNS[campaignIndex];
  const ids = onlineIds(d);
  const context = campaign ? { campaign: { name: campaign.name, source: campaign.source, medium: campaign.medium } } : {};
  if (campaign) {
    emit(d, campaign.via, at, { type: 'track', event: 'Ad Clicked', ...ids, properties: { campaign: campaign.name, category: campaign.category }, context });
    at += MINUTE_MS;
  }
  emit(d, channel, at, { type: channel === 'app' ? 'screen' : 'page', name: 'Home', ...ids, context });
  const signUpToday = c.signUpDay === d.day && c.arrival !== 'existing';
  if (signUpToday) {
    at += 2 * MINUTE_MS;
    emit(d, channel, at, { type: 'identify', userId: c.userId, anonymousId: c.anonymousId, traits: identifyTraits(c), context });
    emit(d, channel, at + 1000, { type: 'track', event: 'Signed Up', userId: c.userId, anonymousId: c.anonymousId, properties: { method: channel }, context });
    Object.assign(ids, { userId: c.userId });
  }
  const interest = interestOf(d.seed, c, Math.floor(d.day / 7));
  const views = 1 + Math.floor(random() * 3);
  let product = interest;
  for (let i = 0; i < views; i++) {
    product = i === 0 ? interest : productIn(random, random() < 0.6 ? c.favourite : Math.floor(random() * CATEGORIES.length));
    at += (1 + Math.floor(random() * 3)) * MINUTE_MS;
    emit(d, channel, at, { type: 'track', event: 'Product Viewed', ...ids, properties: lineOf(product), context });
  }
  if (!(random() < (c.arrival === 'browser' ? 0.1 : 0.3))) return;
  const cartId = `${c.index}-${d.day}-${d.counter}`;
  at += 2 * MINUTE_MS;
  emit(d, channel, at, { type: 'track', event: 'Product Added', ...ids, properties: { cart_id: cartId, ...lineOf(product) }, context });
  if (!('userId' in ids) || !(random() < c.buyRate)) return;
  const extra = random() < 0.3 ? productIn(random, ACCESSORIES) : undefined;
  const lines = extra ? [lineOf(product), lineOf(extra)] : [lineOf(product)];
  const revenue = lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
  at += 3 * MINUTE_MS;
  emit(d, channel, at, { type: 'track', event: 'Checkout Started', ...ids, properties: { cart_id: cartId, revenue }, context });
  emit(d, channel, at + 2 * MINUTE_MS, {
    type: 'track',
    event: 'Order Completed',
    ...ids,
    properties: { order_id: `o-${cartId}`, cart_id: cartId, revenue, currency: 'EUR', products: lines },
    context,
  });
  afterOrder(d, at + 2 * MINUTE_MS, ids);
}

function afterOrder(d: Day, at: number, ids: Record<string, unknown>): void {
  const { random } = d;
  if (random() < 0.1)
    emit(d, 'web', at + 3 * HOUR_MS, { type: 'track', event: 'Product Reviewed', ...ids, properties: { rating: 3 + Math.floor(random() * 3) } });
  if (random() < 0.04) emit(d, 'app', at + 4 * HOUR_MS, { type: 'track', event: 'Referral Sent', ...ids, properties: { channel: 'link' } });
}

function storeVisit(d: Day): void {
  const { customer: c, random } = d;
  const store = STORES[random() < 0.85 ? c.homeStore : Math.floor(random() * STORES.length)]!;
  const at = d.start + pick(random, STORE_HOURS) * HOUR_MS + Math.floor(random() * 55) * MINUTE_MS;
  // Researched online, bought in the store (ROPO): this week's product, half the time.
  const product = random() < 0.5 ? interestOf(d.seed, c, Math.floor(d.day / 7)) : productIn(random, Math.floor(random() * CATEGORIES.length));
  const lines = [lineOf(product, random() < 0.15 ? 2 : 1)];
  if (random() < 0.35) lines.push(lineOf(productIn(random, NUTRITION)));
  const revenue = lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
  const ids = { anonymousId: `card-${c.loyaltyCard}` };
  const orderId = `pos-${store.id}-${c.index}-${d.day}`;
  emit(d, 'pos', at, {
    type: 'track',
    event: 'Order Completed',
    ...ids,
    properties: { order_id: orderId, revenue, currency: 'EUR', store_id: store.id, store: store.name, loyalty_card: c.loyaltyCard, products: lines },
  });
  emit(d, 'loyalty', at + MINUTE_MS, {
    type: 'track',
    event: 'Points Earned',
    ...ids,
    properties: { loyalty_card: c.loyaltyCard, points: Math.round(revenue), order_id: orderId },
  });
  afterOrder(d, at, ids);
}

/** Everything customer `customer` does on day `day` of the window that starts at `windowStart`. */
export function customerDay(seed: number, customer: DemoCustomer, day: number, windowStart: number): PlannedEvent[] {
  const c = customer;
  if (day < c.firstDay) return [];
  const d: Day = { seed, customer: c, day, start: windowStart + day * DAY_MS, random: streamOf(seed, 2, c.index, day), events: [], counter: 0 };
  const random = d.random;
  const first = day === c.firstDay;
  if (first && c.arrival === 'store') {
    const at = d.start + 11 * HOUR_MS + Math.floor(random() * 400) * MINUTE_MS;
    emit(d, 'loyalty', at, { type: 'identify', anonymousId: `card-${c.loyaltyCard}`, traits: { ...identifyTraits(c), loyaltyCard: c.loyaltyCard } });
    emit(d, 'loyalty', at + 1000, {
      type: 'track',
      event: 'Loyalty Joined',
      anonymousId: `card-${c.loyaltyCard}`,
      properties: { loyalty_card: c.loyaltyCard },
    });
  }
  if (first && c.arrival === 'existing') {
    const at = d.start + 8 * HOUR_MS + Math.floor(random() * 600) * MINUTE_MS;
    emit(d, c.appUser ? 'app' : 'web', at, { type: 'identify', userId: c.userId, traits: identifyTraits(c) });
  }
  if (first && c.householdOf !== null && c.arrival !== 'browser') {
    const ids = c.arrival === 'store' ? { anonymousId: `card-${c.loyaltyCard}` } : { userId: c.userId };
    emit(d, 'loyalty', d.start + 20 * HOUR_MS, { type: 'group', groupId: `hh-${c.householdOf}`, ...ids, traits: { type: 'household' } });
  }
  if (c.marathoner && day === c.firstDay + ((c.index * 7) % 40) && c.signUpDay !== null && c.signUpDay < day) {
    emit(d, 'app', d.start + 19 * HOUR_MS, {
      type: 'track',
      event: 'Race Registered',
      userId: c.userId,
      properties: { race: 'Paris Marathon', distance_km: 42.2 },
    });
  }
  // An active spell: most customers are busiest in the weeks after they arrive.
  const fade = c.arrival === 'existing' ? 1 : Math.max(0.25, 1 - (day - c.firstDay) / 60);
  const online = (first && c.arrival !== 'store') || c.signUpDay === day || random() < (c.sessionsPerWeek / 7) * fade;
  if (online) session(d, first && c.campaign !== null);
  const inStore = (first && c.arrival === 'store') || random() < (c.storeVisitsPerMonth / 30) * fade;
  if (c.loyaltyCard && inStore) storeVisit(d);
  const known = c.arrival === 'existing' || (c.signUpDay !== null && c.signUpDay < day);
  if (known && c.emailOptIn && day % 7 === 3) newsletter(d);
  if (known && random() < 0.004) {
    emit(d, 'callCentre', d.start + 14 * HOUR_MS, {
      type: 'track',
      event: 'Call Completed',
      userId: c.userId,
      properties: { reason: pick(random, CALL_REASONS), minutes: 2 + Math.floor(random() * 12) },
    });
  }
  if (known && c.smsOptIn && day % 30 === 10 && random() < 0.15) {
    const context = { campaign: { name: 'sms-flash-sale', source: 'sms', medium: 'sms' } };
    emit(d, 'sms', d.start + 12 * HOUR_MS, { type: 'track', event: 'SMS Link Clicked', userId: c.userId, properties: { campaign: 'sms-flash-sale' }, context });
  }
  return d.events;
}

/** The brand's weekly newsletter (sent by the email platform, outside Touchpoint): opens and clicks come back as events. */
function newsletter(d: Day): void {
  const { customer: c, random } = d;
  if (!(random() < 0.3)) return;
  const at = d.start + 10 * HOUR_MS + Math.floor(random() * 300) * MINUTE_MS;
  const context = { campaign: { name: `newsletter-w${Math.floor(d.day / 7)}`, source: 'newsletter', medium: 'email' } };
  emit(d, 'email', at, { type: 'track', event: 'Email Opened', userId: c.userId, properties: { campaign: context.campaign.name }, context });
  if (random() < 0.25)
    emit(d, 'email', at + 2 * MINUTE_MS, {
      type: 'track',
      event: 'Email Link Clicked',
      userId: c.userId,
      properties: { campaign: context.campaign.name },
      context,
    });
}
