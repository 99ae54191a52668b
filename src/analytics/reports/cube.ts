/**
 * The cube: customers, orders, revenue and conversion rate at each
 * intersection of segment × channel × product category, with drill-down:
 * choose the dimensions to keep (the others are summed over) and fix any of
 * them to a value. A customer counts once per cell they were active in; an
 * order's revenue is split over its categories by their lines' amounts.
 */
import { ReportParameterError } from './errors.js';
import { categoriesOf, isTrack, NO_CATEGORY, ORDER_COMPLETED, orderValue, productsOf, propertiesOf } from './facts.js';
import { PERIOD, periodOf, type ParamSpec } from './params.js';
import type { ReportDefinition } from './report.js';
import { wilson } from './stats.js';
import type { ActivityEvent } from '../../profiles/index.js';
import type { ReportPorts } from './types.js';

const DIMENSIONS = ['segment', 'channel', 'category'] as const;
type Dimension = (typeof DIMENSIONS)[number];
const NO_SEGMENT = '(no segment)';

const PARAMS: ParamSpec[] = [
  ...PERIOD,
  {
    name: 'dimensions',
    kind: 'list',
    choices: DIMENSIONS,
    default: 'segment,channel,category',
    description: 'The dimensions to show; the others are summed over.',
  },
  { name: 'segments', kind: 'list', description: 'The segments of the segment dimension (default: all).' },
  { name: 'segment', kind: 'text', description: 'Drill down: only this segment.' },
  { name: 'channel', kind: 'text', description: 'Drill down: only this channel.' },
  { name: 'category', kind: 'text', description: 'Drill down: only this product category.' },
  { name: 'order', kind: 'text', default: ORDER_COMPLETED, description: 'The event that is a purchase.' },
  { name: 'value', kind: 'text', default: 'revenue', description: 'The purchase property holding its value.' },
  { name: 'limit', kind: 'integer', default: '1000', min: 1, max: 100_000, description: 'Cells to list, by revenue then customers.' },
];

interface Cell {
  customers: number;
  purchasers: number;
  orders: number;
  revenue: number;
}

/** One customer's part of each (channel, category) pair: active there, the orders (by log position, so that an order of several categories counts once in a cell that sums them), revenue. */
type Part = Map<string, { channel: string; category: string; orders: number[]; revenue: number }>;

function orderShares(props: Record<string, unknown>, value: number): Map<string, number> {
  const lines = productsOf(props);
  const amounts = new Map<string, number>();
  const known = lines.every((l) => l.amount !== undefined) && lines.length > 0;
  const total = known ? lines.reduce((s, l) => s + l.amount!, 0) : 0;
  for (const l of lines) amounts.set(l.category, (amounts.get(l.category) ?? 0) + (known && total > 0 ? (value * l.amount!) / total : value / lines.length));
  if (amounts.size === 0) amounts.set(NO_CATEGORY, value);
  return amounts;
}

function partOf(events: readonly ActivityEvent[], order: string, property: string): Part {
  const part: Part = new Map();
  const at = (channel: string, category: string) => {
    const key = `${channel}\u0000${category}`;
    return part.get(key) ?? part.set(key, { channel, category, orders: [], revenue: 0 }).get(key)!;
  };
  for (const e of events) {
    const props = propertiesOf(e);
    if (isTrack(e, order)) {
      for (const [category, revenue] of orderShares(props, orderValue(props, property))) {
        const p = at(e.channel, category);
        p.orders.push(e.seq);
        p.revenue += revenue;
      }
    } else for (const category of categoriesOf(props)) at(e.channel, category);
  }
  return part;
}

async function segmentsOf(values: Record<string, unknown>, ports: ReportPorts): Promise<[string, Set<string>][]> {
  const names = (values.segments as string[] | undefined) ?? (values.segment ? [values.segment as string] : await ports.segmentNames());
  const out: [string, Set<string>][] = [];
  for (const name of names) {
    const members = await ports.segmentMembers(name);
    if (!members) throw new ReportParameterError(values.segments ? 'segments' : 'segment', `no segment is named "${name}".`);
    out.push([name, members]);
  }
  return out;
}

export const cubeReport: ReportDefinition = {
  name: 'cube',
  summary: 'Customers, orders, revenue and conversion rate per segment × channel × product category, with drill-down.',
  params: PARAMS,
  async run(values, ports) {
    const { from, to } = periodOf(values, ports.now());
    const dims = DIMENSIONS.filter((d) => (values.dimensions as string[]).includes(d));
    if (values.segments !== undefined && !dims.includes('segment'))
      throw new ReportParameterError('segments', 'only with the segment dimension (dimensions=segment,...).');
    const fixed = {
      segment: values.segment as string | undefined,
      channel: values.channel as string | undefined,
      category: values.category as string | undefined,
    };
    const bySegment = dims.includes('segment') || fixed.segment !== undefined;
    const segments = bySegment ? await segmentsOf(values, ports) : [];
    const cells = new Map<string, Cell & Record<Dimension, string>>();
    await ports.scanActivity({ from, to, excludeSourceIds: ports.internalSourceIds }, (profileId, events) => {
      const mine = bySegment ? segments.filter(([, m]) => m.has(profileId)).map(([n]) => n) : ['(all)'];
      if (bySegment && mine.length === 0) mine.push(NO_SEGMENT);
      const seen = new Map<string, { cell: Cell & Record<Dimension, string>; orders: Set<number> }>();
      for (const p of partOf(events, values.order as string, values.value as string).values()) {
        for (const segment of mine) {
          const coords: Record<Dimension, string> = { segment, channel: p.channel, category: p.category };
          if (DIMENSIONS.some((d) => fixed[d] !== undefined && coords[d] !== fixed[d])) continue;
          const key = dims.map((d) => coords[d]).join('\u0000');
          const mineHere =
            seen.get(key) ?? seen.set(key, { cell: { ...coords, customers: 1, purchasers: 0, orders: 0, revenue: 0 }, orders: new Set() }).get(key)!;
          for (const seq of p.orders) mineHere.orders.add(seq);
          mineHere.cell.revenue += p.revenue;
        }
      }
      for (const [key, { cell, orders }] of seen) {
        const total = cells.get(key) ?? cells.set(key, { ...cell, customers: 0, purchasers: 0, orders: 0, revenue: 0 }).get(key)!;
        total.customers++;
        total.purchasers += orders.size > 0 ? 1 : 0;
        total.orders += orders.size;
        total.revenue += cell.revenue;
      }
    });
    const rows = [...cells.values()]
      .sort(
        (a, b) =>
          b.revenue - a.revenue ||
          b.customers - a.customers ||
          dims
            .map((d) => a[d])
            .join()
            .localeCompare(dims.map((d) => b[d]).join()),
      )
      .slice(0, values.limit as number)
      .map((c) => {
        const ci = wilson(c.purchasers, c.customers);
        return {
          ...Object.fromEntries(dims.map((d) => [d, c[d]])),
          customers: c.customers,
          purchasers: c.purchasers,
          orders: c.orders,
          revenue: Math.round(c.revenue * 100) / 100,
          conversion_rate: c.customers ? Math.round((c.purchasers / c.customers) * 1e4) / 1e4 : null,
          conversion_low: ci ? Math.round(ci.low * 1e4) / 1e4 : null,
          conversion_high: ci ? Math.round(ci.high * 1e4) / 1e4 : null,
        };
      });
    return {
      report: 'cube',
      parameters: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), dimensions: dims, ...fixed, segments: segments.map(([n]) => n) },
      tables: [
        { name: 'cells', columns: [...dims, 'customers', 'purchasers', 'orders', 'revenue', 'conversion_rate', 'conversion_low', 'conversion_high'], rows },
      ],
      notes: [
        'A customer counts in a cell when they had an event there in the period (a view or purchase of that category on that channel); purchasers bought there.',
        'Segments are as they are now; a customer in several segments counts in each.',
        "An order's revenue is split over its categories by their lines' price × quantity (equally when unknown).",
        ...(cells.size > (values.limit as number) ? [`${cells.size} cells; the first ${values.limit} by revenue are listed.`] : []),
        ...(cells.size === 0 && Object.values(fixed).some((v) => v !== undefined)
          ? ['No customer was active where the drill-down points (segment, channel, category): check the names (they are case-sensitive).']
          : []),
      ],
    };
  },
};
