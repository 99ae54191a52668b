/** The overview's sum of the contact history: outcomes, days of the period, channels and reasons, with no database. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outcomeOf, summarize } from './summary.js';

const DAY = 86_400_000;

describe('outcomeOf', () => {
  for (const [status, outcome] of [
    ['sent', 'sent'],
    ['clicked', 'sent'],
    ['bounced', 'sent'],
    ['failed', 'sent'],
    ['suppressed', 'suppressed'],
    ['deferred', 'deferred'],
    ['allowed', 'pending'],
    ['queued', 'pending'],
    ['rerouted', 'pending'],
  ] as const) {
    it(`${status} is ${outcome}`, () => assert.equal(outcomeOf(status), outcome));
  }
});

describe('summarize', () => {
  const from = 10 * DAY + 3_600_000;
  const to = 13 * DAY;
  const rows = [
    { day: 10, channel: 'email', status: 'delivered', reason: null, count: 5 },
    { day: 10, channel: 'email', status: 'suppressed', reason: 'no_consent', count: 2 },
    { day: 12, channel: 'sms', status: 'suppressed', reason: 'no_consent', count: 1 },
    { day: 12, channel: 'sms', status: 'deferred', reason: 'quiet_hours', count: 4 },
    { day: 12, channel: 'sms', status: 'suppressed', reason: null, count: 1 },
  ];
  const summary = summarize(rows, from, to);

  it('counts each outcome once', () => {
    assert.equal(summary.total, 13);
    assert.deepEqual(summary.outcomes, { sent: 5, suppressed: 4, deferred: 4, pending: 0 });
  });

  it('lists every day the period touches, quiet ones included', () => {
    assert.deepEqual(
      summary.days.map((d) => [d.day, d.sent, d.suppressed, d.deferred]),
      [
        [10, 5, 2, 0],
        [11, 0, 0, 0],
        [12, 0, 2, 4],
      ],
    );
  });

  it('orders channels by messages and reasons by count, naming a missing reason', () => {
    assert.deepEqual(
      summary.channels.map((c) => c.channel),
      ['email', 'sms'],
    );
    assert.deepEqual(summary.reasons, [
      { outcome: 'deferred', reason: 'quiet_hours', count: 4 },
      { outcome: 'suppressed', reason: 'no_consent', count: 3 },
      { outcome: 'suppressed', reason: '(none)', count: 1 },
    ]);
  });
});
