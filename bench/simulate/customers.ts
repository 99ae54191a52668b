/**
 * The simulated customers: who they are (what Touchpoint is told: address,
 * consent, time zone) and what only the simulation knows (how often they
 * shop, how much, how they take to each channel and kind of content). Drawn
 * once per customer from the seed, the same in both runs.
 */
import type { ContentKind, SimChannel } from './brand.js';
import { DAY, PARAMETERS, WEEK } from './parameters.js';
import { around, createRng, logNormal, pick, type Rng } from './random.js';

export interface Customer {
  seed: number;
  index: number;
  userId: string;
  firstName: string;
  zone: string;
  /** Reachable (address and consent given) on these channels at sign-up. */
  channels: Record<SimChannel, boolean>;
  /** When they sign up (before the start for existing customers). */
  signUpAt: number;
  /** Orders before the simulation: their times, oldest first (none for new customers). */
  pastOrders: number[];
  // Hidden:
  sessionsPerWeek: number;
  cartRate: number;
  basket: number;
  favourite: string;
  affinity: Record<SimChannel, number>;
  appeal: Record<ContentKind, number>;
  /** Unprompted behaviour and answers to messages draw from streams of their own. */
  activity: Rng;
  responses: Rng;
}

const NAMES = ['Ann', 'Ben', 'Chloé', 'David', 'Eva', 'Farid', 'Grace', 'Hugo', 'Inès', 'Jonas', 'Karin', 'Léo', 'Maya', 'Noah', 'Olga', 'Paul'];
const KINDS: ContentKind[] = ['welcome', 'cart', 'browse', 'crossSell', 'winBack', 'newsletter'];
const CHANNELS: SimChannel[] = ['email', 'sms', 'push'];

const uniform = (rng: Rng, min: number, max: number) => min + (max - min) * rng.next();

/** Customer `index` of a population of `count` over a simulation from `start` lasting `weeks`. */
export function createCustomer(seed: number, index: number, count: number, start: number, weeks: number): Customer {
  const p = PARAMETERS;
  const rng = createRng(seed, 'customer', index);
  const existing = index < Math.round(count * p.existingShare);
  const newcomers = count - Math.round(count * p.existingShare);
  // Newcomers sign up evenly over the run, in order; existing customers some time in the last year.
  const signUpAt = existing ? start - uniform(rng, 30, 365) * DAY : start + ((index - (count - newcomers) + rng.next()) / newcomers) * weeks * WEEK;
  const pastOrders: number[] = [];
  if (existing && rng.next() < p.pastBuyerShare) {
    const last = start - uniform(rng, p.lastOrderDaysAgo.min, p.lastOrderDaysAgo.max) * DAY;
    const n = Math.floor(uniform(rng, p.pastOrders.min, p.pastOrders.max + 1));
    for (let i = n - 1; i >= 0; i--) pastOrders.push(Math.max(signUpAt + DAY, last - i * uniform(rng, 20, 60) * DAY));
  } else {
    rng.next();
    rng.next();
  }
  return {
    seed,
    index,
    userId: `c${index}`,
    firstName: NAMES[index % NAMES.length]!,
    zone: pick(rng, p.timeZones, (z) => z.share).zone,
    channels: { email: true, sms: rng.next() < p.smsShare, push: rng.next() < p.appShare },
    signUpAt,
    pastOrders: pastOrders.sort((a, b) => a - b),
    sessionsPerWeek: Math.min(p.sessionsPerWeek.max, logNormal(rng, p.sessionsPerWeek.median, p.sessionsPerWeek.sigma)),
    cartRate: around(rng, p.cartRate.mean, p.cartRate.spread),
    basket: logNormal(rng, p.basket.median, p.basket.sigma),
    favourite: pick(rng, p.categories),
    affinity: Object.fromEntries(CHANNELS.map((c) => [c, logNormal(rng, 1, p.affinitySigma)])) as Record<SimChannel, number>,
    appeal: Object.fromEntries(KINDS.map((k) => [k, logNormal(rng, 1, p.appealSigma)])) as Record<ContentKind, number>,
    activity: createRng(seed, 'activity', index),
    responses: createRng(seed, 'responses', index),
  };
}

export function createCustomers(seed: number, count: number, start: number, weeks: number): Customer[] {
  return Array.from({ length: count }, (_, i) => createCustomer(seed, i, count, start, weeks));
}
