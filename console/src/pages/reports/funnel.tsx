/** Funnel: conversion from the first step per step with its Wilson interval, median time between steps; a breakdown as grouped bars. */
import { Chart } from '../../components/chart.js';
import { barOffset, groupedBars, intervalSeries, percentAxis } from '../../components/intervals.js';
import { Card, formatNumber, formatPercent } from '../../components/ui.js';
import { formatDuration } from './format.js';
import { num, tableOf, type ViewProps } from './types.js';

const MAX_GROUPS = 8;

export function FunnelView(props: ViewProps) {
  const steps = tableOf(props.result, 'steps')?.rows ?? [];
  const breakdown = tableOf(props.result, 'breakdown');
  const labels = steps.map((s, i) => {
    const gap = num(s.median_seconds_from_previous);
    return `${s.label}${i > 0 ? `\nmedian +${formatDuration(gap)}` : ''}`;
  });
  const option = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 56, right: 16, top: 24, bottom: 56 },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, lineHeight: 15, width: 110, overflow: 'break' } },
    yAxis: { ...percentAxis, max: 1 },
    series: [
      {
        type: 'bar',
        name: 'Conversion from the first step',
        data: steps.map((s) => num(s.conversion_from_first)),
        label: {
          show: true,
          position: 'insideBottom',
          color: '#fff',
          lineHeight: 15,
          formatter: (p: { dataIndex: number }) => {
            const s = steps[p.dataIndex]!;
            return `${formatNumber(num(s.customers))}\n${formatPercent(num(s.conversion_from_first))}`;
          },
        },
      },
      intervalSeries(steps.map((s, index) => ({ index, low: num(s.conversion_low), high: num(s.conversion_high) }))),
    ],
  };
  const summary = steps.map((s) => `${s.label}: ${formatNumber(num(s.customers))} (${formatPercent(num(s.conversion_from_first))})`).join('; ');
  return (
    <>
      <Card title="Customers at each step">
        <Chart option={option} label={`Funnel: ${summary}`} height={320} />
        <p class="hint">Bars: share of the customers of the first step who reached each step; whiskers: its 95% Wilson interval.</p>
      </Card>
      {breakdown && breakdown.rows.length > 0 && <Breakdown rows={breakdown.rows} steps={steps.map((s) => String(s.label))} />}
    </>
  );
}

function Breakdown(props: { rows: Record<string, unknown>[]; steps: string[] }) {
  const groups = [...props.rows].sort((a, b) => Number(b.step_1 ?? 0) - Number(a.step_1 ?? 0)).slice(0, MAX_GROUPS);
  const share = (row: Record<string, unknown>, i: number) => {
    const first = Number(row.step_1 ?? 0);
    return first ? Number(row[`step_${i + 1}`] ?? 0) / first : null;
  };
  const option = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatPercent(v) },
    legend: { type: 'scroll', bottom: 0, data: groups.map((g) => String(g.group)) },
    grid: { left: 56, right: 16, top: 24, bottom: 64 },
    xAxis: { type: 'category', data: props.steps, axisLabel: { interval: 0 } },
    yAxis: { ...percentAxis, max: 1 },
    series: groups.map((g) => ({ type: 'bar', ...groupedBars, name: String(g.group), data: props.steps.map((_, i) => share(g, i)) })),
  };
  const last = props.steps.length - 1;
  const ends = groups.map((g, i) => ({ g, i }));
  return (
    <Card title="Breakdown">
      <Chart
        option={{ ...option, series: [...option.series, ...conversionWhiskers(ends, last, groups.length)] }}
        label={`Funnel by group: ${groups.map((g) => `${g.group} ${formatPercent(share(g, last))}`).join('; ')}`}
        height={320}
      />
      <p class="hint">
        Share of each group's first-step customers at each step
        {props.rows.length > MAX_GROUPS ? ` (the ${MAX_GROUPS} largest groups; all are in the table)` : ''}; whiskers on the last step: the 95% interval of the
        group's conversion.
      </p>
    </Card>
  );
}

function conversionWhiskers(groups: { g: Record<string, unknown>; i: number }[], last: number, n: number) {
  return groups.map(({ g, i }) =>
    intervalSeries([{ index: last, low: (g.conversion_low as number | null) ?? null, high: (g.conversion_high as number | null) ?? null }], {
      offset: barOffset(i, n),
    }),
  );
}
