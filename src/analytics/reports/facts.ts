/**
 * What reports read in an event's properties, no I/O: an order's value and
 * its products with their categories, the product a view was of. Segment's
 * e-commerce spec names the fields: `revenue` (else `total`) on Order
 * Completed, `products[]` with `product_id`, `category`, `price`,
 * `quantity`; `product_id` and `category` on Product Viewed.
 */
import type { ActivityEvent } from '../../profiles/index.js';

export const ORDER_COMPLETED = 'Order Completed';
export const PRODUCT_VIEWED = 'Product Viewed';
/** A category for what names none. */
export const NO_CATEGORY = '(none)';

export type Properties = Record<string, unknown>;

/**
 * Where an event keeps its parsed properties: on the event itself, under a
 * symbol. A WeakMap did the same at about half the cost of reading the
 * events again (half a million entries keep the collector busy).
 */
const PARSED = Symbol('parsed properties');
type Parsed = ActivityEvent & { [PARSED]?: Properties };

/** Properties kept as JSON text; what does not parse (it always does, as the profile stage wrote it) reads as none. */
export function parseProperties(text: string | null): Properties {
  if (text === null) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Properties) : {};
  } catch {
    return {};
  }
}

/** The event's properties, parsed once. */
export function propertiesOf(event: ActivityEvent): Properties {
  const cached = event as Parsed;
  cached[PARSED] ??= parseProperties(event.properties);
  return cached[PARSED];
}

const number = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

export interface ProductLine {
  productId: string | undefined;
  category: string;
  /** price × quantity, when both are known (quantity 1 when absent). */
  amount: number | undefined;
}

export function productsOf(props: Properties): ProductLine[] {
  const list = Array.isArray(props.products) ? props.products : [props];
  const lines: ProductLine[] = [];
  for (const p of list) {
    if (!p || typeof p !== 'object') continue;
    const item = p as Properties;
    const price = number(item.price);
    const quantity = number(item.quantity) ?? 1;
    const productId = text(item.product_id) ?? text(item.sku);
    const category = text(item.category) ?? NO_CATEGORY;
    if (productId === undefined && category === NO_CATEGORY && price === undefined) continue;
    lines.push({ productId, category, amount: price === undefined ? undefined : price * quantity });
  }
  return lines;
}

/**
 * An order's value: the named property when it is a number. For the default
 * `revenue`, as the profiles read an order's revenue, `total` next, and last
 * the products' price × quantity; 0 when none is known. Another property
 * that is missing is 0, not the revenue.
 */
export function orderValue(props: Properties, property = 'revenue'): number {
  const named = number(props[property]);
  if (named !== undefined || property !== 'revenue') return named ?? 0;
  return number(props.total) ?? productsOf(props).reduce((sum, line) => sum + (line.amount ?? 0), 0);
}

/** The categories an order or a view is about (at least one: NO_CATEGORY). */
export function categoriesOf(props: Properties): Set<string> {
  const categories = new Set(productsOf(props).map((l) => l.category));
  if (categories.size === 0) categories.add(NO_CATEGORY);
  return categories;
}

export const isTrack = (e: ActivityEvent, name: string): boolean => e.type === 'track' && e.event === name;
