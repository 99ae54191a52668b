/** The report's arithmetic, with no I/O. */

export const mean = (values: readonly number[]): number => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

/** The nearest-rank percentile (p in 0-100): the smallest value with at least p% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export interface ProportionDifference {
  /** Treated and control rates. */
  treated: number;
  control: number;
  /** treated - control, and its 95% confidence interval. */
  difference: number;
  low: number;
  high: number;
}

/**
 * The difference of two proportions with a 95% confidence interval by the
 * normal approximation (Wald, unpooled standard error): x1 of n1 treated
 * customers converted, x2 of n2 in the control group.
 */
export function proportionDifference(x1: number, n1: number, x2: number, n2: number, z = 1.959964): ProportionDifference {
  const treated = n1 === 0 ? 0 : x1 / n1;
  const control = n2 === 0 ? 0 : x2 / n2;
  const se = n1 === 0 || n2 === 0 ? Number.NaN : Math.sqrt((treated * (1 - treated)) / n1 + (control * (1 - control)) / n2);
  const difference = treated - control;
  return { treated, control, difference, low: difference - z * se, high: difference + z * se };
}
