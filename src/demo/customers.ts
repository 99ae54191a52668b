/**
 * The demo's customers, drawn from the seed: who they are (what Touchpoint
 * will be told) and how they behave (what only the generator knows). Pure.
 */
import { seededRandom, type Random } from '../random.js';
import { CAMPAIGNS, CATEGORIES, FIRST_NAMES, STORES } from './brand.js';

/** How a customer comes to the brand. */
export type Arrival =
  /** Signed up before the window: known from their first event in it. */
  | 'existing'
  /** Arrives online anonymously, may sign up later. */
  | 'online'
  /** Joins the loyalty programme in a store; may sign up online later with the same email. */
  | 'store'
  /** Browses anonymously and never signs up. */
  | 'browser';

export interface DemoCustomer {
  index: number;
  userId: string;
  anonymousId: string;
  email: string;
  firstName: string;
  arrival: Arrival;
  /** The day (0-based in the window) of their first event. */
  firstDay: number;
  /** The day they sign up online (identify + Signed Up), or null if they never do in the window. */
  signUpDay: number | null;
  loyaltyCard: string | null;
  phone: string | null;
  homeStore: number;
  appUser: boolean;
  emailOptIn: boolean;
  smsOptIn: boolean;
  marathoner: boolean;
  /** The customer whose household they share (an earlier index), if any. */
  householdOf: number | null;
  /** The campaign that brought them, if any (index in CAMPAIGNS). */
  campaign: number | null;
  /** Online sessions a week and store visits a month while active. */
  sessionsPerWeek: number;
  storeVisitsPerMonth: number;
  /** Chance that a cart is bought. */
  buyRate: number;
  favourite: number;
}

/** One stream per purpose and key: the same draws whatever else the generator drew. */
export function streamOf(seed: number, ...keys: number[]): Random {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  for (const k of keys) {
    h = Math.imul(h ^ (k + 0x6d2b79f5), 0xc2b2ae35) >>> 0;
    h ^= h >>> 15;
  }
  return seededRandom(h);
}

const logNormal = (random: Random, median: number, sigma: number) => {
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return median * Math.exp(sigma * z);
};

function arrivalOf(draw: number): Arrival {
  if (draw < 0.2) return 'existing';
  if (draw < 0.62) return 'online';
  if (draw < 0.77) return 'store';
  return 'browser';
}

export function createCustomer(seed: number, index: number, days: number): DemoCustomer {
  const random = streamOf(seed, 1, index);
  const arrival = arrivalOf(random());
  const firstDay = arrival === 'existing' ? Math.floor(random() * Math.min(days, 14)) : Math.floor(random() * days);
  const id = String(index).padStart(6, '0');
  const storeLinked = arrival === 'store' || random() < 0.35;
  let signUpDay: number | null = null;
  if (arrival === 'online' && random() < 0.7) signUpDay = Math.min(days - 1, firstDay + Math.floor(random() * random() * 10));
  if (arrival === 'store' && random() < 0.3) signUpDay = Math.min(days - 1, firstDay + 3 + Math.floor(random() * 30));
  if (arrival === 'existing') signUpDay = -1;
  const known = arrival !== 'browser';
  const smsOptIn = known && random() < 0.35;
  const campaign = (arrival === 'online' || arrival === 'browser') && random() < 0.45 ? Math.floor(random() * CAMPAIGNS.length) : null;
  const marathoner = random() < 0.12;
  return {
    index,
    userId: `cus-${id}`,
    anonymousId: `anon-${seed}-${id}`,
    email: `${FIRST_NAMES[index % FIRST_NAMES.length]!.toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z]/g, '')}.${id}@example.com`,
    firstName: FIRST_NAMES[index % FIRST_NAMES.length]!,
    arrival,
    firstDay,
    signUpDay,
    loyaltyCard: known && storeLinked ? `LC${id}` : null,
    phone: smsOptIn ? `+3361${id.padStart(7, '0')}` : null,
    homeStore: Math.floor(random() * STORES.length),
    appUser: known && random() < 0.4,
    emailOptIn: known && random() < 0.7,
    smsOptIn,
    marathoner,
    householdOf: known && index > 0 && random() < 0.1 ? index - 1 : null,
    campaign,
    sessionsPerWeek: arrival === 'browser' ? 0.4 : Math.min(6, logNormal(random, marathoner ? 1.3 : 0.8, 0.7)),
    storeVisitsPerMonth: storeLinked ? Math.min(6, logNormal(random, arrival === 'store' ? 1.4 : 0.7, 0.6)) : 0,
    buyRate: 0.25 + random() * 0.4,
    favourite: marathoner && random() < 0.5 ? CATEGORIES.indexOf('Nutrition') : Math.floor(random() * CATEGORIES.length),
  };
}
