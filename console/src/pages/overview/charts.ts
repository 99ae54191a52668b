/** The overview's chart options, built from API answers with no I/O. */
import type { EChartsCoreOption } from 'echarts/core';
import { channelLabel } from '../../components/channel-icon.js';

export interface ReportTable {
  name: string;
  columns: string[];
  rows: Record<string, string | number | null>[];
}

export interface MessageSummary {
  total: number;
  outcomes: { sent: number; suppressed: number; deferred: number; pending: number };
  days: { day: string; sent: number; suppressed: number; deferred: number; pending: number }[];
  channels: { channel: string; sent: number; suppressed: number; deferred: number; pending: number }[];
  reasons: { outcome: 'suppressed' | 'deferred'; reason: string; count: number }[];
}

export interface Activity {
  customers: number;
  events: number;
  orders: number;
  days: string[];
  channels: { channel: string; counts: number[]; events: number; orders: number }[];
}

const legend = { bottom: 0, type: 'scroll' };
const grid = { left: 48, right: 16, top: 16, bottom: 56 };

/** Customers per stage at the end of each bucket, stacked. */
export function stagesOption(table: ReportTable): EChartsCoreOption {
  const stages = table.columns.filter((c) => c !== 'bucket');
  return {
    tooltip: { trigger: 'axis' },
    legend,
    grid,
    xAxis: { type: 'category', boundaryGap: false, data: table.rows.map((r) => r.bucket) },
    yAxis: { type: 'value' },
    series: stages.map((stage) => ({ name: stage, type: 'line', stack: 'stages', areaStyle: {}, symbol: 'none', data: table.rows.map((r) => r[stage] ?? 0) })),
  };
}

/** A share of each channel: a ring. */
export function channelRingOption(name: string, slices: { channel: string; value: number }[]): EChartsCoreOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend,
    series: [
      {
        name,
        type: 'pie',
        radius: ['42%', '70%'],
        center: ['50%', '44%'],
        label: { formatter: '{b} {d}%' },
        // Slivers keep their tooltip and legend; their labels would only pile up.
        minShowLabelAngle: 6,
        data: slices.filter((s) => s.value > 0).map((s) => ({ name: channelLabel(s.channel), value: s.value })),
      },
    ],
  };
}

const OUTCOME_COLORS = { sent: '#1aa37a', suppressed: '#d9534f', deferred: '#e0892b', pending: '#6b7a8f' };

/** Messages per day: sent, and held back (suppressed, deferred), stacked. */
export function outcomesOption(summary: MessageSummary): EChartsCoreOption {
  const outcomes = ['sent', 'suppressed', 'deferred', 'pending'] as const;
  return {
    tooltip: { trigger: 'axis' },
    legend,
    grid,
    xAxis: { type: 'category', data: summary.days.map((d) => d.day.slice(5)) },
    yAxis: { type: 'value' },
    series: outcomes.map((o) => ({ name: o, type: 'bar', stack: 'messages', color: OUTCOME_COLORS[o], data: summary.days.map((d) => d[o]) })),
  };
}

/** Why messages were held back: one bar per reason. */
export function reasonsOption(summary: MessageSummary): EChartsCoreOption {
  const reasons = summary.reasons.slice(0, 10).reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: reasons.map((r) => `${r.reason} (${r.outcome})`) },
    series: [{ type: 'bar', data: reasons.map((r) => ({ value: r.count, itemStyle: { color: OUTCOME_COLORS[r.outcome] } })) }],
  };
}
