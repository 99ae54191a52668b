/**
 * ECharts, bundled (only the chart kinds the console draws). The chart follows
 * its box's size, so pages work at 1280 px and on a phone; `label` is read by
 * screen readers in place of the picture.
 */
import { BarChart, LineChart, PieChart, SankeyChart, ScatterChart, CustomChart } from 'echarts/charts';
import { DatasetComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { type EChartsCoreOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'preact/hooks';

use([
  BarChart,
  LineChart,
  PieChart,
  SankeyChart,
  ScatterChart,
  CustomChart,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  SVGRenderer,
]);

export const PALETTE = ['#2f6fde', '#1aa37a', '#e0892b', '#c9417d', '#7a5bd6', '#2aa3c4', '#b2a22b', '#6b7a8f', '#d9534f', '#4caf50'];

export function Chart(props: { option: EChartsCoreOption; label: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | undefined>(undefined);
  useEffect(() => {
    if (!box.current) return;
    const instance = init(box.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      instance.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ color: PALETTE, animation: false, ...props.option }, true);
  }, [props.option]);
  return <div class="chart" ref={box} role="img" aria-label={props.label} style={{ height: `${props.height ?? 280}px` }} />;
}
