/**
 * Cross-channel value: customers grouped by how many channels they used in
 * the period (1, 2, 3+) and by the combination, with revenue per customer,
 * orders per customer, the repeat-purchase rate and retention, each with a
 * 95% interval: the brand's own answer to whether multi-channel customers
 * are worth more. It shows association, not cause.
 */
import { ReportParameterError } from './errors.js';
import { isTrack, ORDER_COMPLETED, orderValue, propertiesOf } from './facts.js';
import { PERIOD, periodOf, type ParamSpec } from './params.js';
import type { ReportDefinition } from './report.js';
import { addTo, meanInterval, moments, wilson, type Moments } from './stats.js';
import type { ReportTable } from './types.js';

const PARAMS: ParamSpec[] = [
  ...PERIOD,
  { name: 'order', kind: 'text', default: ORDER_COMPLETED, description: 'The event that is a purchase.' },
  {
    name: 'value',
    kind: 'text',
    default: 'revenue',
    description: 'The purchase property holding its value (revenue: else total, else the products: price × quantity).',
  },
  { name: 'retention', kind: 'duration', default: '30d', description: 'Retained: active in this last part of the period, having been active before it.' },
  {
    name: 'combinations',
    kind: 'integer',
    default: '20',
    min: 1,
    max: 500,
    description: 'Channel combinations to list (the most common; the rest as "(other)").',
  },
];

interface Group {
  customers: number;
  revenue: Moments;
  orders: Moments;
  purchasers: number;
  repeaters: number;
  eligible: number;
  retained: number;
}

const group = (): Group => ({ customers: 0, revenue: moments(), orders: moments(), purchasers: 0, repeaters: 0, eligible: 0, retained: 0 });

interface Customer {
  channels: string[];
  orders: number;
  revenue: number;
  /** null: not active before the retention window, so not counted for retention. */
  retained: boolean | null;
}

function addCustomer(g: Group, c: Customer): void {
  g.customers++;
  addTo(g.revenue, c.revenue);
  addTo(g.orders, c.orders);
  if (c.orders > 0) g.purchasers++;
  if (c.orders > 1) g.repeaters++;
  if (c.retained !== null) {
    g.eligible++;
    if (c.retained) g.retained++;
  }
}

const r = (x: number | undefined | null, digits = 4) => (x === undefined || x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

const COLUMNS = [
  'customers',
  'revenue_per_customer',
  'revenue_low',
  'revenue_high',
  'orders_per_customer',
  'orders_low',
  'orders_high',
  'purchasers',
  'repeat_purchase_rate',
  'repeat_low',
  'repeat_high',
  'retention',
  'retention_low',
  'retention_high',
];

function row(key: string, name: string, g: Group) {
  const revenue = meanInterval(g.revenue);
  const orders = meanInterval(g.orders);
  const repeat = wilson(g.repeaters, g.purchasers);
  const retention = wilson(g.retained, g.eligible);
  return {
    [key]: name,
    customers: g.customers,
    revenue_per_customer: r(revenue.mean, 2),
    revenue_low: r(revenue.interval?.low, 2),
    revenue_high: r(revenue.interval?.high, 2),
    orders_per_customer: r(orders.mean),
    orders_low: r(orders.interval?.low),
    orders_high: r(orders.interval?.high),
    purchasers: g.purchasers,
    repeat_purchase_rate: g.purchasers ? r(g.repeaters / g.purchasers) : null,
    repeat_low: r(repeat?.low),
    repeat_high: r(repeat?.high),
    retention: g.eligible ? r(g.retained / g.eligible) : null,
    retention_low: r(retention?.low),
    retention_high: r(retention?.high),
  };
}

function tables(counts: Map<string, Group>, combos: Map<string, Group>, limit: number): ReportTable[] {
  const byCount = ['1', '2', '3+'].filter((k) => counts.has(k)).map((k) => row('channels', k, counts.get(k)!));
  const sorted = [...combos].sort(([a, ga], [b, gb]) => gb.customers - ga.customers || a.localeCompare(b));
  const other = group();
  for (const [, g] of sorted.slice(limit)) mergeInto(other, g);
  const byCombination = sorted.slice(0, limit).map(([name, g]) => row('combination', name, g));
  if (other.customers > 0) byCombination.push(row('combination', '(other)', other));
  return [
    { name: 'by_channel_count', columns: ['channels', ...COLUMNS], rows: byCount },
    { name: 'by_combination', columns: ['combination', ...COLUMNS], rows: byCombination },
  ];
}

function mergeInto(a: Group, b: Group): void {
  a.customers += b.customers;
  for (const key of ['revenue', 'orders'] as const) {
    a[key].n += b[key].n;
    a[key].sum += b[key].sum;
    a[key].sumSquares += b[key].sumSquares;
  }
  a.purchasers += b.purchasers;
  a.repeaters += b.repeaters;
  a.eligible += b.eligible;
  a.retained += b.retained;
}

export const crossChannelReport: ReportDefinition = {
  name: 'cross-channel',
  summary: 'Customers by number and combination of channels used: revenue and orders per customer, repeat purchases, retention, with 95% intervals.',
  params: PARAMS,
  async run(values, ports) {
    const { from, to } = periodOf(values, ports.now());
    const orderEvent = values.order as string;
    const property = values.value as string;
    const retentionFrom = to - (values.retention as number);
    if (retentionFrom <= from)
      throw new ReportParameterError(
        'retention',
        'must be shorter than the period: retention compares the customers active before it with those active in it.',
      );
    const counts = new Map<string, Group>();
    const combos = new Map<string, Group>();
    await ports.scanActivity({ from, to, excludeSourceIds: ports.internalSourceIds }, (_id, events) => {
      const channels = new Set<string>();
      const customer: Customer = { channels: [], orders: 0, revenue: 0, retained: null };
      let before = false;
      let late = false;
      for (const e of events) {
        channels.add(e.channel);
        if (e.timestamp < retentionFrom) before = true;
        else late = true;
        if (isTrack(e, orderEvent)) {
          customer.orders++;
          customer.revenue += orderValue(propertiesOf(e), property);
        }
      }
      if (channels.size === 0) return;
      customer.channels = [...channels].sort();
      customer.retained = before ? late : null;
      const count = channels.size >= 3 ? '3+' : String(channels.size);
      addCustomer(counts.get(count) ?? counts.set(count, group()).get(count)!, customer);
      const combo = customer.channels.join(' + ');
      addCustomer(combos.get(combo) ?? combos.set(combo, group()).get(combo)!, customer);
    });
    return {
      report: 'cross-channel',
      parameters: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), order: orderEvent, value: property, retention: values.retention },
      tables: tables(counts, combos, values.combinations as number),
      notes: [
        "Channels are those of the customer's own events in the period (responses to messages count on their channel).",
        'Customers who use more channels are also more active: the differences show association, not what adding a channel would cause (use a holdout for that).',
        `Retention: of the customers active before the last ${(values.retention as number) / 86_400_000} days of the period, the share active again in them.`,
        'Intervals: 95%, normal approximation for means, Wilson for rates.',
      ],
    };
  },
};
