/**
 * A small brand's year, deterministic: customers who browse on the web shop
 * and the app (some arriving from campaigns), add to cart, and buy online or
 * in a store, with products in categories. Reports are checked against
 * what this plan says happened.
 */
import { seededRandom } from '../../src/random.js';

const DAY = 86_400_000;
const CATEGORIES = ['Shoes', 'Apparel', 'Watches'];
const CAMPAIGNS = ['spring-sale', 'marathon', null, null];

export interface PlannedEvent {
  source: 'Web shop' | 'App' | 'Stores';
  message: Record<string, unknown>;
}

/** `customers` customers' events over the year before `now`, each with its own messageId, in no particular order. */
export function planYear(customers: number, now: number, seed = 7): PlannedEvent[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const events: PlannedEvent[] = [];
  let n = 0;
  for (let c = 0; c < customers; c++) {
    const userId = `u${c}`;
    const visits = 1 + Math.floor(random() * 6);
    for (let v = 0; v < visits; v++) {
      const at = now - 360 * DAY + Math.floor(random() * 350) * DAY + Math.floor(random() * 20) * 3_600_000;
      const source = random() < 0.6 ? 'Web shop' : 'App';
      const category = pick(CATEGORIES);
      const product = `${category.toLowerCase()}-${Math.floor(random() * 4)}`;
      const campaign = pick(CAMPAIGNS);
      const context = campaign ? { campaign: { name: campaign, source: 'google', medium: 'cpc' } } : {};
      const track = (event: string, t: number, properties: Record<string, unknown>, from: PlannedEvent['source'] = source) =>
        events.push({
          source: from,
          message: { type: 'track', event, userId, messageId: `m${n++}`, timestamp: new Date(t).toISOString(), properties, context },
        });
      track('Product Viewed', at, { product_id: product, category, price: 50 });
      if (random() < 0.6) track('Added to Cart', at + 600_000, { product_id: product, category, price: 50 });
      const buy = random();
      const line = { product_id: product, category, price: 50, quantity: 1 + Math.floor(random() * 2) };
      const revenue = line.price * line.quantity;
      if (buy < 0.3) track('Order Completed', at + 1_200_000, { revenue, products: [line] });
      else if (buy < 0.5) track('Order Completed', at + 2 * DAY, { revenue, products: [line] }, 'Stores');
    }
  }
  return events;
}
