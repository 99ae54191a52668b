import assert from 'node:assert/strict';
import { it } from 'node:test';
import { applyEvent, emptyState, mergeStates, touchOf, type StateEvent } from './state.js';

const event = (seq: number, timestamp: number, channel: string, message: Record<string, unknown>): StateEvent =>
  ({ seq, timestamp, channel, sourceId: `src_${channel}`, message });

const events = [
  event(1, 1000, 'web', { type: 'page', context: { page: { url: 'https://shop.example/?utm_source=news&utm_medium=email&utm_campaign=spring' } } }),
  event(2, 3000, 'app', { type: 'identify', traits: { name: 'Ann', tier: 'gold' } }),
  event(3, 2000, 'store', { type: 'track', event: 'Order Completed', context: { traits: { tier: 'silver' } } }),
];

it('keeps the latest trait by event time, with its source, whatever the order', () => {
  const forward = events.reduce(applyEvent, emptyState());
  const backward = [...events].reverse().reduce(applyEvent, emptyState());
  assert.deepEqual(forward, backward);
  assert.equal(forward.traits.tier!.value, 'gold');
  assert.equal(forward.traits.tier!.sourceId, 'src_app');
  assert.deepEqual(Object.keys(forward.channels).sort(), ['app', 'store', 'web']);
  assert.deepEqual(forward.channels.web, { first: 1000, last: 1000, events: 1 });
  assert.equal(forward.firstSeen, 1000);
  assert.equal(forward.lastSeen, 3000);
});

it('merging two states equals applying all their events to one', () => {
  const a = [events[0]!, events[2]!].reduce(applyEvent, emptyState());
  const b = [events[1]!].reduce(applyEvent, emptyState());
  assert.deepEqual(mergeStates(a, b), events.reduce(applyEvent, emptyState()));
  assert.deepEqual(mergeStates(b, a), events.reduce(applyEvent, emptyState()));
});

it('takes first touch from campaign, UTM parameters or the referrer', () => {
  const state = events.reduce(applyEvent, emptyState());
  assert.deepEqual({ ...state.firstTouch, at: undefined, seq: undefined }, {
    at: undefined, seq: undefined, channel: 'web', sourceId: 'src_web', source: 'news', medium: 'email', campaign: 'spring',
  });
  const referred = touchOf(event(9, 1, 'web', { context: { page: { referrer: 'https://www.google.com/search?q=x' } } }));
  assert.deepEqual([referred.source, referred.medium, referred.campaign], ['www.google.com', 'referral', null]);
  const direct = touchOf(event(9, 1, 'store', {}));
  assert.deepEqual([direct.source, direct.medium], ['(direct)', '(none)']);
  const named = touchOf(event(9, 1, 'ads', { context: { campaign: { name: 'black-friday', source: 'meta', medium: 'paid_social' } } }));
  assert.deepEqual([named.source, named.medium, named.campaign], ['meta', 'paid_social', 'black-friday']);
});
