/**
 * Arms of an experiment compared, with no I/O: each arm's conversion rate
 * and value against the reference arm, with intervals and p-values, and the
 * sample-ratio check of the arms' sizes against the weights they were drawn
 * with. Also which of a journey's split steps can be told apart by the
 * journey's per-arm counters, which know an arm by its name only.
 */
import { compareMeans, compareRates, meanInterval, sampleRatio, wilson, type Interval, type Moments } from './stats.js';
import type { Cell } from './types.js';

/** Below this, the arms' sizes do not fit their weights: the split itself is broken. */
export const SRM_THRESHOLD = 0.001;

export interface ArmTally {
  arm: string;
  /** Customers (or journey entries) in the arm. */
  n: number;
  converted: number;
  /** The total value of their conversions. */
  value: number;
  /** Value per customer, summed for its interval; unknown from a journey's counters. */
  moments?: Moments;
}

export interface ArmComparison {
  tally: ArmTally;
  reference: boolean;
  expectedShare: number | null;
  rate: number | null;
  rateInterval: Interval | null;
  valuePerUnit: number | null;
  valueInterval: Interval | null;
  /** Against the reference arm (null on the reference itself). */
  difference: number | null;
  differenceInterval: Interval | null;
  lift: number | null;
  liftInterval: Interval | null;
  pValue: number | null;
  valueDifference: number | null;
  valueDifferenceInterval: Interval | null;
}

export interface Comparison {
  arms: ArmComparison[];
  srm: { chiSquare: number; pValue: number; warning: boolean } | null;
}

/** The arm named control (in any case) is the reference; else the first. */
export const referenceArm = (arms: readonly string[]): number =>
  Math.max(
    0,
    arms.findIndex((a) => a.toLowerCase() === 'control'),
  );

/** Each arm against the reference; the sizes against `weights` when they are known. */
export function compareArms(tallies: readonly ArmTally[], reference: number, weights: readonly number[] | null): Comparison {
  const base = tallies[reference]!;
  const totalWeight = weights?.reduce((a, b) => a + b, 0) ?? 0;
  const arms = tallies.map((t, i): ArmComparison => {
    const isReference = i === reference;
    const rates = isReference ? undefined : compareRates({ k: t.converted, n: t.n }, { k: base.converted, n: base.n });
    const values = !isReference && t.moments && base.moments ? compareMeans(t.moments, base.moments) : undefined;
    const own = t.moments ? meanInterval(t.moments) : undefined;
    return {
      tally: t,
      reference: isReference,
      expectedShare: weights && totalWeight > 0 ? weights[i]! / totalWeight : null,
      rate: t.n > 0 ? t.converted / t.n : null,
      rateInterval: wilson(t.converted, t.n),
      valuePerUnit: t.n > 0 ? t.value / t.n : null,
      valueInterval: own?.interval ?? null,
      difference: rates && base.n > 0 && t.n > 0 ? rates.difference : null,
      differenceInterval: rates?.differenceInterval ?? null,
      lift: rates?.lift ?? null,
      liftInterval: rates?.liftInterval ?? null,
      pValue: rates?.pValue ?? null,
      valueDifference: values && base.n > 0 && t.n > 0 ? values.difference : null,
      valueDifferenceInterval: values?.interval ?? null,
    };
  });
  const ratio = weights
    ? sampleRatio(
        tallies.map((t) => t.n),
        weights,
      )
    : null;
  return { arms, srm: ratio && { ...ratio, warning: ratio.pValue < SRM_THRESHOLD } };
}

const round = (x: number | null | undefined, digits: number): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits;
/** p-values keep four significant digits: a tiny one stays distinguishable from zero. */
const significant = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : Number(x.toPrecision(4)));

const interval = (name: string, i: Interval | null, digits: number): Record<string, Cell> => ({
  [`${name}_low`]: round(i?.low, digits),
  [`${name}_high`]: round(i?.high, digits),
});

/** The columns both experiment tables share, rounded: rates and lifts to 6 places, money to 4 (totals to 2). */
export function comparisonCells(c: ArmComparison, srm: Comparison['srm'], count: string, perUnit: string): Record<string, Cell> {
  return {
    arm: c.tally.arm,
    reference: c.reference,
    expected_share: round(c.expectedShare, 6),
    [count]: c.tally.n,
    converted: c.tally.converted,
    rate: round(c.rate, 6),
    ...interval('rate', c.rateInterval, 6),
    value: round(c.tally.value, 2),
    [perUnit]: round(c.valuePerUnit, 4),
    ...interval(perUnit, c.valueInterval, 4),
    difference: round(c.difference, 6),
    ...interval('difference', c.differenceInterval, 6),
    lift: round(c.lift, 6),
    ...interval('lift', c.liftInterval, 6),
    p_value: significant(c.pValue),
    value_difference: round(c.valueDifference, 4),
    ...interval('value_difference', c.valueDifferenceInterval, 4),
    srm_p_value: significant(srm?.pValue),
    srm_warning: srm?.warning ?? null,
  };
}

export const comparisonColumns = (count: string, perUnit: string): string[] => [
  'arm',
  'reference',
  'expected_share',
  count,
  'converted',
  'rate',
  'rate_low',
  'rate_high',
  'value',
  perUnit,
  `${perUnit}_low`,
  `${perUnit}_high`,
  'difference',
  'difference_low',
  'difference_high',
  'lift',
  'lift_low',
  'lift_high',
  'p_value',
  'value_difference',
  'value_difference_low',
  'value_difference_high',
  'srm_p_value',
  'srm_warning',
];

export interface SplitGroup {
  /** The split step's id; steps whose arms share names are joined with "+". */
  split: string;
  arms: string[];
  /** The weights arms were drawn with, in `arms` order; null when joined steps drew them differently. */
  weights: number[] | null;
}

const sharesOf = (arms: readonly { arm: string; weight: number }[]) => {
  const total = arms.reduce((s, a) => s + a.weight, 0);
  return new Map(arms.map((a) => [a.arm, a.weight / total]));
};

function sameShares(steps: readonly { arms: { arm: string; weight: number }[] }[]): boolean {
  const first = sharesOf(steps[0]!.arms);
  return steps.every((s) => {
    const shares = sharesOf(s.arms);
    return shares.size === first.size && [...shares].every(([arm, share]) => Math.abs((first.get(arm) ?? -1) - share) < 1e-9);
  });
}

/**
 * A journey's split steps as experiments. The journey counts entries per arm
 * name, so steps with disjoint arm names are separate experiments, while
 * steps that share a name cannot be told apart: they are compared as one,
 * with a sample-ratio check only when they drew the same arms with the same shares.
 */
export function splitGroups(steps: readonly { stepId: string; arms: { arm: string; weight: number }[] }[]): SplitGroup[] {
  const groups: (typeof steps)[number][][] = [];
  for (const step of steps) {
    const names = new Set(step.arms.map((a) => a.arm));
    const joined = groups.filter((g) => g.some((s) => s.arms.some((a) => names.has(a.arm))));
    const rest = groups.filter((g) => !joined.includes(g));
    groups.length = 0;
    groups.push(...rest, [...joined.flat(), step]);
  }
  // In the journey's own order: by each group's first step, each group's steps as they come.
  const at = (s: (typeof steps)[number]) => steps.indexOf(s);
  for (const g of groups) g.sort((a, b) => at(a) - at(b));
  groups.sort((a, b) => at(a[0]!) - at(b[0]!));
  return groups.map((members) => {
    const arms = [...new Set(members.flatMap((s) => s.arms.map((a) => a.arm)))];
    const shares = sameShares(members) ? sharesOf(members[0]!.arms) : null;
    return { split: members.map((s) => s.stepId).join('+'), arms, weights: shares && arms.map((a) => shares.get(a)!) };
  });
}
