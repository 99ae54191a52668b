/**
 * Experiments: for every journey split and the global control group, each
 * arm's conversion rate with its interval, and each arm's lift over the
 * reference drawn as an interval around 0 with its p-value; a sample-ratio
 * mismatch is said loudly, since it voids the comparison.
 */
import { Chart } from '../../components/chart.js';
import { intervalSeries, percentAxis } from '../../components/intervals.js';
import { Card, Empty, formatPercent } from '../../components/ui.js';
import { formatCell } from './format.js';
import { num, tableOf, type Cell, type ViewProps } from './types.js';

interface Arm {
  experiment: string;
  row: Record<string, Cell>;
}

export function ExperimentsView(props: ViewProps) {
  const splits = tableOf(props.result, 'journey_splits')?.rows ?? [];
  const control = tableOf(props.result, 'control_group')?.rows ?? [];
  const arms: Arm[] = [
    ...splits.map((row) => ({ experiment: `${row.journey} · ${row.split}`, row })),
    ...control.map((row) => ({ experiment: 'Global control group', row })),
  ];
  if (arms.length === 0) return <Empty>No journey has a random split and no customer was held back by a control group in this period.</Empty>;
  const mismatched = [...new Set(arms.filter((a) => a.row.srm_warning === true).map((a) => a.experiment))];
  const compared = arms.filter((a) => a.row.reference !== true);
  return (
    <>
      {mismatched.map((experiment) => {
        const p = arms.find((a) => a.experiment === experiment)?.row.srm_p_value;
        return (
          <div key={experiment} class="error" role="alert">
            <strong>Sample-ratio mismatch in {experiment}</strong> (p = {formatCell('p_value', p ?? null)}): the arms' sizes differ from the weights they were
            drawn with. Do not trust this experiment's results until the cause is found (assignment, eligibility or counting differs between arms).
          </div>
        );
      })}
      <div class="grid wide">
        <Card title="Lift over the reference arm">
          <Lifts arms={compared} />
        </Card>
        <Card title="Conversion rate per arm">
          <Rates arms={arms} />
        </Card>
      </div>
    </>
  );
}

const armName = (a: Arm) => `${a.experiment}: ${a.row.arm}`;

function Lifts(props: { arms: Arm[] }) {
  const arms = props.arms.filter((a) => num(a.row.lift) !== null);
  if (arms.length === 0) return <Empty>No lift to show: a reference arm that converted no one has no lift.</Empty>;
  const names = arms.map((a) => `${armName(a)} (p = ${formatCell('p_value', a.row.p_value ?? null)})`);
  const option = {
    tooltip: { trigger: 'item', valueFormatter: (v: number) => formatPercent(v) },
    grid: { left: 8, right: 32, top: 16, bottom: 32, containLabel: true },
    yAxis: { type: 'category', data: names, inverse: true },
    xAxis: { ...percentAxis, splitNumber: 4, min: (v: { min: number }) => Math.min(0, v.min), max: (v: { max: number }) => Math.max(0, v.max) },
    series: [
      {
        type: 'scatter',
        name: 'Lift',
        symbolSize: 10,
        data: arms.map((a) => num(a.row.lift)),
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#b3261e', type: 'dashed' },
          label: { formatter: 'no effect', position: 'start' },
          data: [{ xAxis: 0 }],
        },
      },
      intervalSeries(
        arms.map((a, index) => ({ index, low: num(a.row.lift_low), high: num(a.row.lift_high) })),
        { horizontal: true },
      ),
    ],
  };
  const label = `Lift with 95% interval: ${arms.map((a) => `${armName(a)} ${formatPercent(num(a.row.lift))} (${formatPercent(num(a.row.lift_low))} to ${formatPercent(num(a.row.lift_high))}), p ${formatCell('p_value', a.row.p_value ?? null)}`).join('; ')}`;
  return (
    <>
      <Chart option={option} label={label} height={Math.max(180, 60 + arms.length * 56)} />
      <p class="hint">
        Dot: the arm's rate over the reference's, minus 1; whiskers: its 95% interval. An interval that crosses the dashed line at 0 does not tell the arms
        apart.
      </p>
    </>
  );
}

function Rates(props: { arms: Arm[] }) {
  const names = props.arms.map((a) => `${armName(a)}${a.row.reference === true ? ' (reference)' : ''}`);
  const option = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatPercent(v) },
    grid: { left: 8, right: 32, top: 16, bottom: 32, containLabel: true },
    yAxis: { type: 'category', data: names, inverse: true },
    xAxis: { ...percentAxis },
    series: [
      {
        type: 'bar',
        name: 'Conversion rate',
        data: props.arms.map((a) => ({ value: num(a.row.rate), itemStyle: a.row.reference === true ? { color: '#6b7a8f' } : undefined })),
      },
      intervalSeries(
        props.arms.map((a, index) => ({ index, low: num(a.row.rate_low), high: num(a.row.rate_high) })),
        { horizontal: true },
      ),
    ],
  };
  return (
    <Chart
      option={option}
      label={`Conversion rate per arm: ${props.arms.map((a) => `${armName(a)} ${formatPercent(num(a.row.rate))}`).join('; ')}`}
      height={Math.max(180, 60 + props.arms.length * 40)}
    />
  );
}
