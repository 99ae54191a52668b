/**
 * Error bars for ECharts: a custom series that draws each point's 95%
 * interval as a whisker over a category axis. `offset` moves the whiskers
 * sideways by a share of the category's band, to sit on one bar of a group
 * (with `groupedBars`' spacing: no gap between the bars of a group).
 */

interface RenderApi {
  value(dimension: number): number;
  coord(point: number[]): number[];
  size(range: number[]): number[];
}

export interface IntervalPoint {
  /** The category's index on the axis. */
  index: number;
  low: number | null;
  high: number | null;
}

export function intervalSeries(points: IntervalPoint[], options: { name?: string; horizontal?: boolean; offset?: number; color?: string } = {}) {
  const horizontal = options.horizontal ?? false;
  const color = options.color ?? '#1d2330';
  const line = (x1: number, y1: number, x2: number, y2: number) => ({ type: 'line', shape: { x1, y1, x2, y2 }, style: { stroke: color, lineWidth: 1.5 } });
  return {
    type: 'custom',
    name: options.name ?? '95% interval',
    z: 10,
    tooltip: { show: false },
    encode: horizontal ? { y: 0, x: [1, 2] } : { x: 0, y: [1, 2] },
    data: points.filter((p) => p.low !== null && p.high !== null).map((p) => [p.index, p.low, p.high]),
    renderItem(_params: unknown, api: RenderApi) {
      const index = api.value(0);
      const band = horizontal ? api.size([0, 1])[1]! : api.size([1, 0])[0]!;
      const shift = (options.offset ?? 0) * band;
      const cap = Math.max(3, Math.min(8, band * 0.12));
      const a = api.coord(horizontal ? [api.value(1), index] : [index, api.value(1)]);
      const b = api.coord(horizontal ? [api.value(2), index] : [index, api.value(2)]);
      if (horizontal) {
        const y = a[1]! + shift;
        return { type: 'group', children: [line(a[0]!, y, b[0]!, y), line(a[0]!, y - cap, a[0]!, y + cap), line(b[0]!, y - cap, b[0]!, y + cap)] };
      }
      const x = a[0]! + shift;
      return { type: 'group', children: [line(x, a[1]!, x, b[1]!), line(x - cap, a[1]!, x + cap, a[1]!), line(x - cap, b[1]!, x + cap, b[1]!)] };
    },
  };
}

/** Bar spacing for groups that carry error bars: bars touch within a group, a fifth of the band between groups. */
export const groupedBars = { barGap: '0%', barCategoryGap: '20%' };

/** Where the i-th of n touching bars sits, as a share of the band from its centre (for `intervalSeries`' offset). */
export const barOffset = (i: number, n: number) => ((i - (n - 1) / 2) * 0.8) / n;

export const percentAxis = { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 1000) / 10}%` } };
