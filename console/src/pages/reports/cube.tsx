/**
 * The cube as a pivot: the last kept dimension across, the others down,
 * cells shaded by the chosen measure. Clicking a row (or a cell) fixes its
 * dimensions — the drill-down goes into the address as `segment=…`,
 * `channel=…`, `category=…` — and a fixed dimension can be let go again.
 */
import { Chart } from '../../components/chart.js';
import { Card, Empty } from '../../components/ui.js';
import { formatCell, humanize } from './format.js';
import { num, tableOf, type Cell, type ViewProps } from './types.js';

const DIMENSIONS = ['segment', 'channel', 'category'];
const MEASURES = ['revenue', 'customers', 'purchasers', 'orders', 'conversion_rate'];
const MAX_ROWS = 40;
const MAX_COLUMNS = 12;
/** Values that name no member: they cannot be fixed (there is no segment named "(no segment)"). */
const UNFIXABLE = new Set(['(no segment)', '(all)']);

type Row = Record<string, Cell>;

export function CubeView(props: ViewProps) {
  const cells = tableOf(props.result, 'cells');
  const dims = DIMENSIONS.filter((d) => cells?.columns.includes(d));
  const measure = MEASURES.includes(props.query.get('measure') ?? '') ? props.query.get('measure')! : 'revenue';
  const drill = (coords: Record<string, string>) => {
    const fixing = Object.entries(coords).filter(([, v]) => !UNFIXABLE.has(v));
    if (fixing.length === 0) return;
    const left = dims.filter((d) => !fixing.some(([k]) => k === d));
    props.update({ ...Object.fromEntries(fixing), dimensions: (left.length > 0 ? left : dims.slice(-1)).join(',') });
  };
  const release = (dim: string) => props.update({ [dim]: undefined, dimensions: DIMENSIONS.filter((d) => d === dim || dims.includes(d)).join(',') });
  const fixed = DIMENSIONS.filter((d) => props.query.get(d));
  return (
    <>
      <Card
        title="Pivot"
        actions={
          <label class="inline">
            Measure
            <select value={measure} onChange={(e) => props.update({ measure: e.currentTarget.value === 'revenue' ? undefined : e.currentTarget.value })}>
              {MEASURES.map((m) => (
                <option key={m} value={m}>
                  {humanize(m)}
                </option>
              ))}
            </select>
          </label>
        }
      >
        {fixed.length > 0 && (
          <p class="cube-fixed">
            Drilled into:{' '}
            {fixed.map((d) => (
              <button key={d} type="button" class="badge" onClick={() => release(d)} aria-label={`Let go of ${d} ${props.query.get(d)}`}>
                {d} = {props.query.get(d)} ×
              </button>
            ))}
          </p>
        )}
        {!cells || cells.rows.length === 0 ? (
          <Empty>No customer was active in this period{fixed.length ? ' where the drill-down points' : ''}.</Empty>
        ) : (
          <Pivot rows={cells.rows} dims={dims} measure={measure} onDrill={drill} />
        )}
      </Card>
      {cells && cells.rows.length > 0 && (
        <Card title={`Top cells by ${humanize(measure).toLowerCase()}`}>
          <TopCells rows={cells.rows} dims={dims} measure={measure} />
        </Card>
      )}
    </>
  );
}

function Pivot(props: { rows: Row[]; dims: string[]; measure: string; onDrill(coords: Record<string, string>): void }) {
  const across = props.dims.length > 1 ? props.dims.at(-1)! : undefined;
  const down = across ? props.dims.slice(0, -1) : props.dims;
  const keyOf = (r: Row) => down.map((d) => String(r[d])).join(' · ');
  const value = (r: Row) => num(r[props.measure]) ?? 0;
  const rowTotals = totals(props.rows, keyOf, value);
  const columns = across
    ? [...totals(props.rows, (r) => String(r[across]), value)]
        .sort((a, b) => b[1] - a[1])
        .map(([k]) => k)
        .slice(0, MAX_COLUMNS)
    : ['all'];
  const rowKeys = [...rowTotals]
    .sort((a, b) => b[1] - a[1])
    .map(([k]) => k)
    .slice(0, MAX_ROWS);
  const grid = new Map(props.rows.map((r) => [`${keyOf(r)}\u0000${across ? String(r[across]) : 'all'}`, r]));
  const max = Math.max(...props.rows.map(value), 0);
  const coordsOf = (r: Row, withAcross: boolean) => Object.fromEntries([...down, ...(withAcross && across ? [across] : [])].map((d) => [d, String(r[d])]));
  const first = new Map<string, Row>();
  for (const r of props.rows) if (!first.has(keyOf(r))) first.set(keyOf(r), r);
  return (
    <div class="table-wrap">
      <table class="cube-pivot">
        <caption>
          {humanize(props.measure)} by {down.join(' and ')}
          {across ? ` (down) and ${across} (across)` : ''}; choose a row or a cell to drill into it.
        </caption>
        <thead>
          <tr>
            <th scope="col">{down.join(' · ')}</th>
            {columns.map((c) => (
              <th key={c} scope="col" class="num">
                {across ? <CellButton label={c} title={`Drill into ${across} ${c}`} onClick={() => props.onDrill({ [across]: c })} /> : humanize(props.measure)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rowKeys.map((key) => (
            <tr key={key}>
              <th scope="row">
                <CellButton label={key} title={`Drill into ${key}`} onClick={() => props.onDrill(coordsOf(first.get(key)!, false))} />
              </th>
              {columns.map((c) => {
                const cell = grid.get(`${key}\u0000${c}`);
                if (!cell) return <td key={c} class="num" />;
                const share = max > 0 ? value(cell) / max : 0;
                return (
                  <td key={c} class="num" style={{ background: `rgba(47, 111, 222, ${(share * 0.85).toFixed(3)})`, color: share > 0.55 ? '#fff' : undefined }}>
                    <CellButton
                      label={formatCell(props.measure, cell[props.measure])}
                      title={`Drill into ${key}`}
                      onClick={() => props.onDrill(coordsOf(cell, false))}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {(rowTotals.size > MAX_ROWS || (across && columns.length === MAX_COLUMNS)) && (
        <p class="hint">The largest rows and columns are shown; every cell is in the table below.</p>
      )}
    </div>
  );
}

function CellButton(props: { label: string; title: string; onClick(): void }) {
  return (
    <button type="button" class="cube-drill" title={props.title} aria-label={`${props.label}: ${props.title}`} onClick={props.onClick}>
      {props.label}
    </button>
  );
}

function totals(rows: Row[], key: (r: Row) => string, value: (r: Row) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + value(r));
  return out;
}

function TopCells(props: { rows: Row[]; dims: string[]; measure: string }) {
  const top = [...props.rows]
    .sort((a, b) => (num(b[props.measure]) ?? 0) - (num(a[props.measure]) ?? 0))
    .slice(0, 15)
    .reverse();
  const names = top.map((r) => props.dims.map((d) => r[d]).join(' · '));
  const option = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatCell(props.measure, v) },
    grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
    yAxis: { type: 'category', data: names },
    xAxis: { type: 'value' },
    series: [{ type: 'bar', name: humanize(props.measure), data: top.map((r) => num(r[props.measure])) }],
  };
  return (
    <Chart
      option={option}
      label={`${humanize(props.measure)}, largest cells: ${names
        .map((n, i) => `${n} ${formatCell(props.measure, top[i]![props.measure])}`)
        .reverse()
        .join('; ')}`}
      height={Math.max(200, 30 + top.length * 24)}
    />
  );
}
