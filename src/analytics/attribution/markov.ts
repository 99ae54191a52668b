/**
 * The first-order Markov model, solved exactly. Consecutive repeats of a
 * channel are collapsed (A > A > B is A > B); paths that did not convert
 * count, ending in the null state. The chain's transition probabilities
 * come from the paths weighted by how many customers took them; the
 * probability of converting from the start is found by solving the
 * absorbing chain's linear system, not by simulation. A channel's removal
 * effect is how much of that probability is lost when every transition into
 * it leads to null instead; the removal effects, normalised to sum to one,
 * share out the total conversions and the total value. No I/O.
 */
import type { Credits } from './heuristics.js';
import { channelsOf, type PathRow } from './paths.js';

export interface MarkovResult {
  credits: Credits;
  /** Per channel, 1 - P(convert without it) / P(convert). */
  removalEffects: Map<string, number>;
  /** P(convert) from the start, with every channel. */
  conversionProbability: number;
}

interface Chain {
  channels: string[];
  /** From the start to each channel. */
  start: number[];
  /** Between channels: counts[i][j] from channel i to channel j. */
  between: number[][];
  /** From each channel to conversion, and to null (the path ended without one). */
  toConversion: number[];
  toNull: number[];
}

function chainOf(paths: readonly PathRow[]): Chain {
  const channels = channelsOf(paths);
  const index = new Map(channels.map((c, i) => [c, i]));
  const n = channels.length;
  const chain: Chain = {
    channels,
    start: new Array<number>(n).fill(0),
    between: Array.from({ length: n }, () => new Array<number>(n).fill(0)),
    toConversion: new Array<number>(n).fill(0),
    toNull: new Array<number>(n).fill(0),
  };
  for (const p of paths) {
    const weight = p.conversions + p.nulls;
    let previous = -1;
    for (const channel of p.channels) {
      const at = index.get(channel)!;
      // A repeat is no step: A > A > B walks A > B.
      if (at === previous) continue;
      if (previous === -1) chain.start[at]! += weight;
      else chain.between[previous]![at]! += weight;
      previous = at;
    }
    if (previous === -1) continue;
    chain.toConversion[previous]! += p.conversions;
    chain.toNull[previous]! += p.nulls;
  }
  return chain;
}

/** Solves a x = b in place by Gaussian elimination with partial pivoting. */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    const p = a[col]![col]!;
    if (Math.abs(p) < 1e-15) continue;
    for (let r = col + 1; r < n; r++) {
      const f = a[r]![col]! / p;
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r]![c]! -= f * a[col]![c]!;
      b[r]! -= f * b[col]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let c = r + 1; c < n; c++) s -= a[r]![c]! * x[c]!;
    x[r] = Math.abs(a[r]![r]!) < 1e-15 ? 0 : s / a[r]![r]!;
  }
  return x;
}

/** P(convert) from the start, with the channel `removed` (if any) leading to null. */
function conversionProbability(chain: Chain, removed?: number): number {
  const n = chain.channels.length;
  const out = chain.channels.map((_, i) => chain.between[i]!.reduce((a, b) => a + b, 0) + chain.toConversion[i]! + chain.toNull[i]!);
  // (I - Q) x = r over the channels; a removed channel converts with probability 0.
  const a = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) - (i === removed || j === removed || out[i] === 0 ? 0 : chain.between[i]![j]! / out[i]!)),
  );
  const b = chain.channels.map((_, i) => (i === removed || out[i] === 0 ? 0 : chain.toConversion[i]! / out[i]!));
  const x = solve(a, b);
  const total = chain.start.reduce((s, v) => s + v, 0);
  if (total === 0) return 0;
  return chain.start.reduce((s, v, i) => s + (i === removed ? 0 : (v / total) * x[i]!), 0);
}

export function markovModel(paths: readonly PathRow[]): MarkovResult {
  const chain = chainOf(paths);
  const full = conversionProbability(chain);
  const removalEffects = new Map(chain.channels.map((c, i) => [c, full === 0 ? 0 : 1 - conversionProbability(chain, i) / full]));
  const sum = [...removalEffects.values()].reduce((a, b) => a + b, 0);
  const conversions = paths.reduce((s, p) => s + p.conversions, 0);
  const value = paths.reduce((s, p) => s + p.value, 0);
  const credits: Credits = new Map(
    [...removalEffects].map(([c, re]) => [c, { conversions: sum === 0 ? 0 : (conversions * re) / sum, value: sum === 0 ? 0 : (value * re) / sum }]),
  );
  return { credits, removalEffects, conversionProbability: full };
}
