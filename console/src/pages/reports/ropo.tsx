/** ROPO: by category, the share of store purchases researched online first; showrooming: online purchases after a store visit. Each share with its 95% interval. */
import { Chart } from '../../components/chart.js';
import { intervalSeries, percentAxis } from '../../components/intervals.js';
import { Card, Empty, formatPercent } from '../../components/ui.js';
import { num, tableOf, type Cell, type ViewProps } from './types.js';

export function RopoView(props: ViewProps) {
  const ropo = tableOf(props.result, 'research_online_purchase_offline')?.rows ?? [];
  const showrooming = tableOf(props.result, 'showrooming')?.rows ?? [];
  return (
    <div class="grid">
      <Card title="Store purchases researched online">
        <Shares rows={ropo} count="store_orders" what="of store orders followed an online view of the category" />
      </Card>
      <Card title="Showrooming: online purchases after a store visit">
        <Shares rows={showrooming} count="online_orders" what="of online orders followed a store visit" />
      </Card>
    </div>
  );
}

function Shares(props: { rows: Record<string, Cell>[]; count: string; what: string }) {
  const rows = props.rows.filter((r) => (num(r[props.count]) ?? 0) > 0);
  if (rows.length === 0) return <Empty>No such orders in this period.</Empty>;
  const categories = rows.map((r) => String(r.category)).reverse();
  const ordered = [...rows].reverse();
  const option = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatPercent(v) },
    grid: { left: 96, right: 24, top: 8, bottom: 32 },
    yAxis: { type: 'category', data: categories },
    xAxis: { ...percentAxis, max: 1 },
    series: [
      { type: 'bar', name: 'Share', data: ordered.map((r) => num(r.share)) },
      intervalSeries(
        ordered.map((r, index) => ({ index, low: num(r.share_low), high: num(r.share_high) })),
        { horizontal: true },
      ),
    ],
  };
  return (
    <>
      <Chart
        option={option}
        label={`Share ${props.what}: ${rows.map((r) => `${r.category} ${formatPercent(num(r.share))}`).join('; ')}`}
        height={Math.max(160, 40 + rows.length * 32)}
      />
      <p class="hint">Share {props.what}; whiskers: 95% interval.</p>
    </>
  );
}
