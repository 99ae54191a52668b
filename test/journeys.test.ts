/**
 * Journey scenarios, table-driven, with a manual clock: each case sets up
 * content, segments and journeys, then plays steps (identify, track, let
 * time pass) and checks the messages and enrolments that result. Runs on
 * every dialect.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const granted = { email: 'granted', push: 'granted', sms: 'granted' };

const CART = {
  email: { subject: 'You left {{ event.properties.product | default: "something" }} in your cart', html: '<p>Hi {{ profile.traits.firstName }}</p>' },
  push: { title: 'Still thinking?', body: 'Your cart {{ event.properties.cart_id }} is waiting' },
};

const abandonedCart = {
  entry: { event: { name: 'Product Added' } },
  key: 'properties.cart_id',
  reentry: { mode: 'always' },
  goal: { event: 'Order Completed', within: { days: 3 } },
  steps: [
    { id: 'wait-1h', wait: { hours: 1 }, next: 'purchased' },
    { id: 'purchased', branch: { event: 'Order Completed', withinDays: 1 }, then: 'done', else: 'email' },
    { id: 'email', send: { channel: 'email', content: 'Cart' }, next: 'wait-1d' },
    { id: 'wait-1d', wait: { days: 1 }, next: 'push' },
    { id: 'push', send: { channel: 'push', content: 'Cart' } },
    { id: 'done', exit: {} },
  ],
};

type Action =
  | ['identify', string, Record<string, unknown>]
  | ['track', string, string, Record<string, unknown>?]
  | ['advance', number]
  | ['update', string, unknown]
  | ['expect', Expectation];

interface Expectation {
  /** Messages so far, oldest first, as "step:status" (and ":reason" when suppressed). */
  messages?: string[];
  enrolments?: Record<string, number>;
  trait?: { user: string; name: string; value: unknown };
  /** Messages sent per split arm. */
  arms?: Record<string, number>;
  /** The first journey's conversions and their value. */
  conversions?: { converted: number; value: number };
  /** Messages sent per journey version. */
  versions?: Record<string, number>;
}

interface Scenario {
  name: string;
  content?: Record<string, Record<string, unknown>>;
  segments?: { name: string; condition: unknown }[];
  journeys: Record<string, unknown>;
  actions: Action[];
}

const users = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);

const SCENARIOS: Scenario[] = [
  {
    name: 'version change mid-journey: customers in it finish on their version, new ones enter the new one',
    content: { A: { email: { subject: 'A', html: 'a' } }, B: { email: { subject: 'B', html: 'b' } } },
    journeys: {
      Versions: {
        entry: { event: { name: 'Go' } },
        steps: [
          { id: 'w', wait: { hours: 1 }, next: 's' },
          { id: 's', send: { channel: 'email', content: 'A' } },
        ],
      },
    },
    actions: [
      ['identify', 'u1', { email: 'a@example.com', consent: granted }],
      ['identify', 'u2', { email: 'b@example.com', consent: granted }],
      ['track', 'u1', 'Go'],
      [
        'update',
        'Versions',
        {
          entry: { event: { name: 'Go' } },
          steps: [
            { id: 'w', wait: { hours: 2 }, next: 's2' },
            { id: 's2', send: { channel: 'email', content: 'B' } },
          ],
        },
      ],
      ['track', 'u2', 'Go'],
      ['advance', HOUR + 1000],
      ['expect', { messages: ['s:sent'], versions: { 1: 1 } }],
      ['advance', HOUR],
      ['expect', { messages: ['s:sent', 's2:sent'], versions: { 1: 1, 2: 1 }, enrolments: { completed: 2 } }],
    ],
  },
  {
    name: 'random split: arms by weight, the same customer always the same arm, recorded on messages',
    content: { A: { email: { subject: 'A', html: 'a' } }, B: { email: { subject: 'B', html: 'b' } } },
    journeys: {
      Split: {
        entry: { event: { name: 'Go' } },
        reentry: { mode: 'always' },
        steps: [
          {
            id: 'ab',
            split: [
              { arm: 'A', weight: 1, next: 'a' },
              { arm: 'B', weight: 1, next: 'b' },
            ],
          },
          { id: 'a', send: { channel: 'email', content: 'A' } },
          { id: 'b', send: { channel: 'email', content: 'B' } },
        ],
      },
    },
    actions: [
      ...users(40).map((u): Action => ['identify', u, { email: `${u}@example.com`, consent: granted }]),
      ...users(40).map((u): Action => ['track', u, 'Go']),
      ['expect', { arms: { A: 'some', B: 'some' } as never }],
    ],
  },
  {
    name: 'lifecycle stage change: the first order enters a post-purchase journey',
    content: { Thanks: { email: { subject: 'Thanks', html: 'x' } } },
    journeys: { 'Post-purchase': { entry: { stage: { to: 'purchase' } }, steps: [{ id: 'thanks', send: { channel: 'email', content: 'Thanks' } }] } },
    actions: [
      ['identify', 'u1', { email: 'a@example.com', consent: granted }],
      ['expect', { messages: [] }],
      ['track', 'u1', 'Order Completed', { revenue: 30 }],
      ['expect', { messages: ['thanks:sent'] }],
    ],
  },
  {
    name: 'scheduled send to a segment at a local hour in each customer\u2019s time zone',
    content: { Sale: { email: { subject: 'Sale', html: 'x' } } },
    segments: [{ name: 'subscribers', condition: { trait: 'email', op: 'exists' } }],
    journeys: {
      Sale: {
        entry: { schedule: { segment: 'subscribers', at: '2026-11-23T13:00:00Z', localTime: '09:00' } },
        steps: [{ id: 'sale', send: { channel: 'email', content: 'Sale' } }],
      },
    },
    actions: [
      ['identify', 'ny', { email: 'ny@example.com', consent: granted, timezone: 'America/New_York' }],
      ['identify', 'utc', { email: 'utc@example.com', consent: granted }],
      ['advance', HOUR + 1000],
      ['expect', { messages: [], enrolments: { active: 2 } }],
      // 09:00 in New York is 14:00 UTC that day; 09:00 UTC is the next morning.
      ['advance', HOUR],
      ['expect', { messages: ['sale:sent'] }],
      ['advance', 19 * HOUR],
      ['expect', { messages: ['sale:sent', 'sale:sent'], enrolments: { completed: 2 } }],
    ],
  },
  {
    name: 'abandoned cart: email after an hour, push a day later, then done',
    content: { Cart: CART },
    journeys: { 'Abandoned cart': abandonedCart },
    actions: [
      ['identify', 'u1', { email: 'ann@example.com', firstName: 'Ann', consent: granted }],
      ['track', 'u1', 'Product Added', { cart_id: 'c1', product: 'Trail shoes' }],
      ['expect', { messages: [], enrolments: { active: 1 } }],
      ['advance', HOUR - 1000],
      ['expect', { messages: [] }],
      ['advance', 2000],
      ['expect', { messages: ['email:sent'] }],
      ['advance', DAY],
      ['expect', { messages: ['email:sent', 'push:sent'], enrolments: { completed: 1 } }],
    ],
  },
  {
    name: 'abandoned cart: a purchase before the hour exits at the goal, nothing is sent',
    content: { Cart: CART },
    journeys: { 'Abandoned cart': abandonedCart },
    actions: [
      ['identify', 'u1', { email: 'ann@example.com', consent: granted }],
      ['track', 'u1', 'Product Added', { cart_id: 'c1' }],
      ['advance', 10 * 60_000],
      ['track', 'u1', 'Order Completed', { cart_id: 'c1', revenue: 80 }],
      ['advance', DAY * 2],
      ['expect', { messages: [], enrolments: { converted: 1 } }],
    ],
  },
  {
    name: 'abandoned cart: a purchase after the email converts, no push',
    content: { Cart: CART },
    journeys: { 'Abandoned cart': abandonedCart },
    actions: [
      ['identify', 'u1', { email: 'ann@example.com', consent: granted }],
      ['track', 'u1', 'Product Added', { cart_id: 'c1' }],
      ['advance', 2 * HOUR],
      ['track', 'u1', 'Order Completed', { cart_id: 'c1', revenue: 80 }],
      ['advance', DAY * 2],
      ['expect', { messages: ['email:converted'], enrolments: { converted: 1 }, conversions: { converted: 1, value: 80 } }],
    ],
  },
  {
    name: 'keyed: two carts are two enrolments, each with its email',
    content: { Cart: CART },
    journeys: { 'Abandoned cart': abandonedCart },
    actions: [
      ['identify', 'u1', { email: 'ann@example.com', consent: granted }],
      ['track', 'u1', 'Product Added', { cart_id: 'c1' }],
      ['track', 'u1', 'Product Added', { cart_id: 'c1' }],
      ['track', 'u1', 'Product Added', { cart_id: 'c2' }],
      ['expect', { enrolments: { active: 2 } }],
      ['advance', 2 * HOUR],
      ['expect', { messages: ['email:sent', 'email:sent'] }],
    ],
  },
  {
    name: 'consent: without it the message is suppressed with its reason, and the journey goes on',
    content: { Cart: CART },
    journeys: { 'Abandoned cart': abandonedCart },
    actions: [
      ['identify', 'u1', { email: 'ann@example.com' }],
      ['track', 'u1', 'Product Added', { cart_id: 'c1' }],
      ['advance', 2 * HOUR],
      ['expect', { messages: ['email:suppressed:no_consent'] }],
      ['identify', 'u1', { consent: { push: 'granted' } }],
      ['advance', DAY],
      ['expect', { messages: ['email:suppressed:no_consent', 'push:sent'] }],
    ],
  },
  {
    name: 'welcome series: email at once, a second one two days later unless they bought',
    content: {
      Welcome: { email: { subject: 'Welcome {{ traits.firstName }}', html: '<p>Hello</p>' } },
      'Welcome 2': { email: { subject: 'Ideas', html: 'x' } },
    },
    journeys: {
      Welcome: {
        entry: { event: { name: 'Signed Up' } },
        steps: [
          { id: 'hello', send: { channel: 'email', content: 'Welcome' }, next: 'wait' },
          { id: 'wait', wait: { days: 2 }, next: 'bought' },
          { id: 'bought', branch: { profile: 'orders.count', op: 'gt', value: 0 }, else: 'ideas' },
          { id: 'ideas', send: { channel: 'email', content: 'Welcome 2' } },
        ],
      },
    },
    actions: [
      ['identify', 'u1', { email: 'a@example.com', firstName: 'Ann', consent: granted }],
      ['identify', 'u2', { email: 'b@example.com', consent: granted }],
      ['track', 'u1', 'Signed Up'],
      ['track', 'u2', 'Signed Up'],
      ['expect', { messages: ['hello:sent', 'hello:sent'] }],
      ['track', 'u2', 'Order Completed', { revenue: 20 }],
      ['advance', 2 * DAY + 1000],
      ['expect', { messages: ['hello:sent', 'hello:sent', 'ideas:sent'], enrolments: { completed: 2 } }],
    ],
  },
  {
    name: 'win-back on entering lapsed, with a trait set by the journey',
    content: { 'We miss you': { email: { subject: 'We miss you', html: 'x' } } },
    segments: [{ name: 'lapsed', condition: { trait: 'status', op: 'eq', value: 'lapsed' } }],
    journeys: {
      'Win-back': {
        entry: { segment: { name: 'lapsed' } },
        steps: [
          { id: 'mail', send: { channel: 'email', content: 'We miss you' }, next: 'mark' },
          { id: 'mark', setTrait: { name: 'winback_sent', value: true } },
        ],
      },
    },
    actions: [
      ['identify', 'u1', { email: 'a@example.com', consent: granted, status: 'active' }],
      ['expect', { messages: [] }],
      ['identify', 'u1', { status: 'lapsed' }],
      ['expect', { messages: ['mail:sent'], enrolments: { completed: 1 }, trait: { user: 'u1', name: 'winback_sent', value: true } }],
    ],
  },
  {
    name: 're-entry once: the second trigger enters no one',
    content: { Hi: { email: { subject: 'Hi', html: 'x' } } },
    journeys: { Once: { entry: { event: { name: 'Visit' } }, steps: [{ id: 'hi', send: { channel: 'email', content: 'Hi' } }] } },
    actions: [
      ['identify', 'u1', { email: 'a@example.com', consent: granted }],
      ['track', 'u1', 'Visit'],
      ['advance', 1000],
      ['track', 'u1', 'Visit'],
      ['advance', 1000],
      ['expect', { messages: ['hi:sent'], enrolments: { completed: 1 } }],
    ],
  },
  {
    name: 're-entry after a period: again only once it has passed',
    content: { Hi: { email: { subject: 'Hi', html: 'x' } } },
    journeys: {
      Again: {
        entry: { event: { name: 'Visit' } },
        reentry: { mode: 'after', after: { days: 1 } },
        steps: [{ id: 'hi', send: { channel: 'email', content: 'Hi' } }],
      },
    },
    actions: [
      ['identify', 'u1', { email: 'a@example.com', consent: granted }],
      ['track', 'u1', 'Visit'],
      ['advance', HOUR],
      ['track', 'u1', 'Visit'],
      ['advance', DAY],
      ['track', 'u1', 'Visit'],
      ['advance', 1000],
      ['expect', { messages: ['hi:sent', 'hi:sent'], enrolments: { completed: 2 } }],
    ],
  },
  {
    name: 'wait for an event, or time out',
    content: { Nudge: { email: { subject: 'Nudge', html: 'x' } }, Thanks: { email: { subject: 'Thanks', html: 'x' } } },
    journeys: {
      Browse: {
        entry: { event: { name: 'Viewed' } },
        reentry: { mode: 'always' },
        steps: [
          { id: 'w', waitFor: { event: 'Product Added', timeout: { hours: 2 } }, next: 'thanks', onTimeout: 'nudge' },
          { id: 'thanks', send: { channel: 'email', content: 'Thanks' } },
          { id: 'nudge', send: { channel: 'email', content: 'Nudge' } },
        ],
      },
    },
    actions: [
      ['identify', 'u1', { email: 'a@example.com', consent: granted }],
      ['identify', 'u2', { email: 'b@example.com', consent: granted }],
      ['track', 'u1', 'Viewed'],
      ['track', 'u2', 'Viewed'],
      ['advance', HOUR],
      ['track', 'u1', 'Product Added'],
      ['advance', 1000],
      ['expect', { messages: ['thanks:sent'] }],
      ['advance', 2 * HOUR],
      ['expect', { messages: ['thanks:sent', 'nudge:sent'], enrolments: { completed: 2 } }],
    ],
  },
];

async function play(h: Harness, scenario: Scenario): Promise<void> {
  for (const [name, variants] of Object.entries(scenario.content ?? {})) await h.content(name, variants);
  for (const s of scenario.segments ?? []) assert.equal((await h.api('POST', '/api/segments', s)).status, 201);
  const ids: string[] = [];
  for (const [name, definition] of Object.entries(scenario.journeys)) ids.push(await h.journey(name, definition));
  await h.settle();
  for (const [i, action] of scenario.actions.entries()) {
    if (action[0] === 'identify') await h.identify(action[1], action[2]);
    else if (action[0] === 'track') await h.track(action[1], action[2], action[3]);
    else if (action[0] === 'update')
      assert.equal((await h.api('PUT', `/api/journeys/${encodeURIComponent(action[1])}`, { definition: action[2] })).status, 200);
    else if (action[0] === 'advance') {
      await h.advance(action[1]);
      continue;
    } else {
      await h.settle();
      await check(h, ids, action[1], `${scenario.name}, action ${i}`);
      continue;
    }
    await h.settle();
  }
}

async function check(h: Harness, journeyIds: string[], expected: Expectation, where: string): Promise<void> {
  if (expected.messages) {
    const messages = (await h.messages()).reverse();
    assert.deepEqual(
      messages.map((m) => [m.stepId, m.status, ...(m.status === 'suppressed' ? [m.reason] : [])].join(':')),
      expected.messages.map((m) => m.replace(/^(email|push|sms)(?=:)/, (c) => stepOfChannel(messages, c))),
      where,
    );
  }
  if (expected.enrolments) {
    const counts: Record<string, number> = {};
    for (const id of journeyIds) {
      const r = await h.api('GET', `/api/journeys/${id}/enrolments?limit=500`);
      for (const e of r.body.enrolments) counts[e.status] = (counts[e.status] ?? 0) + 1;
    }
    assert.deepEqual(counts, expected.enrolments, where);
  }
  if (expected.arms) {
    const sent = (await h.messages()).filter((m) => m.status === 'sent');
    const arms: Record<string, number> = {};
    for (const m of sent) arms[m.arm] = (arms[m.arm] ?? 0) + 1;
    assert.deepEqual(Object.keys(arms).sort(), Object.keys(expected.arms).sort(), where);
    for (const m of sent) assert.equal(m.stepId, m.arm === 'A' ? 'a' : 'b', `${where}: the arm recorded is the arm taken`);
    for (const [arm, n] of Object.entries(arms)) assert.ok(n >= 8, `${where}: arm ${arm} drew ${n} of ${sent.length}`);
  }
  if (expected.conversions) {
    const stats = (await h.api('GET', `/api/journeys/${journeyIds[0]}/stats`)).body.stats;
    assert.deepEqual({ converted: stats.converted, value: stats.value }, expected.conversions, where);
  }
  if (expected.versions) {
    const versions: Record<string, number> = {};
    for (const m of await h.messages()) versions[m.journeyVersion] = (versions[m.journeyVersion] ?? 0) + 1;
    assert.deepEqual(versions, expected.versions, where);
    const stats = (await h.api('GET', `/api/journeys/${journeyIds[0]}/stats`)).body.stats;
    assert.deepEqual(
      stats.versions.map((v: { version: number; entered: number }) => [v.version, v.entered]),
      [
        [1, 1],
        [2, 1],
      ],
      where,
    );
  }
  if (expected.trait) {
    const id = await h.profileOf(expected.trait.user);
    const profile = await h.api('GET', `/api/profiles/${id}`);
    assert.deepEqual(profile.body.traits[expected.trait.name], expected.trait.value, where);
  }
}

/** Expectations may name a channel where the step id is that channel's send step: "email:sent". */
function stepOfChannel(messages: { stepId: string; channel: string }[], channel: string): string {
  return messages.find((m) => m.channel === channel)?.stepId ?? channel;
}

for (const dialect of DIALECTS) {
  describe(`journey scenarios (${dialect.name})`, () => {
    for (const scenario of SCENARIOS) {
      it(scenario.name, async () => {
        const h = await startHarness(dialect);
        try {
          await play(h, scenario);
        } finally {
          await h.dispose();
        }
      });
    }
  });
}
