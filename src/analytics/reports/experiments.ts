/**
 * experiments: did it work? Journeys' random splits, arm against reference
 * arm from the journeys' own counters (./arms.ts), and the global control
 * group, customers held back against customers contacted, from the contact
 * history and the customers' events in the period (./holdout.ts).
 */
import { ReportParameterError } from './errors.js';
import { comparisonCells, comparisonColumns, compareArms, referenceArm, splitGroups, type ArmTally } from './arms.js';
import { HoldoutTally } from './holdout.js';
import { PERIOD, periodOf } from './params.js';
import type { ReportDefinition } from './report.js';
import type { Cell, ReportPorts, ReportTable, SplitExperiment } from './types.js';

const percent = (x: number) => `${Math.round(x * 10_000) / 100}%`;

/** One row per arm of each split (steps whose arms share names together), and notes on what could not be compared. */
export function splitTable(experiments: readonly SplitExperiment[]): { table: ReportTable; notes: string[] } {
  const rows: Record<string, Cell>[] = [];
  const notes: string[] = [];
  for (const e of experiments) {
    const groups = splitGroups(e.splits);
    for (const group of groups) {
      const tallies = group.arms.map((arm): ArmTally => {
        const counted = e.arms.find((a) => a.arm === arm);
        return { arm, n: counted?.entered ?? 0, converted: counted?.converted ?? 0, value: counted?.value ?? 0 };
      });
      const reference = referenceArm(group.arms);
      const comparison = compareArms(tallies, reference, group.weights);
      for (const c of comparison.arms)
        rows.push({ journey: e.journey, journey_id: e.journeyId, split: group.split, ...comparisonCells(c, comparison.srm, 'entered', 'value_per_entry') });
      if (group.weights === null)
        notes.push(`${e.journey}: split steps ${group.split} share arm names but draw them differently; compared together, with no sample-ratio check.`);
      if (comparison.srm?.warning) notes.push(srmNote(`${e.journey}, split ${group.split}`, comparison.srm.pValue));
    }
    const drawn = new Set(groups.flatMap((g) => g.arms));
    const old = e.arms.filter((a) => a.arm !== null && !drawn.has(a.arm)).map((a) => a.arm);
    if (old.length > 0) notes.push(`${e.journey}: arms ${old.join(', ')} are no longer in the journey's splits and are not compared.`);
  }
  return {
    table: { name: 'journey_splits', columns: ['journey', 'journey_id', 'split', ...comparisonColumns('entered', 'value_per_entry')], rows },
    notes,
  };
}

const srmNote = (what: string, pValue: number) =>
  `Sample-ratio mismatch in ${what} (chi-square p = ${pValue.toPrecision(3)} < 0.001): the arms' sizes do not fit the weights they were drawn with, so assignment, eligibility or counting differ between arms; do not trust its results until the cause is found.`;

interface HoldoutInput {
  from: number;
  to: number;
  /** Only these journeys' requests (undefined: every journey's). */
  journeyIds?: ReadonlySet<string>;
  conversion: string;
  value: string;
}

/** The control group table: who journeys asked to contact, held back or not, and what they did afterwards. */
async function holdoutTable(ports: ReportPorts, input: HoldoutInput): Promise<{ table: ReportTable; notes: string[]; requested: number }> {
  const columns = comparisonColumns('customers', 'value_per_customer');
  const group = await ports.controlGroup();
  const tally = new HoldoutTally(input.conversion, input.value, new Set(group?.bypassing ?? []));
  await ports.scanMessages({ from: input.from, to: input.to }, (page) => {
    for (const m of page) if (m.journeyId !== null && (!input.journeyIds || input.journeyIds.has(m.journeyId))) tally.addRequest(m);
  });
  const notes: string[] = [];
  if (!group)
    notes.push(
      'No global control group is configured in the contact policy (controlGroup.share): nothing measures the incrementality of all journeys together.',
    );
  if (!group && tally.held === 0) return { table: { name: 'control_group', columns, rows: [] }, notes, requested: tally.requested };
  if (!group) notes.push(`${tally.held} customers were held back in the period by a control group since removed; compared without a sample-ratio check.`);
  tally.assign(group && ((profileId) => group.contains(profileId)));
  if (tally.requested > 0)
    await ports.scanActivity({ from: input.from, to: input.to, excludeSourceIds: ports.internalSourceIds }, (profileId, events) =>
      tally.visit(profileId, events),
    );
  const comparison = compareArms(tally.tallies(), 0, group ? [group.share, 1 - group.share] : null);
  const rows = comparison.arms.map((c) => comparisonCells(c, comparison.srm, 'customers', 'value_per_customer'));
  const { unreachable, drawnNotHeld } = tally.excluded;
  const compared = comparison.arms.reduce((n, c) => n + c.tally.n, 0);
  notes.push(
    `Population: ${tally.requested} customers journeys asked to contact in the period, ${compared} compared; control: those held back by the control group${group ? ` (configured share ${percent(group.share)})` : ''}; treated: the rest, as assigned (intention to treat), whether or not a message then went out.`,
    `Left out: ${unreachable} customers none of whose requests met the draw (stopped before it: no consent, no address, erased; or of a purpose that bypasses it, such as transactional), and ${drawnNotHeld} the draw places in the control group whose requests never met it (purposes that bypass it).`,
    `A conversion is a "${input.conversion}" event in the period at or after the customer's first request; value per customer sums their conversions' ${input.value === 'revenue' ? 'revenue (else total, else products price × quantity)' : `"${input.value}" property`}, zero for customers who did not convert.`,
  );
  if (comparison.srm?.warning) notes.push(srmNote('the control group', comparison.srm.pValue));
  return { table: { name: 'control_group', columns, rows }, notes, requested: tally.requested };
}

/** The journeys the `journey` parameter names: a split journey by name or id, else any journey by id. */
function chosenJourneys(experiments: readonly SplitExperiment[], journey: string | undefined) {
  if (journey === undefined) return { experiments, journeyIds: undefined };
  const chosen = experiments.filter((e) => e.journey === journey || e.journeyId === journey);
  return { experiments: chosen, journeyIds: new Set(chosen.length > 0 ? chosen.map((e) => e.journeyId) : [journey]) };
}

export const experimentsReport: ReportDefinition = {
  name: 'experiments',
  summary:
    'Journey random splits and the global control group: conversion rate and value per arm with 95% intervals, lift against the reference arm, p-values and a sample-ratio check.',
  params: [
    ...PERIOD,
    { name: 'journey', kind: 'text', description: 'Only this journey (its name or id; a journey without splits by its id).' },
    { name: 'conversion', kind: 'text', default: 'Order Completed', description: 'The event that counts as a conversion for the control group.' },
    {
      name: 'value',
      kind: 'text',
      default: 'revenue',
      description: 'The conversion event property that holds its value (revenue: else total, else products).',
    },
  ],
  async run(values, ports) {
    const { from, to } = periodOf(values, ports.now());
    const journey = values.journey as string | undefined;
    const { experiments, journeyIds } = chosenJourneys(await ports.experiments(), journey);
    const splits = splitTable(experiments);
    const holdout = await holdoutTable(ports, { from, to, journeyIds, conversion: values.conversion as string, value: values.value as string });
    if (journey !== undefined && experiments.length === 0 && holdout.requested === 0)
      throw new ReportParameterError(
        'journey',
        `no journey with splits is named or has the id "${journey}", and no journey with that id asked to contact anyone in the period.`,
      );
    return {
      report: 'experiments',
      parameters: {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        journey: journey ?? null,
        conversion: values.conversion,
        value: values.value,
      },
      tables: [splits.table, holdout.table],
      notes: [
        'Journey splits count every entry since the journey went live (the journey\u2019s own counters: a customer who enters again counts again), whatever the period; a conversion there is the journey\u2019s goal. The reference arm is the one named control, else the first.',
        ...splits.notes,
        ...holdout.notes,
      ],
    };
  },
};
