import assert from 'node:assert/strict';
import { it } from 'node:test';
import { applyEvent, emptyState, mergeStates, touchOf, type StateEvent } from './state.js';

const fold = (list: StateEvent[]) => list.reduce((state, e) => applyEvent(state, e), emptyState());

const event = (seq: number, timestamp: number, channel: string, message: Record<string, unknown>): StateEvent => ({
  seq,
  timestamp,
  channel,
  sourceId: `src_${channel}`,
  message,
});

const events = [
  event(1, 1000, 'web', { type: 'page', context: { page: { url: 'https://shop.example/?utm_source=news&utm_medium=email&utm_campaign=spring' } } }),
  event(2, 3000, 'app', { type: 'identify', traits: { name: 'Ann', tier: 'gold' } }),
  event(3, 2000, 'store', { type: 'track', event: 'Order Completed', context: { traits: { tier: 'silver' } } }),
];

it('keeps the latest trait by event time, with its source, whatever the order', () => {
  const forward = fold(events);
  const backward = fold([...events].reverse());
  assert.deepEqual(forward, backward);
  assert.equal(forward.traits.tier!.value, 'gold');
  assert.equal(forward.traits.tier!.sourceId, 'src_app');
  assert.deepEqual(Object.keys(forward.channels).sort(), ['app', 'store', 'web']);
  assert.deepEqual(forward.channels.web, { first: 1000, last: 1000, events: 1 });
  assert.equal(forward.firstSeen, 1000);
  assert.equal(forward.lastSeen, 3000);
});

it('merging two states equals applying all their events to one', () => {
  const a = fold([events[0]!, events[2]!]);
  const b = fold([events[1]!]);
  assert.deepEqual(mergeStates(a, b), fold(events));
  assert.deepEqual(mergeStates(b, a), fold(events));
});

it('takes first touch from campaign, UTM parameters or the referrer', () => {
  const state = fold(events);
  assert.deepEqual(
    { ...state.firstTouch, at: undefined, seq: undefined },
    {
      at: undefined,
      seq: undefined,
      channel: 'web',
      sourceId: 'src_web',
      source: 'news',
      medium: 'email',
      campaign: 'spring',
    },
  );
  const referred = touchOf(event(9, 1, 'web', { context: { page: { referrer: 'https://www.google.com/search?q=x' } } }));
  assert.deepEqual([referred.source, referred.medium, referred.campaign], ['www.google.com', 'referral', null]);
  const direct = touchOf(event(9, 1, 'store', {}));
  assert.deepEqual([direct.source, direct.medium], ['(direct)', '(none)']);
  const named = touchOf(event(9, 1, 'ads', { context: { campaign: { name: 'black-friday', source: 'meta', medium: 'paid_social' } } }));
  assert.deepEqual([named.source, named.medium, named.campaign], ['meta', 'paid_social', 'black-friday']);
});

it('reads consent from "Consent Updated" events and identify traits, latest by time', () => {
  const state = fold([
    event(1, 1000, 'web', { type: 'identify', traits: { consent: { email: 'granted', sms: { marketing: false, service: true } } } }),
    event(2, 3000, 'email', { type: 'track', event: 'Consent Updated', properties: { channel: 'email', status: 'denied' } }),
    event(3, 2000, 'store', {
      type: 'track',
      event: 'Consent Updated',
      properties: {
        consents: [
          { channel: 'email', status: 'granted' },
          { channel: 'fax', status: 'granted' },
        ],
      },
    }),
  ]);
  assert.equal(state.consent.email!.marketing!.value, 'denied', 'the later event wins, not the later arrival');
  assert.equal(state.consent.sms!.marketing!.value, 'denied');
  assert.equal(state.consent.sms!.service!.value, 'granted');
  assert.equal(state.consent.fax, undefined, 'unknown channels are ignored');
  assert.equal(state.traits.consent, undefined);
});

it('puts a profile in a household by group call or by address, and counts orders', () => {
  const byGroup = fold([event(1, 1000, 'web', { type: 'group', groupId: 'h-7', traits: { type: 'Household' } })]);
  assert.equal(byGroup.household!.value, 'hh_h-7');
  const address = (street: string) => ({ type: 'identify', traits: { address: { street, postalCode: '10115', city: 'Berlin' } } });
  const a = applyEvent(emptyState(), event(1, 1, 'web', address('Rosenstraße 12')), { householdByAddress: true });
  const b = applyEvent(emptyState(), event(2, 1, 'web', address('  rosenstrasse 12 ')), { householdByAddress: true });
  assert.ok(a.household);
  assert.equal(applyEvent(emptyState(), event(1, 1, 'web', address('Rosenstraße 12'))).household, null, 'address matching is off by default');
  assert.notEqual(a.household!.value, undefined);
  assert.equal(applyEvent(emptyState(), event(3, 1, 'web', address('Rosenstraße 12')), { householdByAddress: true }).household!.value, a.household!.value);
  assert.ok(b.household);
  const orders = fold([
    event(1, 1, 'store', { type: 'track', event: 'Order Completed', properties: { revenue: 10, total: 12 } }),
    event(2, 2, 'web', { type: 'track', event: 'Order Completed', properties: { total: 5.5 } }),
  ]);
  assert.deepEqual(orders.orders, { count: 2, revenue: 15.5 });
});

it('counts the customer\u2019s events by UTC hour, and a merge adds the counts up', () => {
  const at = (iso: string) => Date.parse(iso);
  const a = fold([event(1, at('2026-05-01T19:10:00Z'), 'web', { type: 'page' }), event(2, at('2026-05-02T19:50:00Z'), 'web', { type: 'page' })]);
  const b = fold([event(3, at('2026-05-03T07:00:00Z'), 'app', { type: 'screen' })]);
  assert.equal(a.hours![19], 2);
  assert.equal(
    a.hours!.reduce((x, y) => x + y),
    2,
  );
  const merged = mergeStates(a, b);
  assert.equal(merged.hours![19], 2);
  assert.equal(merged.hours![7], 1);
  // A state kept before hours were counted merges as zeros.
  const { hours: _, ...old } = b;
  assert.equal(mergeStates(a, old).hours![19], 2);
});
