/**
 * The Shapley value model: each channel's fair share of what the channels
 * achieve together, from cooperative game theory, in the game Zhao et al.
 * define for attribution ("Shapley Value Methods for Attribution Modeling in
 * Online Advertising", 2018): a coalition of channels S is worth the
 * conversions (in a second game, the value) of the customers whose paths
 * used only channels of S. A channel's Shapley value is what it adds to that
 * worth, averaged over every order in which the channels could join.
 *
 * In this game the average has a closed form, so the values are exact for
 * any number of channels, in one pass over the paths: a path's conversions
 * count in the worth of exactly the coalitions that hold all of its k
 * distinct channels, so in any order they are added by whichever of those k
 * joins last, and each of them is last in 1/k of the orders. Each path's
 * conversions and value go in equal parts to its distinct channels; the
 * tests check this against the definition, by brute force over every order.
 *
 * Why this game and not the conversion rate of the customers within S
 * (which would count the paths that did not convert): a rate rests on the
 * customers behind it, and a coalition of rarely used channels stands on a
 * handful, yet weighs as much in the average as the rest. On
 * ChannelAttribution's example table, a channel that 15 of 70,000
 * customers touched took 11% of all conversions that way. Here a channel is
 * credited with the conversions it took part in and no more; the Markov
 * model is the one that reads the paths that did not convert. No I/O.
 */
import type { Credits } from './heuristics.js';
import type { PathRow } from './paths.js';

/** How the values were computed; outputs print it. */
export type ShapleyMethod = { method: 'exact' };

export interface ShapleyResult {
  credits: Credits;
  /** Per channel, its share of all conversions (the values sum to 1 when anything converted). */
  values: Map<string, number>;
  method: ShapleyMethod;
}

export function shapleyModel(paths: readonly PathRow[]): ShapleyResult {
  const credits: Credits = new Map();
  let conversions = 0;
  for (const path of paths) {
    const distinct = [...new Set(path.channels)];
    for (const channel of distinct) {
      const c = credits.get(channel) ?? { conversions: 0, value: 0 };
      c.conversions += path.conversions / distinct.length;
      c.value += path.value / distinct.length;
      credits.set(channel, c);
    }
    conversions += path.conversions;
  }
  const values = new Map([...credits].map(([channel, c]) => [channel, conversions > 0 ? c.conversions / conversions : 0]));
  return { credits, values, method: { method: 'exact' } };
}
