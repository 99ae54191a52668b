/** Lifecycle flow: the Sankey of where the customers of the start stood at the end, and the stage counts over time (stacked areas). */
import { Chart } from '../../components/chart.js';
import { Card, Empty, formatNumber } from '../../components/ui.js';
import { num, tableOf, type ViewProps } from './types.js';

export function LifecycleFlowView(props: ViewProps) {
  const transitions = tableOf(props.result, 'transitions')?.rows ?? [];
  const overTime = tableOf(props.result, 'stages_over_time');
  return (
    <div class="grid wide">
      <Card title="From the start of the period to its end">
        {transitions.length === 0 ? <Empty>No customer had a stage in this period.</Empty> : <Flow rows={transitions} />}
      </Card>
      <Card title="Customers per stage over time">{overTime && overTime.rows.length > 0 ? <OverTime table={overTime} /> : <Empty>No buckets.</Empty>}</Card>
    </div>
  );
}

function Flow(props: { rows: Record<string, unknown>[] }) {
  const start = (s: unknown) => `${s} (start)`;
  const end = (s: unknown) => `${s} (end)`;
  const links = props.rows
    .filter((r) => Number(r.customers) > 0)
    .map((r) => ({ source: start(r.from_stage), target: end(r.to_stage), value: Number(r.customers) }));
  const names = new Set(links.flatMap((l) => [l.source, l.target]));
  const option = {
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 110,
        top: 8,
        bottom: 8,
        nodeAlign: 'justify',
        emphasis: { focus: 'adjacency' },
        lineStyle: { color: 'gradient', opacity: 0.4 },
        data: [...names].map((name) => ({ name })),
        links,
      },
    ],
  };
  const moved = links.filter((l) => l.source.replace(' (start)', '') !== l.target.replace(' (end)', ''));
  const label = `Stage at the start against stage at the end: ${links.map((l) => `${l.source} to ${l.target}: ${formatNumber(l.value)}`).join('; ')}`;
  return (
    <>
      <Chart option={option} label={label} height={360} />
      <p class="hint">
        Left: each customer's stage just before the period; right: just before its end; {formatNumber(moved.reduce((s, l) => s + l.value, 0))} customers changed
        stage.
      </p>
    </>
  );
}

function OverTime(props: { table: { columns: string[]; rows: Record<string, unknown>[] } }) {
  const stages = props.table.columns.filter((c) => c !== 'bucket');
  const option = {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 56, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', boundaryGap: false, data: props.table.rows.map((r) => r.bucket) },
    yAxis: { type: 'value', name: 'customers' },
    series: stages.map((stage) => ({
      type: 'line',
      name: stage,
      stack: 'stages',
      areaStyle: {},
      symbol: 'none',
      data: props.table.rows.map((r) => num(r[stage] as number)),
    })),
  };
  const lastRow = props.table.rows.at(-1) ?? {};
  return (
    <Chart
      option={option}
      label={`Customers per stage at the end of each bucket; at the last: ${stages.map((s) => `${s} ${formatNumber(num(lastRow[s] as number))}`).join(', ')}`}
      height={360}
    />
  );
}
