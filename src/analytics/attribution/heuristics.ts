/**
 * The rule-based models, as ChannelAttribution defines them: first touch and
 * last touch give a path's conversions (and value) to one touch; linear
 * splits them equally over every touch, repeats included; position-based
 * gives 40% to the first touch, 40% to the last and 20% shared by those
 * between (a path of one touch takes it all; of two, half each); time decay
 * weighs a touch by 2^(-age / half-life), age counted in touches before the
 * conversion when no times are known. No I/O.
 */
import type { PathRow } from './paths.js';

export interface Credit {
  conversions: number;
  value: number;
}

export type Credits = Map<string, Credit>;

/** Shares of one path's credit per touch, summing to 1. */
type Weigh = (touches: number) => number[];

const WEIGHTS = {
  first: (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0)),
  last: (n: number) => Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : 0)),
  linear: (n: number) => new Array<number>(n).fill(1 / n),
  positionBased: (n: number) => {
    if (n <= 2) return new Array<number>(n).fill(1 / n);
    return Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2)));
  },
} satisfies Record<string, Weigh>;

export const timeDecayWeights =
  (halfLife: number): Weigh =>
  (n) => {
    const raw = Array.from({ length: n }, (_, i) => 2 ** (-(n - 1 - i) / halfLife));
    const total = raw.reduce((a, b) => a + b, 0);
    return raw.map((w) => w / total);
  };

export function attributeBy(paths: readonly PathRow[], weigh: Weigh): Credits {
  const credits: Credits = new Map();
  for (const path of paths) {
    if (path.conversions === 0 && path.value === 0) continue;
    const weights = weigh(path.channels.length);
    path.channels.forEach((channel, i) => {
      const c = credits.get(channel) ?? { conversions: 0, value: 0 };
      c.conversions += path.conversions * weights[i]!;
      c.value += path.value * weights[i]!;
      credits.set(channel, c);
    });
  }
  return credits;
}

export const firstTouch = (paths: readonly PathRow[]) => attributeBy(paths, WEIGHTS.first);
export const lastTouch = (paths: readonly PathRow[]) => attributeBy(paths, WEIGHTS.last);
export const linearTouch = (paths: readonly PathRow[]) => attributeBy(paths, WEIGHTS.linear);
export const positionBased = (paths: readonly PathRow[]) => attributeBy(paths, WEIGHTS.positionBased);
export const timeDecay = (paths: readonly PathRow[], halfLife: number) => attributeBy(paths, timeDecayWeights(halfLife));
