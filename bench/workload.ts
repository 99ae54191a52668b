/**
 * The benchmarks' traffic: web sessions of people who browse anonymously,
 * sign in, look at products and sometimes buy, interleaved as many people
 * browse at once. Deterministic: event n is always the same.
 */
export const SESSION_EVENTS = 8;
export const CONCURRENT_SESSIONS = 50;

export interface Workload {
  people: number;
  /** A unique prefix for message ids, so that runs do not collide. */
  run: string;
}

const CATEGORIES = ['running shoes', 'trail shoes', 'socks', 'watches', 'jackets', 'shorts', 'bottles', 'caps', 'bags', 'gels'];

export function sessionEvent(w: Workload, n: number, at: number): Record<string, unknown> {
  const session = (n % CONCURRENT_SESSIONS) + CONCURRENT_SESSIONS * Math.floor(n / (CONCURRENT_SESSIONS * SESSION_EVENTS));
  const step = Math.floor(n / CONCURRENT_SESSIONS) % SESSION_EVENTS;
  const person = (session * 7919) % w.people;
  const ids = { userId: `u${person}`, anonymousId: `a${person}` };
  const base = {
    messageId: `${w.run}-${n}`,
    timestamp: new Date(at).toISOString(),
    context: { page: { url: `https://shop.example/p/${n % 977}`, referrer: 'https://www.google.com/' }, userAgent: 'Mozilla/5.0 (bench)' },
  };
  const category = CATEGORIES[(person + step) % CATEGORIES.length];
  switch (step) {
    case 0:
      return { ...base, type: 'page', anonymousId: ids.anonymousId, name: 'Home' };
    case 1:
      return {
        ...base,
        type: 'identify',
        ...ids,
        traits: {
          email: `p${person}@example.com`,
          tier: ['gold', 'silver', 'bronze'][person % 3],
          signedUpAt: new Date(at - (person % 90) * 86_400_000).toISOString(),
        },
      };
    case 6:
      return { ...base, type: 'track', ...ids, event: 'Product Added', properties: { category, price: 20 + (n % 80) } };
    case 7:
      return session % 3 === 0
        ? { ...base, type: 'track', ...ids, event: 'Order Completed', properties: { total: 40 + (n % 120), revenue: 40 + (n % 120), category } }
        : { ...base, type: 'track', ...ids, event: 'Product Viewed', properties: { category, sku: `SKU-${n % 977}` } };
    default:
      return { ...base, type: 'track', ...ids, event: 'Product Viewed', properties: { category, sku: `SKU-${n % 977}` } };
  }
}
