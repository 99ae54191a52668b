/**
 * What the demo brand sets up through the management API, as data: the
 * lifecycle model, segments, content with email and SMS variants, the
 * contact policy (caps, quiet hours, the global control group) and four
 * journeys (welcome with a random split, abandoned cart, post-purchase
 * cross-sell, win-back with a random split).
 */
type Json = Record<string, unknown>;

const ORDER = 'Order Completed';

export const LIFECYCLE: Json = {
  stages: [
    {
      name: 'lapsed',
      description: 'Bought before, but not in the last 45 days.',
      condition: {
        all: [
          { profile: 'orders.count', op: 'gte', value: 1 },
          { event: ORDER, withinDays: 45, atMost: 0 },
        ],
      },
    },
    {
      name: 'advocacy',
      description: 'A repeat buyer who reviews or refers a friend.',
      condition: { all: [{ profile: 'orders.count', op: 'gte', value: 2 }, { event: ['Product Reviewed', 'Referral Sent'] }] },
    },
    { name: 'loyalty', description: 'Three orders or more.', condition: { profile: 'orders.count', op: 'gte', value: 3 } },
    { name: 'purchase', description: 'At least one order.', condition: { profile: 'orders.count', op: 'gte', value: 1 } },
    {
      name: 'consideration',
      description: 'Looked at products in the last 30 days, or signed up.',
      condition: {
        any: [
          { event: ['Product Viewed', 'Product Added', 'Checkout Started'], withinDays: 30 },
          { trait: 'email', op: 'exists' },
        ],
      },
    },
    { name: 'awareness', description: 'Any contact at all.', condition: { profile: 'eventCount', op: 'gte', value: 1 } },
  ],
};

export const SEGMENTS: Json[] = [
  {
    name: 'Marathon runners',
    condition: { any: [{ trait: 'marathoner', op: 'eq', value: true }, { event: 'Race Registered' }] },
  },
  {
    name: 'Lapsed',
    condition: {
      all: [
        { profile: 'orders.count', op: 'gte', value: 1 },
        { event: ORDER, withinDays: 45, atMost: 0 },
      ],
    },
  },
  { name: 'High value', condition: { profile: 'orders.revenue', op: 'gte', value: 400 } },
  { name: 'Newsletter opt-in', condition: { consent: { channel: 'email', purpose: 'marketing', is: 'allowed' } } },
  { name: 'Store only', condition: { channel: 'store', op: 'only' } },
  { name: 'App users', condition: { channel: 'app', op: 'used' } },
];

const email = (subject: string, body: string) => ({
  subject,
  html: `<p>Hi {{ traits.firstName | default: "runner" }},</p><p>${body}</p><p>Stride Athletics</p>`,
});
const sms = (text: string) => ({ text: `Stride: ${text}` });

export interface DemoContent {
  name: string;
  variants: Json;
}

export const CONTENT: DemoContent[] = [
  { name: 'Welcome', variants: { email: email('Welcome to Stride', 'Your first order ships free.'), sms: sms('welcome! Your first order ships free.') } },
  {
    name: 'Welcome offer',
    variants: { email: email('10% off your first order', 'Use WELCOME10 online or in store.'), sms: sms('10% off your first order with WELCOME10') },
  },
  {
    name: 'First run tips',
    variants: { email: email('Five tips for your first 10k', 'Pace, shoes, fuel, rest and fun.'), sms: sms('our 10k tips are in the app') },
  },
  {
    name: 'Cart reminder',
    variants: {
      email: email('You left {{ event.properties.name | default: "something" }} in your cart', 'Your cart is waiting.'),
      sms: sms('your cart is waiting for you'),
    },
  },
  { name: 'Cart last call', variants: { email: email('Your cart expires soon', 'We kept it for you.'), sms: sms('your cart expires tonight') } },
  {
    name: 'Goes well with your gear',
    variants: { email: email('Goes well with your new gear', 'Runners who bought this also took...'), sms: sms('gels, socks and more for your next run') },
  },
  { name: 'We miss you', variants: { email: email('We miss you', 'It has been a while.'), sms: sms('we miss you') } },
  {
    name: 'We miss you offer',
    variants: { email: email('20% off your next run', 'Use BACK20 this week.'), sms: sms('20% off with BACK20 this week') },
  },
];

export const POLICY: Json = {
  caps: [
    { channel: 'all', purpose: 'marketing', max: 2, withinHours: 24 },
    { channel: 'all', purpose: 'marketing', max: 4, withinHours: 168 },
    { channel: 'sms', max: 1, withinHours: 168 },
  ],
  quietHours: { start: '21:00', end: '08:00' },
  controlGroup: { share: 0.1, salt: 'demo' },
};

const send = (id: string, channel: 'email' | 'sms', content: string, next?: string, extra: Json = {}) => ({
  id,
  send: { channel, content, ...extra },
  ...(next && { next }),
});
const wait = (id: string, duration: Json, next?: string) => ({ id, wait: duration, next });
const goal = (days: number) => ({ event: ORDER, within: { days } });
const split = (id: string, arms: [string, string][]) => ({ id, split: arms.map(([arm, next]) => ({ arm, weight: 50, next })) });

export interface DemoJourney {
  name: string;
  definition: Json;
}

export const JOURNEYS: DemoJourney[] = [
  {
    name: 'Welcome',
    definition: {
      priority: 3,
      entry: { event: { name: 'Signed Up' } },
      goal: goal(14),
      steps: [
        send('welcome', 'email', 'Welcome', 'wait-2d', { value: 3 }),
        wait('wait-2d', { days: 2 }, 'ab'),
        split('ab', [
          ['offer', 'offer'],
          ['tips', 'tips'],
        ]),
        send('offer', 'email', 'Welcome offer', 'measure', { value: 3 }),
        send('tips', 'email', 'First run tips', 'measure', { value: 2 }),
        // The goal counts while a customer is in the journey: the arms stay for the rest of its 14 days, so the split is measured.
        wait('measure', { days: 12 }),
      ],
    },
  },
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
        { id: 'bought', branch: { event: ORDER, withinDays: 1 }, then: 'done', else: 'email' },
        send('email', 'email', 'Cart reminder', 'wait-1d', { value: 5 }),
        wait('wait-1d', { days: 1 }, 'last'),
        send('last', 'sms', 'Cart last call', undefined, { value: 4, fallback: ['email'] }),
        { id: 'done', exit: {} },
      ],
    },
  },
  {
    name: 'Post-purchase cross-sell',
    definition: {
      priority: 2,
      entry: { event: { name: ORDER } },
      reentry: { mode: 'after', after: { days: 14 } },
      goal: goal(14),
      steps: [wait('wait-3d', { days: 3 }, 'email'), send('email', 'email', 'Goes well with your gear', undefined, { value: 2 })],
    },
  },
  {
    name: 'Win-back',
    definition: {
      priority: 4,
      entry: { segment: { name: 'Lapsed' } },
      reentry: { mode: 'after', after: { days: 30 } },
      goal: goal(14),
      steps: [
        { id: 'morning', waitUntil: { localTime: '10:00' }, next: 'ab' },
        split('ab', [
          ['offer', 'offer'],
          ['plain', 'plain'],
        ]),
        send('offer', 'email', 'We miss you offer', 'wait-5d', { value: 4 }),
        send('plain', 'email', 'We miss you', 'wait-5d', { value: 4 }),
        wait('wait-5d', { days: 5 }, 'sms'),
        send('sms', 'sms', 'We miss you offer', undefined, { value: 3, fallback: ['email'] }),
      ],
    },
  },
];
