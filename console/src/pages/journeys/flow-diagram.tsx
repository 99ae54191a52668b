/**
 * The journey drawn as SVG, top to bottom, branches side by side, each step
 * with its counts. Wider than a phone: its box scrolls sideways there.
 */
import { useEffect, useRef } from 'preact/hooks';
import { formatNumber } from '../../components/ui.js';
import { type FlowLayout, layoutFlow } from './flow-layout.js';
import { entryText, KIND_LABELS, stepSummary } from './step-text.js';
import type { Definition, StepStats } from './types.js';

const W = 220;
const H = 78;
const GAP_X = 28;
const GAP_Y = 58;
const TOP = 84;
const PAD = 12;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function FlowDiagram(props: { definition: Definition; stats?: StepStats[]; entered?: number }) {
  const layout = layoutFlow(props.definition.steps);
  const width = layout.cols * W + (layout.cols - 1) * GAP_X + 2 * PAD;
  const height = TOP + layout.rows * (H + GAP_Y) - GAP_Y + PAD;
  const rowSize = (row: number) => layout.nodes.filter((n) => n.row === row).length;
  const at = (id: string) => {
    const node = layout.nodes.find((n) => n.step.id === id)!;
    const x = PAD + ((layout.cols - rowSize(node.row)) / 2 + node.col) * (W + GAP_X);
    return { x, y: TOP + node.row * (H + GAP_Y) };
  };
  const stats = new Map((props.stats ?? []).map((s) => [s.id, s]));
  const first = props.definition.steps[0];
  const entryX = (width - W) / 2;
  const box = useRef<HTMLDivElement>(null);
  // On a screen narrower than the diagram, start with its middle (where the first steps are) in view.
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollLeft = (el.scrollWidth - el.clientWidth) / 2;
  }, [width]);
  return (
    <div class="flow-scroll" ref={box}>
      <svg
        class="flow"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Flow of ${layout.nodes.length} steps from the entry (${entryText(props.definition)}); the steps table below has the same counts`}
      >
        <defs>
          <marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#8a93a6" />
          </marker>
        </defs>
        <g class="flow-entry">
          <rect x={entryX} y={PAD} width={W} height={46} rx={23} />
          <text x={entryX + W / 2} y={PAD + 19} text-anchor="middle" class="flow-title">
            {clip(entryText(props.definition), 32)}
          </text>
          <text x={entryX + W / 2} y={PAD + 36} text-anchor="middle" class="flow-count">
            {props.entered === undefined ? 'counting…' : `entered ${formatNumber(props.entered)}`}
          </text>
        </g>
        {first && <Edge x1={entryX + W / 2} y1={PAD + 46} x2={at(first.id).x + W / 2} y2={TOP} />}
        {layout.edges.map((e) => {
          const a = at(e.from);
          const b = at(e.to);
          return <Edge key={`${e.from}-${e.to}-${e.label}`} x1={a.x + W / 2} y1={a.y + H} x2={b.x + W / 2} y2={b.y} label={e.label} />;
        })}
        {layout.nodes.map((n) => (
          <Node key={n.step.id} layout={layout} node={n} stats={stats.get(n.step.id)} {...at(n.step.id)} />
        ))}
      </svg>
    </div>
  );
}

function Edge(props: { x1: number; y1: number; x2: number; y2: number; label?: string }) {
  const mid = (props.y1 + props.y2) / 2;
  const d = `M ${props.x1} ${props.y1} C ${props.x1} ${mid}, ${props.x2} ${mid}, ${props.x2} ${props.y2 - 2}`;
  const lx = (props.x1 + props.x2) / 2;
  return (
    <g class="flow-edge">
      <path d={d} marker-end="url(#flow-arrow)" />
      {props.label && (
        <g>
          <rect x={lx - props.label.length * 3.4 - 6} y={mid - 10} width={props.label.length * 6.8 + 12} height={18} rx={9} />
          <text x={lx} y={mid + 3} text-anchor="middle">
            {props.label}
          </text>
        </g>
      )}
    </g>
  );
}

function Node(props: { layout: FlowLayout; node: FlowLayout['nodes'][number]; stats?: StepStats; x: number; y: number }) {
  const { node, stats, x, y } = props;
  const summary = stepSummary(node.step);
  const suppressed = stats ? Object.values(stats.suppressed).reduce((a, b) => a + b, 0) : 0;
  const counts = stats
    ? node.kind === 'send'
      ? `sent ${formatNumber(stats.sent)} · held ${formatNumber(suppressed)} · here ${formatNumber(stats.now)}`
      : `reached ${formatNumber(stats.reached)} · here ${formatNumber(stats.now)}`
    : '';
  return (
    <g class={`flow-node kind-${node.kind}`}>
      <title>{`${node.step.id}: ${KIND_LABELS[node.kind] ?? node.kind} — ${summary}\n${counts}`}</title>
      <rect x={x} y={y} width={W} height={H} rx={8} />
      <text x={x + 12} y={y + 20} class="flow-title">
        {KIND_LABELS[node.kind] ?? node.kind}
        <tspan class="flow-id"> · {clip(node.step.id, 18)}</tspan>
      </text>
      <text x={x + 12} y={y + 40} class="flow-summary">
        {clip(summary, 32)}
      </text>
      <text x={x + 12} y={y + 62} class="flow-count">
        {counts}
      </text>
    </g>
  );
}
