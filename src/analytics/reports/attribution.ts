/**
 * Multi-touch attribution over the contact history: conversions (an event
 * with a value) credited to the touchpoints before them within a look-back
 * window, by channel, campaign or journey, every model side by side. The
 * paths are built per unified customer (touch-paths.ts); the models are
 * the attribution module's.
 */
import { attributeAll, describeShapleyMethod, MODELS, type Attribution } from '../attribution/all-models.js';
import type { PathRow } from '../attribution/paths.js';
import { reached, type MessageFact } from '../../history/index.js';
import type { ActivityEvent } from '../../profiles/index.js';
import { ORDER_COMPLETED } from './facts.js';
import { PERIOD, periodOf, type ParamSpec } from './params.js';
import type { ReportDefinition } from './report.js';
import { addPaths, ATTRIBUTE_BY, customerPaths, type AttributeBy, type PathOptions } from './touch-paths.js';
import type { ReportPorts, ReportTable } from './types.js';

const PARAMS: ParamSpec[] = [
  ...PERIOD,
  { name: 'conversion', kind: 'text', default: ORDER_COMPLETED, description: 'The event that is a conversion.' },
  {
    name: 'value',
    kind: 'text',
    default: 'revenue',
    description: 'The conversion property holding its value (revenue: else total, else the products: price × quantity).',
  },
  { name: 'lookback', kind: 'duration', default: '30d', description: 'How long before a conversion a touch counts.' },
  {
    name: 'by',
    kind: 'choice',
    choices: ATTRIBUTE_BY,
    default: 'channel',
    description: 'Credit channels, campaigns (UTM campaign; journeys for messages) or journeys.',
  },
  { name: 'halfLife', kind: 'number', default: '2', min: 0.01, description: 'Time decay: a touch weighs half as much as one this many touches later.' },
];

/** The messages that went out in the window, per customer, in time order. */
async function outboundByCustomer(ports: ReportPorts, from: number, to: number): Promise<Map<string, MessageFact[]>> {
  const byCustomer = new Map<string, MessageFact[]>();
  await ports.scanMessages({ from, to }, (page) => {
    for (const m of page) {
      if (!reached(m.status)) continue;
      const list = byCustomer.get(m.profileId) ?? byCustomer.set(m.profileId, []).get(m.profileId)!;
      list.push(m);
    }
  });
  for (const list of byCustomer.values()) list.sort((a, b) => (a.sentAt ?? a.requestedAt) - (b.sentAt ?? b.requestedAt));
  return byCustomer;
}

/** The most labels (campaigns, journeys) credited one by one: anyone who can send events can name campaigns, and the Markov model costs O(n^4). */
const KEPT = 100;
const OTHER = '(other)';

/** Past KEPT labels, the least used (by customers whose paths touch them) become one. */
export function foldRare(rows: PathRow[]): { rows: PathRow[]; folded: number } {
  const weight = new Map<string, number>();
  for (const row of rows) for (const label of new Set(row.channels)) weight.set(label, (weight.get(label) ?? 0) + row.conversions + row.nulls);
  if (weight.size <= KEPT) return { rows, folded: 0 };
  const kept = new Set(
    [...weight]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, KEPT)
      .map(([label]) => label),
  );
  const table = new Map<string, PathRow>();
  for (const row of rows) {
    const channels = row.channels.map((c) => (kept.has(c) ? c : OTHER));
    const key = channels.join(' > ');
    const into = table.get(key) ?? table.set(key, { channels, conversions: 0, value: 0, nulls: 0 }).get(key)!;
    into.conversions += row.conversions;
    into.value += row.value;
    into.nulls += row.nulls;
  }
  return { rows: [...table.values()], folded: weight.size - KEPT };
}

const r = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

function creditTables(result: Attribution, by: AttributeBy): ReportTable[] {
  const columns = MODELS.flatMap((m) => [`${m}_conversions`, `${m}_value`]);
  const rows = result.channels.map((channel) => {
    const row: Record<string, string | number> = { [by]: channel };
    for (const model of MODELS) {
      const credit = result.models[model].channels.find((c) => c.channel === channel);
      row[`${model}_conversions`] = r(credit?.conversions ?? 0);
      row[`${model}_value`] = r(credit?.value ?? 0, 2);
    }
    return row;
  });
  const removal = result.models.markov.channels.map((c) => ({ [by]: c.channel, removal_effect: r(c.removalEffect ?? 0, 6) }));
  return [
    { name: 'credits', columns: [by, ...columns], rows },
    { name: 'removal_effects', columns: [by, 'removal_effect'], rows: removal },
  ];
}

export const attributionReport: ReportDefinition = {
  name: 'attribution',
  summary: 'Conversions credited to the touchpoints before them (inbound visits and messages), every model side by side.',
  params: PARAMS,
  async run(values, ports) {
    const { from, to } = periodOf(values, ports.now());
    const options: PathOptions = {
      conversion: values.conversion as string,
      value: values.value as string,
      lookback: values.lookback as number,
      by: values.by as AttributeBy,
      from,
      to,
      journeyNames: await ports.journeyNames(),
    };
    const outbound = await outboundByCustomer(ports, from - options.lookback, to);
    const table = new Map<string, PathRow>();
    const untouched = { count: 0, value: 0 };
    const excluded = [...ports.internalSourceIds, ports.responseSourceId];
    const visit = (profileId: string, events: readonly ActivityEvent[]) => {
      const paths = customerPaths(events, outbound.get(profileId) ?? [], options);
      addPaths(table, paths.paths);
      untouched.count += paths.untouched.count;
      untouched.value += paths.untouched.value;
      outbound.delete(profileId);
    };
    await ports.scanActivity({ from: from - options.lookback, to, excludeSourceIds: excluded }, visit);
    // Customers who got messages and did nothing in the window: paths that did not convert.
    for (const profileId of [...outbound.keys()]) visit(profileId, []);
    const { rows, folded } = foldRare([...table.values()]);
    const result = attributeAll(rows, { halfLife: values.halfLife as number });
    const summary = {
      distinct_paths: result.totals.paths,
      conversions: result.totals.conversions,
      conversion_value: r(result.totals.value, 2),
      paths_without_conversion: result.totals.nulls,
      conversions_without_touch: untouched.count,
      value_without_touch: r(untouched.value, 2),
    };
    return {
      report: 'attribution',
      parameters: {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        conversion: options.conversion,
        value: options.value,
        lookback: options.lookback,
        by: options.by,
        halfLife: values.halfLife,
      },
      tables: [...creditTables(result, options.by), { name: 'summary', columns: Object.keys(summary), rows: [summary] }],
      notes: [
        ...MODELS.map((m) => `${m}: ${result.models[m].label}.`),
        `shapley: ${describeShapleyMethod(result.models.shapley.method)}.`,
        "Touches: the customer's own events (one per visit: events on one channel less than 30 minutes apart) and the messages that went out to them; opens and clicks count with their message.",
        'Conversions with no touch in the look-back window are not credited to anything (summary: conversions_without_touch).',
        'Every model shares out what happened; none says what a channel caused. The experiments report (holdouts) measures that.',
        ...(folded > 0
          ? [`${folded} ${options.by === 'channel' ? 'channels' : `${options.by}s`} beyond the ${KEPT} most used are counted together as "${OTHER}".`]
          : []),
      ],
    };
  },
};
