/**
 * Lays a journey's steps out top to bottom: each step one row below the
 * furthest step that leads to it (so a join sits under both of its
 * branches), steps of a row side by side in the order of the steps that
 * lead to them. Journeys run forward only (no cycles), which makes the rows
 * well defined. Pure: the diagram draws what this returns.
 */
import type { Step } from './types.js';

export interface FlowEdge {
  from: string;
  to: string;
  label?: string;
}

export interface FlowNode {
  step: Step;
  kind: string;
  row: number;
  col: number;
}

export interface FlowLayout {
  nodes: FlowNode[];
  edges: FlowEdge[];
  rows: number;
  cols: number;
}

const KINDS = ['wait', 'waitUntil', 'waitFor', 'branch', 'split', 'send', 'setTrait', 'webhook', 'exit'];
export const stepKind = (step: Step): string => KINDS.find((k) => k in step) ?? 'step';

/** Where each step goes next, with the label its edge carries. */
export function edgesOf(step: Step): FlowEdge[] {
  const out: FlowEdge[] = [];
  const add = (to: unknown, label?: string) => typeof to === 'string' && out.push({ from: step.id, to, label });
  switch (stepKind(step)) {
    case 'branch':
      add(step.then, 'yes');
      add(step.else, 'no');
      break;
    case 'waitFor':
      add(step.next, 'event came');
      add(step.onTimeout, 'timed out');
      break;
    case 'split': {
      const arms = step.split as { arm: string; weight: number; next?: string }[];
      const total = arms.reduce((s, a) => s + a.weight, 0);
      for (const arm of arms) add(arm.next, `${arm.arm} · ${Math.round((arm.weight / total) * 100)}%`);
      break;
    }
    default:
      add(step.next);
  }
  return out;
}

export function layoutFlow(steps: Step[]): FlowLayout {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const edges = steps.flatMap(edgesOf).filter((e) => byId.has(e.to));
  const row = new Map<string, number>();
  // Longest path from the first step: steps are visited in an order where every parent comes first.
  for (const id of topologicalOrder(steps, edges)) {
    const parents = edges.filter((e) => e.to === id).map((e) => row.get(e.from) ?? 0);
    row.set(id, parents.length === 0 ? 0 : Math.max(...parents) + 1);
  }
  const rows: string[][] = [];
  for (const id of topologicalOrder(steps, edges)) {
    const r = row.get(id)!;
    rows[r] = [...(rows[r] ?? []), id];
  }
  const col = new Map<string, number>();
  for (const ids of rows) {
    const weight = (id: string) => {
      const parents = edges.filter((e) => e.to === id);
      if (parents.length === 0) return 0;
      // Under its parents, and for a parent with several children, in the order of its edges.
      return parents.reduce((s, e) => s + (col.get(e.from) ?? 0) + edgeRank(edges, e) * 0.01, 0) / parents.length;
    };
    ids.sort((a, b) => weight(a) - weight(b));
    for (const [i, id] of ids.entries()) col.set(id, i);
  }
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const nodes = steps.filter((s) => row.has(s.id)).map((s) => ({ step: s, kind: stepKind(s), row: row.get(s.id)!, col: col.get(s.id)! }));
  return { nodes, edges, rows: rows.length, cols };
}

const edgeRank = (edges: FlowEdge[], edge: FlowEdge) => edges.filter((e) => e.from === edge.from).indexOf(edge);

function topologicalOrder(steps: Step[], edges: FlowEdge[]): string[] {
  const incoming = new Map(steps.map((s) => [s.id, 0]));
  for (const e of edges) incoming.set(e.to, (incoming.get(e.to) ?? 0) + 1);
  const ready = steps.filter((s) => incoming.get(s.id) === 0).map((s) => s.id);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const e of edges.filter((x) => x.from === id)) {
      incoming.set(e.to, incoming.get(e.to)! - 1);
      if (incoming.get(e.to) === 0) ready.push(e.to);
    }
  }
  return order;
}
