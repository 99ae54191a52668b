/**
 * The demo's plan: its customers and, day by day, what they do, drawn from
 * the seed. Pure and cheap to redo, so a day is planned when it is needed
 * and nothing of the 90 days is held in memory at once.
 */
import { customerDay, DAY_MS, type PlannedEvent } from './activity.js';
import { createCustomer, streamOf, type DemoCustomer } from './customers.js';
import { PRODUCTS, STORES } from './brand.js';

export interface PlanOptions {
  seed: number;
  customers: number;
  days: number;
  /** The window ends here (exclusive); a midnight UTC, so the same seed gives the same plan all day. */
  end: number;
}

export interface DemoPlan extends PlanOptions {
  start: number;
  people: DemoCustomer[];
}

/** Midnight UTC at or before `now`: the end of the demo's window. */
export const windowEnd = (now: number): number => Math.floor(now / DAY_MS) * DAY_MS;

export function createDemoPlan(options: PlanOptions): DemoPlan {
  const people = Array.from({ length: options.customers }, (_, i) => createCustomer(options.seed, i, options.days));
  return { ...options, start: options.end - options.days * DAY_MS, people };
}

/** Day `day`'s events of every customer, in time order (ties in the order customers come). */
export function planDay(plan: DemoPlan, day: number): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  for (const customer of plan.people) {
    for (const event of customerDay(plan.seed, customer, day, plan.start)) events.push(event);
  }
  return events.sort((a, b) => a.at - b.at);
}

/**
 * The live trickle's next few events at `at`: a known customer (drawn from
 * the seed and the tick's number) browses, buys online or in a store.
 */
export function trickleEvents(plan: DemoPlan, tick: number, at: number): PlannedEvent[] {
  const random = streamOf(plan.seed, 9, tick);
  const known = plan.people.filter((c) => c.arrival === 'existing');
  const who = known.length > 0 ? known[Math.floor(random() * known.length)]! : undefined;
  if (!who) return [];
  const product = PRODUCTS[Math.floor(random() * PRODUCTS.length)]!;
  const line = { product_id: product.id, name: product.name, category: product.category, price: product.price, quantity: 1 };
  // The wall time in the id: a restarted demo counts its ticks from 0 again, and the log would drop repeated ids as duplicates.
  const id = `live-${plan.seed}-${at.toString(36)}-${tick}`;
  const timestamp = new Date(at).toISOString();
  const roll = random();
  if (roll < 0.15 && who.loyaltyCard) {
    const store = STORES[who.homeStore]!;
    return [
      {
        source: 'pos',
        at,
        message: {
          messageId: id,
          timestamp,
          type: 'track',
          event: 'Order Completed',
          anonymousId: `card-${who.loyaltyCard}`,
          properties: { order_id: id, revenue: product.price, currency: 'EUR', store_id: store.id, loyalty_card: who.loyaltyCard, products: [line] },
        },
      },
    ];
  }
  const ids = { userId: who.userId, anonymousId: who.anonymousId };
  const events: PlannedEvent[] = [
    { source: 'web', at, message: { messageId: `${id}-v`, timestamp, type: 'track', event: 'Product Viewed', ...ids, properties: line } },
  ];
  if (roll < 0.45) {
    const cart = { cart_id: id, ...line };
    events.push({ source: 'web', at, message: { messageId: `${id}-a`, timestamp, type: 'track', event: 'Product Added', ...ids, properties: cart } });
    if (roll < 0.3) {
      const order = { order_id: `o-${id}`, cart_id: id, revenue: product.price, currency: 'EUR', products: [line] };
      events.push({ source: 'web', at, message: { messageId: `${id}-o`, timestamp, type: 'track', event: 'Order Completed', ...ids, properties: order } });
    }
  }
  return events;
}

/** About how many events the plan holds: every 25th customer's days, counted and scaled (for the progress line). */
export function estimateEvents(plan: DemoPlan): number {
  const STRIDE = 25;
  let n = 0;
  for (let i = 0; i < plan.people.length; i += STRIDE) {
    for (let day = 0; day < plan.days; day++) n += customerDay(plan.seed, plan.people[i]!, day, plan.start).length;
  }
  return Math.round((n * plan.people.length) / Math.ceil(plan.people.length / STRIDE));
}
