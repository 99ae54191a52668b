/**
 * Funnels: ordered steps, counted per unified customer within a conversion
 * window, so a customer who browsed on the app and bought in the store
 * converts. Per step: customers, conversion from the previous step and from
 * the first (with a 95% interval), and the median time from the previous
 * step; optionally broken down by channel, segment, stage or first touch.
 */
import { ReportParameterError } from './errors.js';
import { BREAKDOWNS, prepareBreakdown, type Breakdown } from './breakdown.js';
import { walkFunnel } from './funnel-walk.js';
import { PERIOD, periodOf, type ParamSpec } from './params.js';
import type { ReportDefinition } from './report.js';
import { wilson } from './stats.js';
import { parseSteps, type FunnelStep } from './steps.js';
import type { ActivityEvent } from '../../profiles/index.js';
import type { ReportTable } from './types.js';

const PARAMS: ParamSpec[] = [
  {
    name: 'steps',
    kind: 'text',
    required: true,
    description: 'The steps in order, separated by " > ": event names, page:Name or screen:Name, each with optional [property=value] filters.',
  },
  { name: 'window', kind: 'duration', default: '7d', description: 'Conversion window from the first step (e.g. 30m, 12h, 7d).' },
  ...PERIOD,
  {
    name: 'by',
    kind: 'choice',
    choices: BREAKDOWNS,
    default: 'none',
    description: 'Break down by channel (of the first step), segment, stage (at the first step), or first-touch source or campaign.',
  },
  { name: 'segments', kind: 'list', description: 'With by=segment: the segments to show (default: all).' },
];

interface Counts {
  /** Customers who reached at least step i + 1. */
  reached: number[];
}

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

function stepsTable(steps: readonly FunnelStep[], counts: Counts, gaps: number[][]): ReportTable {
  const first = counts.reached[0] ?? 0;
  return {
    name: 'steps',
    columns: [
      'step',
      'label',
      'customers',
      'conversion_from_previous',
      'conversion_from_first',
      'conversion_low',
      'conversion_high',
      'median_seconds_from_previous',
    ],
    rows: steps.map((s, i) => {
      const n = counts.reached[i]!;
      const ci = wilson(n, first);
      const gap = i === 0 ? null : median(gaps[i]!);
      return {
        step: i + 1,
        label: s.label,
        customers: n,
        conversion_from_previous: i === 0 ? null : counts.reached[i - 1] ? round(n / counts.reached[i - 1]!) : null,
        conversion_from_first: first ? round(n / first) : null,
        conversion_low: ci ? round(ci.low) : null,
        conversion_high: ci ? round(ci.high) : null,
        median_seconds_from_previous: gap === null ? null : round(gap / 1000, 3),
      };
    }),
  };
}

function breakdownTable(steps: readonly FunnelStep[], groups: Map<string, Counts>): ReportTable {
  const stepColumns = steps.map((_, i) => `step_${i + 1}`);
  const sorted = [...groups].sort(([ga, a], [gb, b]) => b.reached[0]! - a.reached[0]! || ga.localeCompare(gb));
  const rows = sorted.map(([group, c]) => {
    const ci = wilson(c.reached[steps.length - 1]!, c.reached[0]!);
    return {
      group,
      ...Object.fromEntries(stepColumns.map((col, i) => [col, c.reached[i]!])),
      conversion: c.reached[0] ? round(c.reached[steps.length - 1]! / c.reached[0]) : null,
      conversion_low: ci ? round(ci.low) : null,
      conversion_high: ci ? round(ci.high) : null,
    };
  });
  return { name: 'breakdown', columns: ['group', ...stepColumns, 'conversion', 'conversion_low', 'conversion_high'], rows };
}

/** A step no one reached usually means a name or a filter that matches nothing: names are case-sensitive. */
function unreached(steps: readonly FunnelStep[], counts: Counts): string[] {
  const first = counts.reached.findIndex((n) => n === 0);
  if (first < 0) return [];
  return [
    `No customer reached step ${first + 1} (${steps[first]!.label}) in the period: check its name and filters (names are case-sensitive, e.g. "Order Completed").`,
  ];
}

export const funnelReport: ReportDefinition = {
  name: 'funnel',
  summary: 'Ordered steps per unified customer: conversion per step with 95% intervals, median time between steps, breakdowns.',
  params: PARAMS,
  async run(values, ports) {
    const { from, to } = periodOf(values, ports.now());
    const steps = parseSteps('steps', values.steps as string);
    const windowMs = values.window as number;
    const by = values.by as Breakdown;
    if (values.segments !== undefined && by !== 'segment') throw new ReportParameterError('segments', 'only with by=segment.');
    const groupsOf = await prepareBreakdown(by, ports, values.segments as string[] | undefined);
    const total: Counts = { reached: steps.map(() => 0) };
    const groups = new Map<string, Counts>();
    const gaps: number[][] = steps.map(() => []);
    const internal = new Set(ports.internalSourceIds);
    await ports.scanActivity({ excludeSourceIds: ports.internalSourceIds }, (profileId, all) => {
      const events = all.filter((e) => e.timestamp >= from && e.timestamp < to && !internal.has(e.sourceId));
      const progress = walkFunnel(events, steps, windowMs);
      if (progress.reached === 0) return;
      for (let i = 0; i < progress.reached; i++) total.reached[i]!++;
      for (let i = 1; i < progress.reached; i++) gaps[i]!.push(progress.times[i]! - progress.times[i - 1]!);
      if (by === 'none') return;
      for (const group of groupsOf(profileId, all as ActivityEvent[], progress.startedAt!, progress.channel)) {
        const c = groups.get(group) ?? groups.set(group, { reached: steps.map(() => 0) }).get(group)!;
        for (let i = 0; i < progress.reached; i++) c.reached[i]!++;
      }
    });
    const tables = [stepsTable(steps, total, gaps)];
    if (by !== 'none') tables.push(breakdownTable(steps, groups));
    return {
      report: 'funnel',
      parameters: { steps: steps.map((s) => s.label), window: windowMs, from: new Date(from).toISOString(), to: new Date(to).toISOString(), by },
      tables,
      notes: [
        'Counted per unified customer: steps may happen on different channels and devices.',
        `A customer converts once, by the attempt that got furthest; later steps must come within ${windowMs / 3_600_000} hours of the first.`,
        ...(by === 'segment' ? ['Segments are as they are now; a customer in several segments counts in each.'] : []),
        ...unreached(steps, total),
      ],
    };
  },
};
