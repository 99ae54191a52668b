/**
 * The statistics reports show beside their figures, no I/O: 95% intervals
 * for rates (Wilson score) and means (normal approximation), the difference
 * of two rates with its interval and two-sided p-value, relative lift, and
 * the chi-square test that warns of a sample-ratio mismatch.
 */

export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval for k successes in n trials (sound for small n and rates near 0 or 1). */
export function wilson(k: number, n: number, z = Z95): Interval | null {
  if (n === 0) return null;
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Running sums of a quantity per customer: enough for its mean and interval. */
export interface Moments {
  n: number;
  sum: number;
  sumSquares: number;
}

export const moments = (): Moments => ({ n: 0, sum: 0, sumSquares: 0 });

export function addTo(m: Moments, x: number): void {
  m.n++;
  m.sum += x;
  m.sumSquares += x * x;
}

export function varianceOf(m: Moments): number {
  if (m.n < 2) return 0;
  return Math.max(0, (m.sumSquares - (m.sum * m.sum) / m.n) / (m.n - 1));
}

/** The mean with a 95% interval by the normal approximation (mean ± z·s/√n). */
export function meanInterval(m: Moments, z = Z95): { mean: number; interval: Interval | null } {
  if (m.n === 0) return { mean: 0, interval: null };
  const mean = m.sum / m.n;
  if (m.n < 2) return { mean, interval: null };
  const half = z * Math.sqrt(varianceOf(m) / m.n);
  return { mean, interval: { low: mean - half, high: mean + half } };
}

/** The standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function erfc(x: number): number {
  // The Chebyshev fit of Numerical Recipes' erfcc: fractional error below 1.2e-7, enough for p-values shown to 4 places.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export interface RateComparison {
  /** Treatment rate minus control rate, with its 95% interval (unpooled standard error). */
  difference: number;
  differenceInterval: Interval | null;
  /** Treatment rate / control rate − 1, with its 95% interval (log ratio, delta method); null when the control rate is 0. */
  lift: number | null;
  liftInterval: Interval | null;
  /** Two-sided p-value of the pooled two-proportion z-test. */
  pValue: number | null;
}

export function compareRates(treated: { k: number; n: number }, control: { k: number; n: number }, z = Z95): RateComparison {
  if (treated.n === 0 || control.n === 0) return { difference: 0, differenceInterval: null, lift: null, liftInterval: null, pValue: null };
  const p1 = treated.k / treated.n;
  const p0 = control.k / control.n;
  const difference = p1 - p0;
  const se = Math.sqrt((p1 * (1 - p1)) / treated.n + (p0 * (1 - p0)) / control.n);
  const pooled = (treated.k + control.k) / (treated.n + control.n);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / treated.n + 1 / control.n));
  const pValue = sePooled === 0 ? (difference === 0 ? 1 : 0) : 2 * (1 - normalCdf(Math.abs(difference) / sePooled));
  let lift: number | null = null;
  let liftInterval: Interval | null = null;
  if (p0 > 0) {
    lift = p1 / p0 - 1;
    if (treated.k > 0) {
      const seLog = Math.sqrt(1 / treated.k - 1 / treated.n + 1 / control.k - 1 / control.n);
      const log = Math.log(p1 / p0);
      liftInterval = { low: Math.exp(log - z * seLog) - 1, high: Math.exp(log + z * seLog) - 1 };
    }
  }
  return { difference, differenceInterval: { low: difference - z * se, high: difference + z * se }, lift, liftInterval, pValue };
}

/** Welch's normal interval for the difference of two means. */
export function compareMeans(treated: Moments, control: Moments, z = Z95): { difference: number; interval: Interval | null } {
  if (treated.n === 0 || control.n === 0) return { difference: 0, interval: null };
  const difference = treated.sum / treated.n - control.sum / control.n;
  if (treated.n < 2 || control.n < 2) return { difference, interval: null };
  const se = Math.sqrt(varianceOf(treated) / treated.n + varianceOf(control) / control.n);
  return { difference, interval: { low: difference - z * se, high: difference + z * se } };
}

/** ln Γ(x) (Lanczos, g = 7). */
function lnGamma(x: number): number {
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012,
    9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = c[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized upper incomplete gamma Q(a, x) (series below a + 1, continued fraction above). */
function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - sum * front;
  }
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < 1e-300 ? 1e-300 : d;
    c = b + an / c;
    c = Math.abs(c) < 1e-300 ? 1e-300 : c;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return front * h;
}

/** P(χ² with `df` degrees of freedom ≥ x). */
export const chiSquareSurvival = (x: number, df: number): number => gammaQ(df / 2, x / 2);

/**
 * Sample-ratio mismatch: do the observed counts per arm fit the weights they
 * were drawn with? A p-value below 0.001 means the split itself is broken
 * (assignment, logging or eligibility differ by arm), and its results cannot be trusted.
 */
export function sampleRatio(observed: readonly number[], weights: readonly number[]): { chiSquare: number; pValue: number } | null {
  const total = observed.reduce((a, b) => a + b, 0);
  const weight = weights.reduce((a, b) => a + b, 0);
  if (observed.length < 2 || total === 0 || weight <= 0) return null;
  let chi = 0;
  observed.forEach((o, i) => {
    const expected = (total * weights[i]!) / weight;
    chi += expected > 0 ? (o - expected) ** 2 / expected : 0;
  });
  return { chiSquare: chi, pValue: chiSquareSurvival(chi, observed.length - 1) };
}
