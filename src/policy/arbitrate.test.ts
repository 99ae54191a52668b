import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arbitrate } from './arbitrate.js';
import { armKey, propensityModel, seededRandom } from './bandit.js';
import { decideContact } from './decide.js';
import type { ContactRequest, Customer, Decision } from './decision.js';
import { withDefaults, type PolicyDocument } from './document.js';
import type { PastMessage, PolicyContext } from './rules.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-06-10T12:00:00Z');
const reachable = (channels: string[], consent: 'granted' | 'denied' | 'unknown' = 'granted'): Customer => ({
  gone: false,
  consent: () => ({ status: consent, allowed: consent === 'granted' }),
  address: (channel) => (channels.includes(channel) ? `${channel}-address` : undefined),
  stage: 'active',
});
const everywhere = reachable(['email', 'sms']);
const ask = (journeyId: string, over: Partial<ContactRequest> = {}): ContactRequest => ({
  profileId: 'p1',
  channel: 'email',
  purpose: 'marketing',
  consentChannel: 'email',
  journeyId,
  contentId: `content-${journeyId}`,
  requestedAt: NOW,
  ...over,
});
const policy = (doc: object = {}): PolicyDocument => withDefaults(doc);
const ctx = (doc: object, history: PastMessage[] = [], over: Partial<PolicyContext> = {}): PolicyContext => ({
  policy: policy(doc),
  history,
  now: NOW,
  zone: 'UTC',
  ...over,
});
const sentAgo = (hours: number, channel = 'email'): PastMessage => ({
  channel,
  purpose: 'marketing',
  contentId: 'x',
  journeyId: 'x',
  status: 'sent',
  at: NOW - hours * HOUR,
  sentAt: NOW - hours * HOUR,
});
const show = (d: Decision) => {
  if (d.kind === 'defer') return `defer:${d.reason}:+${(d.until - NOW) / HOUR}h`;
  if (d.kind === 'reroute') return `reroute:${d.from}>${d.channel}:${d.reason}`;
  return d.kind === 'allow' ? `allow:${d.channel}` : `suppress:${d.reason}`;
};
const decided = (requests: ContactRequest[], c: PolicyContext, customer = everywhere) => arbitrate(requests, customer, c).map((d) => show(d.decision));

describe('arbitration', () => {
  const cases: { name: string; requests: ContactRequest[]; context: PolicyContext; customer?: Customer; expected: string[] }[] = [
    {
      name: 'without arbitration every request goes, caps counting the ones before it',
      requests: [ask('a'), ask('b'), ask('c')],
      context: ctx({ caps: [{ max: 2, withinHours: 24 }] }),
      expected: ['allow:email', 'allow:email', 'suppress:frequency_cap'],
    },
    {
      name: 'fixed priorities: the higher priority is decided first and takes the last place under the cap',
      requests: [ask('low', { priority: 1 }), ask('high', { priority: 5 })],
      context: ctx({ caps: [{ max: 1, withinHours: 24 }] }),
      expected: ['suppress:frequency_cap', 'allow:email'],
    },
    {
      name: 'two journeys compete: the winner is sent, the loser waits for the cap to have room',
      requests: [ask('low', { priority: 1 }), ask('high', { priority: 5 })],
      context: ctx({ caps: [{ max: 1, withinHours: 24 }], arbitration: { mode: 'priority' } }),
      expected: ['defer:arbitration_lost:+24h', 'allow:email'],
    },
    {
      name: 'with no cap, the loser waits an hour',
      requests: [ask('low', { priority: 1 }), ask('high', { priority: 5 })],
      context: ctx({ arbitration: { mode: 'priority' } }),
      expected: ['defer:arbitration_lost:+1h', 'allow:email'],
    },
    {
      name: 'three journeys: one winner, the others wait or drop as their journey says',
      requests: [ask('a', { priority: 3, onConflict: 'drop' }), ask('b', { priority: 9 }), ask('c', { priority: 1 })],
      context: ctx({ arbitration: { mode: 'priority' } }),
      expected: ['suppress:arbitration_lost', 'allow:email', 'defer:arbitration_lost:+1h'],
    },
    {
      name: 'equal priorities: the larger value x weight wins, then the first asked',
      requests: [ask('a'), ask('b', { value: 3 }), ask('c', { value: 3 })],
      context: ctx({ arbitration: { mode: 'priority' } }),
      expected: ['defer:arbitration_lost:+1h', 'allow:email', 'defer:arbitration_lost:+1h'],
    },
    {
      name: 'a winner that the policy stops does not win: the next one goes',
      requests: [ask('tired', { priority: 9, channel: 'sms', consentChannel: 'sms' }), ask('ok', { priority: 1 })],
      context: ctx({ arbitration: { mode: 'priority' }, caps: [{ channel: 'sms', max: 0, withinHours: 24 }] }),
      expected: ['suppress:frequency_cap', 'allow:email'],
    },
    {
      name: 'transactional messages do not compete',
      requests: [ask('receipt', { purpose: 'transactional' }), ask('promo', { priority: 2 }), ask('other', { priority: 1 })],
      context: ctx({ arbitration: { mode: 'priority' }, caps: [{ max: 1, withinHours: 24 }] }),
      expected: ['allow:email', 'allow:email', 'defer:arbitration_lost:+24h'],
    },
    {
      name: 'an arbitration window: new requests wait for it to close, together',
      requests: [ask('a'), ask('b')],
      context: ctx({ arbitration: { mode: 'priority', windowMinutes: 30 } }),
      expected: ['defer:arbitration:+0.5h', 'defer:arbitration:+0.5h'],
    },
    {
      name: 'a request joins the window already open for the customer',
      requests: [ask('b')],
      context: ctx({ arbitration: { mode: 'priority', windowMinutes: 30 } }, [
        { ...sentAgo(0), status: 'deferred', sentAt: null, reason: 'arbitration', deferredUntil: NOW + 0.25 * HOUR },
      ]),
      expected: ['defer:arbitration:+0.25h'],
    },
    {
      name: 'released when the window closes, they compete',
      requests: [ask('a', { waited: ['arbitration'], priority: 1 }), ask('b', { waited: ['arbitration'], priority: 2 })],
      context: ctx({ arbitration: { mode: 'priority', windowMinutes: 30 } }),
      expected: ['defer:arbitration_lost:+1h', 'allow:email'],
    },
    {
      name: 'a loser that would wait past the defer limit is dropped as expired',
      requests: [ask('a', { priority: 1, requestedAt: NOW - 71.5 * HOUR }), ask('b', { priority: 2 })],
      context: ctx({ arbitration: { mode: 'priority' } }),
      expected: ['suppress:expired', 'allow:email'],
    },
    {
      name: 'a request stopped by consent does not wait for the window',
      requests: [ask('a', { channel: 'sms', consentChannel: 'sms' })],
      context: ctx({ arbitration: { mode: 'priority', windowMinutes: 30 } }),
      customer: reachable(['email']),
      expected: ['suppress:no_address'],
    },
    {
      name: 'a cap below a priority keeps its room for higher priorities (every send counts)',
      requests: [ask('low', { priority: 1 }), ask('high', { priority: 5 })],
      context: ctx({ caps: [{ max: 1, withinHours: 24, belowPriority: 5 }] }, [sentAgo(2)]),
      expected: ['suppress:frequency_cap', 'allow:email'],
    },
    {
      name: 'caps count what was sent before, across channels',
      requests: [ask('a')],
      context: ctx({ caps: [{ max: 1, withinHours: 24 }] }, [sentAgo(2, 'sms')]),
      expected: ['suppress:frequency_cap'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(decided(c.requests, c.context, c.customer), c.expected));
});

describe('channel fallback and preference', () => {
  const cases: { name: string; request: Partial<ContactRequest>; customer: Customer; doc?: object; history?: PastMessage[]; expected: string }[] = [
    { name: 'the channel asked for', request: { fallback: ['push', 'sms'] }, customer: everywhere, expected: 'allow:email' },
    {
      name: 'email not allowed: push',
      request: { fallback: ['push', 'sms'] },
      customer: { ...everywhere, consent: (channel) => (channel === 'email' ? { status: 'denied', allowed: false } : { status: 'granted', allowed: true }) },
      expected: 'reroute:email>push:consent_denied',
    },
    {
      name: 'no email address and push not allowed: sms',
      request: { fallback: ['push', 'sms'] },
      customer: {
        ...reachable(['sms']),
        consent: (channel) => (channel === 'push' ? { status: 'unknown', allowed: false } : { status: 'granted', allowed: true }),
      },
      expected: 'reroute:email>sms:no_address',
    },
    {
      name: 'reachable nowhere: the first reason',
      request: { fallback: ['sms'] },
      customer: reachable([]),
      expected: 'suppress:no_address',
    },
    {
      name: 'email capped: the fallback channel under its own cap',
      request: { fallback: ['sms'] },
      customer: everywhere,
      doc: { caps: [{ channel: 'email', max: 1, withinHours: 24 }] },
      history: [sentAgo(1)],
      expected: 'reroute:email>sms:frequency_cap',
    },
    {
      name: 'the customer prefers sms',
      request: { fallback: ['sms'] },
      customer: { ...everywhere, preferredChannel: 'sms' },
      expected: 'reroute:email>sms:preferred_channel',
    },
    {
      name: 'a preference for a channel not asked for changes nothing',
      request: { fallback: ['push'] },
      customer: { ...everywhere, preferredChannel: 'sms' },
      expected: 'allow:email',
    },
    {
      name: 'transactional: a denial is never overridden, the next channel is used',
      request: { purpose: 'transactional', fallback: ['sms'] },
      customer: { ...everywhere, consent: (channel) => (channel === 'email' ? { status: 'denied', allowed: false } : { status: 'unknown', allowed: false }) },
      expected: 'reroute:email>sms:consent_denied',
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const context = ctx(c.doc ?? {}, c.history ?? []);
      assert.equal(show(decideContact(ask('j', c.request), c.customer, context)), c.expected);
    });
});

describe('learned arbitration', () => {
  it('ranks by propensity x value x weight, and picks the channel with the best draw', () => {
    // Content "good" answered 40% of the time on email, "poor" 2%; sms answers "good" 5%.
    const counts = new Map([
      [armKey({ contentId: 'content-good', channel: 'email', stage: 'active' }), { sent: 1000, responded: 400 }],
      [armKey({ contentId: 'content-good', channel: 'sms', stage: 'active' }), { sent: 1000, responded: 50 }],
      [armKey({ contentId: 'content-poor', channel: 'email', stage: 'active' }), { sent: 1000, responded: 20 }],
    ]);
    const context = ctx({ arbitration: { mode: 'learned' } }, [], { model: propensityModel(counts), random: seededRandom(7) });
    const first = decided([ask('poor'), ask('good', { channel: 'sms', consentChannel: 'sms', fallback: ['email'] })], context);
    assert.deepEqual(first, ['defer:arbitration_lost:+1h', 'reroute:sms>email:learned_channel']);
    // A large enough business value turns it round.
    const valued = decided([ask('poor', { value: 100 }), ask('good')], { ...context, random: seededRandom(7) });
    assert.deepEqual(valued, ['allow:email', 'defer:arbitration_lost:+1h']);
  });

  it('learns online: a bandit over two contents ends up sending the better one', () => {
    const random = seededRandom(42);
    const truth: Record<string, number> = { 'content-a': 0.04, 'content-b': 0.12 };
    const counts = new Map<string, { sent: number; responded: number }>();
    const wins: string[] = [];
    for (let round = 0; round < 2000; round++) {
      const context = ctx({ arbitration: { mode: 'learned' } }, [], { model: propensityModel(counts), random });
      const out = arbitrate([ask('a'), ask('b')], everywhere, context);
      const winner = out.findIndex((d) => d.decision.kind === 'allow');
      const contentId = winner === 0 ? 'content-a' : 'content-b';
      const key = armKey({ contentId, channel: 'email', stage: 'active' });
      const arm = counts.get(key) ?? { sent: 0, responded: 0 };
      counts.set(key, { sent: arm.sent + 1, responded: arm.responded + (random() < truth[contentId]! ? 1 : 0) });
      wins.push(contentId);
    }
    const late = wins.slice(-500).filter((c) => c === 'content-b').length / 500;
    assert.ok(late > 0.8, `the better content won ${late * 100}% of the last 500 rounds`);
  });
});
