/**
 * ROPO (research online, purchase offline): the share of store purchases
 * that followed product views on the web or the app within N days, of the
 * same product or the same category, by category; and the reverse,
 * showrooming: online purchases that followed a visit to a store. Counted
 * per unified customer, so the research and the purchase may be on
 * different devices and identifiers.
 */
import { ReportParameterError } from './errors.js';
import { categoriesOf, isTrack, NO_CATEGORY, ORDER_COMPLETED, PRODUCT_VIEWED, productsOf, propertiesOf } from './facts.js';
import { PERIOD, periodOf, type ParamSpec } from './params.js';
import type { ReportDefinition } from './report.js';
import { wilson } from './stats.js';
import type { ActivityEvent } from '../../profiles/index.js';
import type { ReportTable } from './types.js';

const PARAMS: ParamSpec[] = [
  ...PERIOD,
  { name: 'lookback', kind: 'duration', default: '7d', description: 'How long before a purchase research (or a store visit) counts.' },
  { name: 'online', kind: 'list', default: 'web,app', description: 'The channels where customers research and buy online.' },
  { name: 'store', kind: 'text', default: 'store', description: 'The channel of stores (POS, visits).' },
  { name: 'view', kind: 'text', default: PRODUCT_VIEWED, description: 'The event that is research: a product view.' },
  { name: 'order', kind: 'text', default: ORDER_COMPLETED, description: 'The event that is a purchase.' },
];

const ALL = '(all)';

/** What a customer saw lately, in time order: what fell out of the look-back is passed over for good, so a long history costs no more per purchase. */
class Recent {
  private readonly items: Seen[] = [];
  private head = 0;
  constructor(private readonly lookback: number) {}
  add(seen: Seen): void {
    this.items.push(seen);
  }
  /** What was seen in [at - lookback, at). */
  before(at: number): Seen[] {
    while (this.head < this.items.length && this.items[this.head]!.at < at - this.lookback) this.head++;
    return this.items.slice(this.head).filter((s) => s.at < at);
  }
}

interface Seen {
  at: number;
  products: Set<string>;
  /** Named categories only: what names none matches no category. */
  categories: Set<string>;
  /** Per category (NO_CATEGORY included), the products of it. */
  lines: Map<string, Set<string>>;
}

interface Tally {
  orders: number;
  sameProduct: number;
  sameCategory: number;
  visitBefore: number;
}

const tally = (): Tally => ({ orders: 0, sameProduct: 0, sameCategory: 0, visitBefore: 0 });

function seenOf(e: ActivityEvent): Seen {
  const props = propertiesOf(e);
  const lines = new Map<string, Set<string>>([...categoriesOf(props)].map((c) => [c, new Set<string>()]));
  for (const l of productsOf(props)) if (l.productId !== undefined) lines.get(l.category)!.add(l.productId);
  const products = new Set([...lines.values()].flatMap((set) => [...set]));
  return { at: e.timestamp, products, categories: new Set([...lines.keys()].filter((c) => c !== NO_CATEGORY)), lines };
}

function count(table: Map<string, Tally>, category: string, hit: { product?: boolean; category?: boolean; visit?: boolean }): void {
  const t = table.get(category) ?? table.set(category, tally()).get(category)!;
  t.orders++;
  if (hit.product) t.sameProduct++;
  if (hit.category) t.sameCategory++;
  if (hit.visit) t.visitBefore++;
}

const r = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(x * 1e4) / 1e4);

function sorted(table: Map<string, Tally>): [string, Tally][] {
  return [...table].sort(([a, ta], [b, tb]) => (a === ALL ? -1 : b === ALL ? 1 : tb.orders - ta.orders || a.localeCompare(b)));
}

function ropoTable(table: Map<string, Tally>): ReportTable {
  return {
    name: 'research_online_purchase_offline',
    columns: ['category', 'store_orders', 'researched_same_product', 'researched_same_category', 'share', 'share_low', 'share_high'],
    rows: sorted(table).map(([category, t]) => {
      const ci = wilson(t.sameCategory, t.orders);
      return {
        category,
        store_orders: t.orders,
        researched_same_product: t.sameProduct,
        researched_same_category: t.sameCategory,
        share: t.orders ? r(t.sameCategory / t.orders) : null,
        share_low: r(ci?.low),
        share_high: r(ci?.high),
      };
    }),
  };
}

function showroomingTable(table: Map<string, Tally>): ReportTable {
  return {
    name: 'showrooming',
    columns: ['category', 'online_orders', 'store_visit_before', 'store_same_category', 'share', 'share_low', 'share_high'],
    rows: sorted(table).map(([category, t]) => {
      const ci = wilson(t.visitBefore, t.orders);
      return {
        category,
        online_orders: t.orders,
        store_visit_before: t.visitBefore,
        store_same_category: t.sameCategory,
        share: t.orders ? r(t.visitBefore / t.orders) : null,
        share_low: r(ci?.low),
        share_high: r(ci?.high),
      };
    }),
  };
}

export const ropoReport: ReportDefinition = {
  name: 'ropo',
  summary: 'Store purchases preceded by online research (same product or category), by category; and showrooming (store visit, then online purchase).',
  params: PARAMS,
  async run(values, ports) {
    const { from, to } = periodOf(values, ports.now());
    const lookback = values.lookback as number;
    const online = new Set(values.online as string[]);
    const store = values.store as string;
    if (online.has(store)) throw new ReportParameterError('online', `lists the store channel (${store}): online channels and the store must differ.`);
    const [view, order] = [values.view as string, values.order as string];
    const offline = new Map<string, Tally>();
    const showroom = new Map<string, Tally>();
    await ports.scanActivity({ from: from - lookback, to, excludeSourceIds: ports.internalSourceIds }, (_id, events) => {
      const views = new Recent(lookback);
      const visits = new Recent(lookback);
      for (const e of events) {
        if (isTrack(e, order) && e.timestamp >= from) {
          const bought = seenOf(e);
          if (e.channel === store) {
            const recent = views.before(e.timestamp);
            const product = (c: string) => recent.some((v) => [...bought.lines.get(c)!].some((p) => v.products.has(p)));
            const category = (c: string) => product(c) || recent.some((v) => v.categories.has(c));
            const cats = [...bought.lines.keys()];
            for (const c of cats) count(offline, c, { product: product(c), category: category(c) });
            count(offline, ALL, { product: cats.some(product), category: cats.some(category) });
          } else if (online.has(e.channel)) {
            const recent = visits.before(e.timestamp);
            for (const c of bought.lines.keys()) count(showroom, c, { visit: recent.length > 0, category: recent.some((v) => v.categories.has(c)) });
            count(showroom, ALL, { visit: recent.length > 0, category: recent.some((v) => [...bought.categories].some((c) => v.categories.has(c))) });
          }
        }
        if (online.has(e.channel) && isTrack(e, view)) views.add(seenOf(e));
        if (e.channel === store) visits.add(seenOf(e));
      }
    });
    return {
      report: 'ropo',
      parameters: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), lookback, online: [...online], store, view, order },
      tables: [ropoTable(offline), showroomingTable(showroom)],
      notes: [
        `Research: a "${view}" on ${[...online].join(' or ')} in the ${lookback / 86_400_000} days before the purchase; same product implies same category.`,
        'An order of several categories counts once in each of them and once in (all).',
        `A store visit: any event on the ${store} channel (a purchase, a visit, a product looked up); store_same_category when it named the order's category.`,
        'Shares are of purchases, with 95% Wilson intervals; they show what preceded purchases, not what caused them.',
        ...(offline.size === 0 ? [`No "${order}" on the ${store} channel in the period: check the store channel's name and the purchase event's.`] : []),
        ...(showroom.size === 0 ? [`No "${order}" on ${[...online].join(' or ')} in the period: check the online channels' names.`] : []),
      ],
    };
  },
};
