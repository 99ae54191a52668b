/**
 * Attribution: the seven models side by side (grouped bars, channel ×
 * model), each labelled rule or data-driven, for conversions or value; the
 * Markov model's removal effects; and the reminder that no model measures
 * incrementality.
 */
import { Chart } from '../../components/chart.js';
import { Card, Empty, Stat, formatNumber } from '../../components/ui.js';
import { formatCell, humanize } from './format.js';
import { num, tableOf, type Cell, type ViewProps } from './types.js';

const MODELS: { name: string; kind: 'rule' | 'data-driven' }[] = [
  { name: 'first_touch', kind: 'rule' },
  { name: 'last_touch', kind: 'rule' },
  { name: 'linear', kind: 'rule' },
  { name: 'position_based', kind: 'rule' },
  { name: 'time_decay', kind: 'rule' },
  { name: 'markov', kind: 'data-driven' },
  { name: 'shapley', kind: 'rule' },
];
const MAX_LABELS = 12;

export const modelLabel = (m: (typeof MODELS)[number]) => `${humanize(m.name)} (${m.kind})`;

export function AttributionView(props: ViewProps) {
  const credits = tableOf(props.result, 'credits');
  const summary = tableOf(props.result, 'summary')?.rows[0];
  const measure = props.query.get('measure') === 'value' ? 'value' : 'conversions';
  const by = credits?.columns[0] ?? 'channel';
  const rows = [...(credits?.rows ?? [])].sort((a, b) => total(b, measure) - total(a, measure)).slice(0, MAX_LABELS);
  return (
    <>
      {summary && (
        <Card class="stats">
          <Stat label="Conversions credited" value={formatCell('conversions', summary.conversions)} />
          <Stat label="Their value" value={formatCell('conversion_value', summary.conversion_value)} />
          <Stat label="Paths that did not convert" value={formatCell('n', summary.paths_without_conversion)} />
          <Stat label="Conversions without a touch" value={formatCell('n', summary.conversions_without_touch)} hint="credited to nothing" />
        </Card>
      )}
      <Card
        title={`Credit by ${by}, every model side by side`}
        actions={
          <label class="inline">
            Measure
            <select value={measure} onChange={(e) => props.update({ measure: e.currentTarget.value === 'value' ? 'value' : undefined })}>
              <option value="conversions">Conversions</option>
              <option value="value">Value</option>
            </select>
          </label>
        }
      >
        {rows.length === 0 ? <Empty>No conversion had a touch before it in this period.</Empty> : <ModelBars rows={rows} by={by} measure={measure} />}
        <p class="notice">
          Rules follow a convention chosen in advance; the data-driven Markov model learns from every path, converting or not.{' '}
          <strong>None measures incrementality</strong>: they share out the conversions that happened. Only a holdout (see{' '}
          <a href="#/reports/experiments">Experiments</a>) says what a channel caused.
        </p>
      </Card>
    </>
  );
}

const total = (row: Record<string, Cell>, measure: string) => MODELS.reduce((s, m) => s + (num(row[`${m.name}_${measure}`]) ?? 0), 0);

function ModelBars(props: { rows: Record<string, Cell>[]; by: string; measure: string }) {
  const labels = props.rows.map((r) => String(r[props.by]));
  const option = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatCell(props.measure, Math.round(v * 100) / 100) },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 64, right: 16, top: 24, bottom: 72 },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', name: props.measure },
    series: MODELS.map((m) => ({
      type: 'bar',
      name: modelLabel(m),
      data: props.rows.map((r) => num(r[`${m.name}_${props.measure}`])),
      itemStyle: m.kind === 'data-driven' ? { decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [3, 3], rotation: -0.785 } } : undefined,
    })),
  };
  const label = `Credited ${props.measure} by ${props.by} and model: ${props.rows
    .map(
      (r) => `${r[props.by]}: ${MODELS.map((m) => `${m.name} ${formatNumber(Math.round((num(r[`${m.name}_${props.measure}`]) ?? 0) * 10) / 10)}`).join(', ')}`,
    )
    .join('; ')}`;
  return <Chart option={option} label={label} height={360} />;
}
