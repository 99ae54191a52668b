/**
 * lifecycle-flow: how customers move through the lifecycle stages. Reads the
 * whole stage history (event time) once, in pages, and counts per bucket,
 * between the period's ends, and the moves inside it (./stage-flow.ts).
 */
import { PERIOD, periodOf } from './params.js';
import type { ReportDefinition } from './report.js';
import { bucketsOf, INTERVALS, StageFlow, type FlowCounts, type FlowInterval } from './stage-flow.js';
import { forEachStageChange } from './stage-timeline.js';
import type { Cell, ReportPorts, ReportResult, ReportTable } from './types.js';

export const NO_STAGE = '(none)';

const isoDate = (at: number) => new Date(at).toISOString().slice(0, 10);

/** Model stages in model order, then stages the history names that the model no longer has (renamed or removed), by name. */
export function stageColumns(model: readonly string[], seen: readonly (string | null)[]): { columns: string[]; retired: string[] } {
  const known = new Set(model);
  const retired = seen.filter((s): s is string => s !== null && !known.has(s)).sort();
  return { columns: [...model, ...retired], retired };
}

/** The flow's counts as the report's tables. */
export function flowTables(counts: FlowCounts, bucketStarts: readonly number[], model: readonly string[]): ReportTable[] {
  const { columns } = stageColumns(model, counts.stages);
  const codeOf = new Map(counts.stages.map((name, code) => [name, code]));
  const stagesOverTime: ReportTable = {
    name: 'stages_over_time',
    columns: ['bucket', ...columns, NO_STAGE],
    rows: counts.atEnds.map((row, b) => {
      const out: Record<string, Cell> = { bucket: isoDate(bucketStarts[b]!) };
      for (const stage of columns) out[stage] = codeOf.has(stage) ? row[codeOf.get(stage)!]! : 0;
      out[NO_STAGE] = row[0]!;
      return out;
    }),
  };
  // Stage order for the pair tables: the model's, retired ones after, no stage last.
  const rank = new Map<string | null, number>([...columns.map((s, i) => [s, i] as const), [null, columns.length]]);
  const byStages = (a: { from: string | null; to: string | null }, b: { from: string | null; to: string | null }) =>
    rank.get(a.from)! - rank.get(b.from)! || rank.get(a.to)! - rank.get(b.to)!;
  const name = (stage: string | null) => stage ?? NO_STAGE;
  return [
    stagesOverTime,
    {
      name: 'transitions',
      columns: ['from_stage', 'to_stage', 'customers'],
      rows: [...counts.transitions].sort(byStages).map((t) => ({ from_stage: name(t.from), to_stage: name(t.to), customers: t.customers })),
    },
    {
      name: 'moves',
      columns: ['from_stage', 'to_stage', 'changes', 'customers'],
      rows: [...counts.moves].sort(byStages).map((m) => ({ from_stage: name(m.from), to_stage: name(m.to), changes: m.changes, customers: m.customers })),
    },
  ];
}

const readFlow = (ports: ReportPorts, flow: StageFlow): Promise<number> =>
  forEachStageChange(ports, (change) => flow.add({ ...change, gone: change.trigger === 'merge' }));

export const lifecycleFlow: ReportDefinition = {
  name: 'lifecycle-flow',
  summary: 'Customers per lifecycle stage over time, and how they moved between stages over the period (from the stage history at event time).',
  params: [
    ...PERIOD,
    {
      name: 'interval',
      kind: 'choice',
      choices: INTERVALS,
      default: 'week',
      description: 'The buckets of stages_over_time: day, week (from Monday) or month, in UTC.',
    },
  ],
  async run(values, ports): Promise<ReportResult> {
    const { from, to } = periodOf(values, ports.now());
    const interval = values.interval as FlowInterval;
    const buckets = bucketsOf(from, to, interval);
    const flow = new StageFlow(from, to, buckets.ends);
    const [model, changes] = await Promise.all([ports.stages(), readFlow(ports, flow)]);
    const counts = flow.counts();
    const { retired } = stageColumns(model, counts.stages);
    const notes = [
      `Each bucket counts customers in the stage they were in at its end (the last bucket ends at ${new Date(to).toISOString()}); stage changes at event time, ${changes} read, ${counts.customers} customers in the history by then.`,
      `${NO_STAGE}: customers who had a stage before and were in none at that time. Customers who never had a stage are not counted anywhere.`,
      'transitions: every customer\u2019s stage just before `from` against just before `to`, unchanged ones included (a Sankey diagram: from_stage → to_stage, customers). moves: each change inside the period, by the stage left and the stage entered.',
    ];
    if (retired.length > 0)
      notes.push(
        `The history names stages the lifecycle model no longer has (renamed or removed): ${retired.join(', ')}; they are shown as their own columns after the model's.`,
      );
    return {
      report: 'lifecycle-flow',
      parameters: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), interval },
      tables: flowTables(counts, buckets.starts, model),
      notes,
    };
  },
};
