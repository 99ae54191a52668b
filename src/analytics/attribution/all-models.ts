/**
 * Every attribution model over the same paths, side by side, in a shape
 * that is ready for JSON: each model lists every channel (sorted), with 0
 * where it gave a channel nothing, so that columns line up. Each model
 * carries its kind and a label saying what it is: the rules follow a
 * convention, the data-driven models read the paths (non-converting ones
 * included); none of them measures what a channel caused, which only
 * holdout groups do. No I/O.
 */
import { stringify } from 'csv-stringify/sync';
import type { Random } from '../../random.js';
import { firstTouch, lastTouch, linearTouch, positionBased, timeDecay, type Credits } from './heuristics.js';
import { markovModel } from './markov.js';
import { channelsOf, type PathRow } from './paths.js';
import { shapleyModel, type ShapleyMethod } from './shapley.js';

export const MODELS = ['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay', 'markov', 'shapley'] as const;
export type ModelName = (typeof MODELS)[number];

export interface ChannelCredit {
  channel: string;
  conversions: number;
  value: number;
  /** Markov only: the share of the conversion probability lost without the channel, before normalising. */
  removalEffect?: number;
}

export interface ModelCredits {
  kind: 'rule' | 'data-driven';
  label: string;
  channels: ChannelCredit[];
}

export interface Attribution {
  totals: {
    /** Rows of the path table. */
    paths: number;
    /** Conversions plus nulls: every customer the paths stand for. */
    customers: number;
    conversions: number;
    value: number;
    nulls: number;
  };
  channels: string[];
  models: {
    first_touch: ModelCredits;
    last_touch: ModelCredits;
    linear: ModelCredits;
    position_based: ModelCredits;
    time_decay: ModelCredits & { halfLife: number };
    markov: ModelCredits & { conversionProbability: number };
    shapley: ModelCredits & { method: ShapleyMethod };
  };
}

export interface AttributeOptions {
  /** Time decay: a touch weighs half as much as the one after it this many touches later. */
  halfLife?: number;
  /** Shapley beyond its exact limit: the random orders are drawn from this source (default: seeded, so runs agree). */
  random?: Random;
}

export const DEFAULT_HALF_LIFE = 2;

const LABELS: Record<ModelName, string> = {
  first_touch: 'rule: each conversion goes to the first channel of its path',
  last_touch: 'rule: each conversion goes to the last channel of its path',
  linear: 'rule: each conversion is split equally over the touches of its path, repeats included',
  position_based: 'rule: 40% to the first touch, 40% to the last, 20% shared by the touches between',
  time_decay: 'rule: a touch weighs 2^(-touches after it / half-life)',
  markov: 'data-driven: removal effects in a first-order Markov chain of every path, non-converting ones included',
  shapley: 'data-driven: Shapley values in the conversion rate of the customers whose paths keep within a set of channels',
};

function listed(channels: readonly string[], kind: ModelCredits['kind'], model: ModelName, credits: Credits): ModelCredits {
  return {
    kind,
    label: LABELS[model],
    channels: channels.map((channel) => ({ channel, conversions: 0, value: 0, ...credits.get(channel) })),
  };
}

export function attributeAll(paths: readonly PathRow[], options: AttributeOptions = {}): Attribution {
  const halfLife = options.halfLife ?? DEFAULT_HALF_LIFE;
  const channels = channelsOf(paths);
  const sum = (key: 'conversions' | 'value' | 'nulls') => paths.reduce((s, p) => s + p[key], 0);
  const totals = {
    paths: paths.length,
    customers: sum('conversions') + sum('nulls'),
    conversions: sum('conversions'),
    value: sum('value'),
    nulls: sum('nulls'),
  };
  const rule = (model: ModelName, credits: Credits) => listed(channels, 'rule', model, credits);
  const markov = markovModel(paths);
  const shapley = shapleyModel(paths, { random: options.random });
  const markovCredits = listed(channels, 'data-driven', 'markov', markov.credits);
  for (const c of markovCredits.channels) c.removalEffect = markov.removalEffects.get(c.channel) ?? 0;
  return {
    totals,
    channels,
    models: {
      first_touch: rule('first_touch', firstTouch(paths)),
      last_touch: rule('last_touch', lastTouch(paths)),
      linear: rule('linear', linearTouch(paths)),
      position_based: rule('position_based', positionBased(paths)),
      time_decay: { ...rule('time_decay', timeDecay(paths, halfLife)), halfLife },
      markov: { ...markovCredits, conversionProbability: markov.conversionProbability },
      shapley: { ...listed(channels, 'data-driven', 'shapley', shapley.credits), method: shapley.method },
    },
  };
}

const CSV_COLUMNS = ['model', 'channel', 'conversions', 'value', 'removal_effect'];

/** One row per model and channel, numbers to 6 decimals; removal_effect is empty but for markov. */
export function attributionRows(attribution: Attribution): (string | number)[][] {
  const round = (n: number) => Number(n.toFixed(6));
  return MODELS.flatMap((model) =>
    attribution.models[model].channels.map((c) => [
      model,
      c.channel,
      round(c.conversions),
      round(c.value),
      c.removalEffect === undefined ? '' : round(c.removalEffect),
    ]),
  );
}

/**
 * The CSV the CLI and the API give: a header, then one row per model and
 * channel. Channel names come from the caller's file, so a cell a
 * spreadsheet would run as a formula gets a leading "'" (numbers keep their
 * minus sign).
 */
export function attributionCsv(attribution: Attribution): string {
  return stringify(attributionRows(attribution), { header: true, columns: CSV_COLUMNS, escape_formulas: true });
}

/** How the Shapley values were found, in words for outputs: "exact (...)" or "sampled: 1020 random orders of the channels (seed 1)". */
export function describeShapleyMethod(method: ShapleyMethod): string {
  if (method.method === 'exact') return 'exact (every coalition of channels)';
  const seed = method.seed === undefined ? 'a random source given by the caller' : `seed ${method.seed}`;
  return `sampled: ${method.permutations} random orders of the channels (${seed})`;
}
