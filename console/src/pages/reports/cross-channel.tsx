/** Cross-channel value: by number of channels used, revenue per customer and the repeat and retention rates, each with its 95% interval. */
import { Chart } from '../../components/chart.js';
import { barOffset, groupedBars, intervalSeries, percentAxis } from '../../components/intervals.js';
import { Card, Empty, formatPercent } from '../../components/ui.js';
import { formatCell } from './format.js';
import { num, tableOf, type ViewProps } from './types.js';

export function CrossChannelView(props: ViewProps) {
  const rows = tableOf(props.result, 'by_channel_count')?.rows ?? [];
  if (rows.length === 0) return <Empty>No customer was active in this period.</Empty>;
  const groups = rows.map((r) => `${r.channels} channel${r.channels === '1' ? '' : 's'}`);
  const revenue = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 64, right: 16, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: groups },
    yAxis: { type: 'value', name: 'per customer' },
    series: [
      {
        type: 'bar',
        name: 'Revenue per customer',
        data: rows.map((r) => num(r.revenue_per_customer)),
        label: { show: true, position: 'insideBottom', color: '#fff' },
      },
      intervalSeries(rows.map((r, index) => ({ index, low: num(r.revenue_low), high: num(r.revenue_high) }))),
    ],
  };
  const rates = [
    { key: 'repeat_purchase_rate', low: 'repeat_low', high: 'repeat_high', name: 'Repeat purchase rate' },
    { key: 'retention', low: 'retention_low', high: 'retention_high', name: 'Retention' },
  ];
  const loyalty = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatPercent(v) },
    legend: { bottom: 0, data: rates.map((r) => r.name) },
    grid: { left: 56, right: 16, top: 24, bottom: 56 },
    xAxis: { type: 'category', data: groups },
    yAxis: { ...percentAxis, max: 1 },
    series: [
      ...rates.map((rate) => ({ type: 'bar', ...groupedBars, name: rate.name, data: rows.map((r) => num(r[rate.key])) })),
      ...rates.map((rate, i) =>
        intervalSeries(
          rows.map((r, index) => ({ index, low: num(r[rate.low]), high: num(r[rate.high]) })),
          { offset: barOffset(i, rates.length) },
        ),
      ),
    ],
  };
  const said = (r: (typeof rows)[number]) =>
    `${r.channels}: revenue per customer ${formatCell('revenue', r.revenue_per_customer)}, repeat ${formatPercent(num(r.repeat_purchase_rate))}, retention ${formatPercent(num(r.retention))}`;
  return (
    <>
      <div class="grid">
        <Card title="Revenue per customer">
          <Chart option={revenue} label={`By channels used: ${rows.map(said).join('; ')}`} />
        </Card>
        <Card title="Repeat purchases and retention">
          <Chart option={loyalty} label={`Repeat purchase rate and retention by channels used: ${rows.map(said).join('; ')}`} />
        </Card>
      </div>
      <p class="notice">
        Whiskers: 95% intervals. Customers who use more channels are also more active: the differences show association, not what adding a channel would cause.
      </p>
    </>
  );
}
