/**
 * Every number of the simulated brand and its customers, in one place.
 * docs/policy.md ("The contact-pressure simulation") explains each; change
 * them together.
 */
import type { ContentKind, SimChannel } from './brand.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

export const PARAMETERS = {
  /** Share of the customers who exist before the simulation starts; the others sign up during it, evenly. */
  existingShare: 0.7,
  /** Existing customers who bought before, and how long ago their last order was (uniform, days). */
  pastBuyerShare: 0.6,
  lastOrderDaysAgo: { min: 1, max: 120 },
  pastOrders: { min: 1, max: 5 },
  /** A customer lapses (win-back) this many days after their last order. */
  lapsedAfterDays: 45,
  /** Who can be reached where (email is everyone's). */
  smsShare: 0.5,
  appShare: 0.4,
  timeZones: [
    { zone: 'Europe/Paris', share: 0.6 },
    { zone: 'Europe/London', share: 0.25 },
    { zone: 'America/New_York', share: 0.15 },
  ],
  /** Shopping sessions a week: log-normal across customers (median, sigma), capped. */
  sessionsPerWeek: { median: 1, sigma: 0.8, max: 14 },
  /** When sessions happen, by local hour (relative weights, 0-23). */
  sessionHours: [0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 0.8, 0.8, 0.8, 0.9, 1.2, 1, 0.8, 0.8, 0.9, 1.1, 1.4, 1.7, 1.9, 1.6, 1.1, 0.5],
  /** Products viewed a session (uniform), and the chance a view is in the customer's favourite category. */
  viewsPerSession: { min: 1, max: 4 },
  favouriteCategoryShare: 0.7,
  categories: ['running', 'outdoor', 'fitness', 'yoga', 'kids'],
  /** The chance a session puts something in a cart: logit-normal across customers (mean, spread). */
  cartRate: { mean: 0.25, spread: 0.6 },
  /** A cart is bought in the session... */
  buyInSession: 0.35,
  /** ...or abandoned; an abandoned cart is bought later with this chance, after an exponential delay (mean hours). */
  returnToCart: 0.25,
  returnDelayHours: 30,
  /** Order value: each customer's median basket is log-normal around the brand's; each order log-normal around theirs. */
  basket: { median: 60, sigma: 0.4, orderSigma: 0.5 },

  /**
   * A message is first noticed (an email opened, a push tapped, an SMS read),
   * then acted on (a click), then may lead to an order. Chances multiply:
   * noticed = notice[channel] x the customer's affinity for the channel x fatigue x night;
   * clicked | noticed = click[content] x the customer's appeal for the content kind;
   * ordered | clicked = order[content] (a cart reminder only while the cart is not bought).
   */
  notice: { email: 0.3, sms: 0.9, push: 0.25 } satisfies Record<SimChannel, number>,
  /** Affinity for a channel and appeal of a content kind: log-normal multipliers across customers (sigma; median 1). */
  affinitySigma: 0.5,
  appealSigma: 0.6,
  click: { welcome: 0.2, cart: 0.3, browse: 0.15, crossSell: 0.1, winBack: 0.15, newsletter: 0.08 } satisfies Record<ContentKind, number>,
  order: { welcome: 0.12, cart: 0.35, browse: 0.12, crossSell: 0.08, winBack: 0.15, newsletter: 0.05 } satisfies Record<ContentKind, number>,
  /** Delays (exponential means, hours): from sent to noticed per channel, noticed to click, click to order. */
  noticeDelayHours: { email: 4, sms: 0.3, push: 0.5 } satisfies Record<SimChannel, number>,
  clickDelayHours: 0.1,
  orderDelayHours: 3,
  /**
   * Fatigue: with n messages received in the last 7 days (before this one),
   * the chance to notice is multiplied by exp(-n / fatigueScale), and the
   * chance to unsubscribe by 1 + (n / unsubscribeKnee)^2.
   */
  fatigueScale: 5,
  unsubscribeKnee: 5,
  /** The chance a message makes its reader unsubscribe from its channel, with no fatigue. */
  unsubscribe: { email: 0.002, sms: 0.004, push: 0.003 } satisfies Record<SimChannel, number>,
  /** Local night (start hour to end hour): a message then is noticed less, and an SMS or push annoys more. */
  night: { from: 22, to: 7, notice: 0.6, unsubscribe: 2 },
} as const;

export type Parameters = typeof PARAMETERS;
