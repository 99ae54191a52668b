/**
 * The simulated brand: its content, segments and six journeys (welcome,
 * abandoned cart, browse abandonment, cross-sell, win-back, newsletter),
 * and the contact policy the second run puts in front of them. All of it is
 * created through the management API, as a brand would.
 */
import { PARAMETERS } from './parameters.js';

export type SimChannel = 'email' | 'sms' | 'push';
export type ContentKind = 'welcome' | 'cart' | 'browse' | 'crossSell' | 'winBack' | 'newsletter';

export interface ContentItem {
  name: string;
  /** What the customer model reacts to (the brand does not tell Touchpoint). */
  kind: ContentKind;
  variants: Partial<Record<SimChannel, Record<string, string>>>;
}

const email = (subject: string, body: string) => ({ subject, html: `<p>Hi {{ traits.firstName | default: "there" }},</p><p>${body}</p>` });
const sms = (text: string) => ({ text: `{{ traits.firstName }}: ${text}` });
const push = (title: string, body: string) => ({ title, body });

export const CONTENT: ContentItem[] = [
  { name: 'Welcome', kind: 'welcome', variants: { email: email('Welcome to Stride', 'Your first order ships free.') } },
  {
    name: 'Welcome offer',
    kind: 'welcome',
    variants: {
      email: email('10% off your first order', 'Use WELCOME10.'),
      sms: sms('10% off your first order with WELCOME10'),
      push: push('10% off', 'Your first order: WELCOME10'),
    },
  },
  {
    name: 'Cart reminder',
    kind: 'cart',
    variants: {
      email: email('You left {{ event.properties.name | default: "something" }} in your cart', 'Your cart is waiting.'),
      sms: sms('your cart is waiting'),
      push: push('Still thinking?', '{{ event.properties.name }} is still in your cart'),
    },
  },
  {
    name: 'Cart last call',
    kind: 'cart',
    variants: {
      email: email('Your cart expires soon', 'We kept it for you.'),
      sms: sms('your cart expires tonight'),
      push: push('Last call', 'Your cart expires tonight'),
    },
  },
  {
    name: 'Still looking',
    kind: 'browse',
    variants: {
      email: email('Still looking at {{ event.properties.category }}?', 'Here is what you viewed.'),
      push: push('Still looking?', 'New in {{ event.properties.category }}'),
    },
  },
  {
    name: 'Picked for you',
    kind: 'browse',
    variants: { email: email('Picked for you', 'More like what you viewed.'), push: push('Picked for you', 'More like what you viewed') },
  },
  {
    name: 'You might also like',
    kind: 'crossSell',
    variants: { email: email('Goes well with your order', 'Customers also bought...'), push: push('Goes well with your order', 'Customers also bought...') },
  },
  {
    name: 'We miss you',
    kind: 'winBack',
    variants: {
      email: email('We miss you', 'It has been a while.'),
      sms: sms('we miss you: 20% off with BACK20'),
      push: push('We miss you', '20% off with BACK20'),
    },
  },
  { name: 'Last chance', kind: 'winBack', variants: { email: email('Last chance: 20% off', 'BACK20 ends Sunday.') } },
  { name: 'Newsletter', kind: 'newsletter', variants: { email: email('This week at Stride', 'New arrivals, stories and events.') } },
];

export const SEGMENTS = [
  {
    name: 'lapsed',
    condition: {
      all: [
        { profile: 'orders.count', op: 'gte', value: 1 },
        { event: 'Order Completed', withinDays: PARAMETERS.lapsedAfterDays, atMost: 0 },
      ],
    },
  },
  { name: 'newsletter', condition: { consent: { channel: 'email', purpose: 'marketing', is: 'allowed' } } },
];

type Json = Record<string, unknown>;
const send = (id: string, channel: SimChannel, content: string, next: string | undefined, extra: Json = {}) => ({
  id,
  send: { channel, content, ...extra },
  ...(next && { next }),
});
const wait = (id: string, duration: Json, next: string) => ({ id, wait: duration, next });
const goal = (days: number) => ({ event: 'Order Completed', within: { days } });

export interface JourneySpec {
  name: string;
  /** With `priority` (between journeys, under the policy's arbitration: higher wins). */
  definition: Json;
}

/** The first Thursday 10:00 (local) after the simulation starts is the newsletter's. */
export function journeys(start: number): JourneySpec[] {
  const firstThursday = new Date(start + ((4 - new Date(start).getUTCDay() + 7) % 7) * 86_400_000).toISOString().slice(0, 10);
  return [
    {
      name: 'Abandoned cart',
      definition: {
        priority: 5,
        entry: { event: { name: 'Product Added' } },
        key: 'properties.cart_id',
        reentry: { mode: 'always' },
        goal: goal(3),
        steps: [
          wait('wait-1h', { hours: 1 }, 'bought'),
          // biome-ignore lint/suspicious/noThenProperty: a branch step names its next steps then and else (docs/journeys.md)
          { id: 'bought', branch: { event: 'Order Completed', withinDays: 1 }, then: 'done', else: 'email' },
          send('email', 'email', 'Cart reminder', 'wait-1d', { value: 5 }),
          wait('wait-1d', { days: 1 }, 'push'),
          send('push', 'push', 'Cart reminder', 'wait-2d', { value: 4, fallback: ['sms'] }),
          wait('wait-2d', { days: 1 }, 'last'),
          send('last', 'sms', 'Cart last call', undefined, { value: 3, fallback: ['email'] }),
          { id: 'done', exit: {} },
        ],
      },
    },
    {
      name: 'Win-back',
      definition: {
        priority: 4,
        entry: { segment: { name: 'lapsed' } },
        reentry: { mode: 'after', after: { days: 30 } },
        goal: goal(14),
        steps: [
          { id: 'morning', waitUntil: { localTime: '10:00' }, next: 'miss' },
          send('miss', 'email', 'We miss you', 'wait-3d', { value: 4 }),
          wait('wait-3d', { days: 3 }, 'offer'),
          send('offer', 'sms', 'We miss you', 'wait-7d', { value: 4, fallback: ['push', 'email'] }),
          wait('wait-7d', { days: 7 }, 'last'),
          send('last', 'email', 'Last chance', undefined, { value: 3 }),
        ],
      },
    },
    {
      name: 'Welcome series',
      definition: {
        priority: 3,
        entry: { event: { name: 'Signed Up' } },
        goal: goal(14),
        steps: [
          send('welcome', 'email', 'Welcome', 'wait-2d', { value: 3 }),
          wait('wait-2d', { days: 2 }, 'offer'),
          send('offer', 'email', 'Welcome offer', 'wait-4d', { value: 3 }),
          wait('wait-4d', { days: 4 }, 'nudge'),
          send('nudge', 'sms', 'Welcome offer', undefined, { value: 2, fallback: ['push'] }),
        ],
      },
    },
    {
      name: 'Browse abandonment',
      definition: {
        priority: 2,
        entry: { event: { name: 'Product Viewed' } },
        reentry: { mode: 'always' },
        goal: goal(3),
        steps: [
          { id: 'added', waitFor: { event: 'Product Added', timeout: { hours: 2 } }, next: 'done', onTimeout: 'email' },
          send('email', 'email', 'Still looking', 'wait-1d', { value: 2 }),
          wait('wait-1d', { days: 1 }, 'push'),
          send('push', 'push', 'Picked for you', undefined, { value: 1 }),
          { id: 'done', exit: {} },
        ],
      },
    },
    {
      name: 'Cross-sell',
      definition: {
        priority: 1,
        entry: { event: { name: 'Order Completed' } },
        reentry: { mode: 'always' },
        goal: goal(14),
        steps: [
          wait('wait-2d', { days: 2 }, 'email'),
          send('email', 'email', 'You might also like', 'wait-5d', { value: 2, sendAt: 'best_hour', maxDelayHours: 12 }),
          wait('wait-5d', { days: 5 }, 'push'),
          send('push', 'push', 'You might also like', undefined, { value: 1, sendAt: 'best_hour', maxDelayHours: 12 }),
        ],
      },
    },
    {
      name: 'Newsletter',
      definition: {
        priority: 0,
        entry: { schedule: { segment: 'newsletter', at: `${firstThursday}T09:00:00Z`, repeat: 'weekly', localTime: '10:00' } },
        steps: [send('send', 'email', 'Newsletter', undefined, { value: 1 })],
      },
    },
  ];
}

/** The contact policy of the second run. */
export const POLICY = {
  caps: [
    { channel: 'all', purpose: 'marketing', max: 1, withinHours: 24, belowPriority: 5 },
    { channel: 'all', purpose: 'marketing', max: 2, withinHours: 24 },
    { max: 3, withinHours: 168 },
    // Two of the week's three for the lesser journeys: the third is kept for abandoned carts (priority 5).
    { max: 2, withinHours: 168, belowPriority: 5 },
    { channel: 'sms', max: 1, withinHours: 168 },
  ],
  quietHours: { start: '21:00', end: '08:00' },
  controlGroup: { share: 0.1, salt: 'sim' },
  arbitration: { mode: 'learned', windowMinutes: 60 },
  fatigue: { ignoredInARow: 3, respondWithinHours: 72, suppressForDays: 14, by: 'content' },
};

/** The first run's: nothing beyond consent. */
export const NO_POLICY = { caps: [] };
