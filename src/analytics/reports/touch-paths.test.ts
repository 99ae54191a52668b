import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageFact } from '../../history/index.js';
import type { ActivityEvent } from '../../profiles/index.js';
import { customerPaths, type PathOptions } from './touch-paths.js';

const MIN = 60_000;
const DAY = 86_400_000;
let seq = 0;
const event = (at: number, channel: string, name: string, campaign: string | null = null, properties: object | null = null): ActivityEvent => ({
  seq: ++seq,
  timestamp: at,
  channel,
  type: name === 'page' ? 'page' : 'track',
  event: name === 'page' ? 'Home' : name,
  sourceId: 's',
  campaign,
  properties: properties && JSON.stringify(properties),
});
const message = (at: number, channel: string, journeyId: string, status = 'delivered'): MessageFact => ({
  seq: ++seq,
  profileId: 'p',
  channel,
  journeyId,
  contentId: null,
  purpose: 'marketing',
  arm: null,
  status,
  reason: null,
  requestedAt: at,
  sentAt: at,
});
const options = (by: PathOptions['by']): PathOptions => ({
  conversion: 'Order Completed',
  value: 'revenue',
  lookback: 30 * DAY,
  by,
  from: 0,
  to: 100 * DAY,
  journeyNames: new Map([['j1', 'Welcome']]),
});

describe('conversion paths from the history', () => {
  it('a visit is one touch, labelled by the campaign it arrived with', () => {
    const events = [
      event(10 * DAY, 'web', 'page', 'cyber-monday'),
      event(10 * DAY + 2 * MIN, 'web', 'Product Viewed'),
      event(10 * DAY + 4 * MIN, 'web', 'Product Added'),
      event(10 * DAY + 6 * MIN, 'web', 'Order Completed', null, { revenue: 40 }),
    ];
    assert.deepEqual(customerPaths(events, [], options('campaign')).paths, [{ channels: ['cyber-monday'], converted: true, value: 40 }]);
    assert.deepEqual(customerPaths(events, [], options('channel')).paths, [{ channels: ['web'], converted: true, value: 40 }]);
  });

  it('a new visit after 30 minutes, on another channel, or from another campaign', () => {
    const events = [
      event(DAY, 'web', 'page'),
      event(DAY + 31 * MIN, 'web', 'page'),
      event(DAY + 32 * MIN, 'app', 'Product Viewed'),
      event(DAY + 33 * MIN, 'app', 'page', 'spring'),
      event(DAY + 34 * MIN, 'app', 'Order Completed', null, { total: 15 }),
    ];
    assert.deepEqual(customerPaths(events, [], options('campaign')).paths, [
      { channels: ['web (no campaign)', 'web (no campaign)', 'app (no campaign)', 'spring'], converted: true, value: 15 },
    ]);
  });

  it('messages that went out are touches; each conversion takes the touches since the last; the rest did not convert', () => {
    const events = [
      event(5 * DAY, 'web', 'page'),
      event(6 * DAY, 'store', 'Order Completed', null, { revenue: 100 }),
      event(60 * DAY, 'app', 'page'),
      event(61 * DAY, 'store', 'Order Completed', null, { revenue: 50 }),
      event(80 * DAY, 'web', 'page'),
    ];
    const messages = [message(4 * DAY, 'email', 'j1'), message(59 * DAY, 'sms', 'j2', 'sent')];
    const paths = customerPaths(events, messages, options('journey'));
    assert.deepEqual(paths.paths, [
      { channels: ['journey: Welcome', 'web'], converted: true, value: 100 },
      { channels: ['journey: j2', 'app'], converted: true, value: 50 },
      { channels: ['web'], converted: false, value: 0 },
    ]);
  });

  it('a conversion with no touch in the look-back is counted apart', () => {
    const events = [event(DAY, 'web', 'page'), event(40 * DAY, 'store', 'Order Completed', null, { revenue: 70 })];
    const paths = customerPaths(events, [], options('channel'));
    assert.deepEqual(paths.untouched, { count: 1, value: 70 });
    assert.deepEqual(paths.paths, []);
  });
});

describe('conversion paths at the edges of the period', () => {
  it('a conversion just before the period keeps its touches; messages alone make a path that did not convert', () => {
    const o = { ...options('channel'), from: 50 * DAY };
    const events = [
      event(45 * DAY, 'web', 'page'),
      event(46 * DAY, 'store', 'Order Completed', null, { revenue: 10 }),
      event(52 * DAY, 'app', 'page'),
      event(53 * DAY, 'store', 'Order Completed', null, { revenue: 20 }),
    ];
    assert.deepEqual(customerPaths(events, [], o).paths, [{ channels: ['app'], converted: true, value: 20 }]);
    assert.deepEqual(customerPaths([], [message(60 * DAY, 'email', 'j1')], o).paths, [{ channels: ['email'], converted: false, value: 0 }]);
  });
});
