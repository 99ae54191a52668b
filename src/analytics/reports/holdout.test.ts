import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderValue, parseProperties } from './facts.js';
import { HoldoutTally, type RequestFact } from './holdout.js';

const order = (timestamp: number, properties: Record<string, unknown>) => ({
  timestamp,
  type: 'track',
  event: 'Order Completed',
  properties: JSON.stringify(properties),
});

describe('the global control group as an experiment', () => {
  it('an order is valued as the profiles value it: revenue, else total, else the products', () => {
    assert.equal(orderValue(parseProperties(JSON.stringify({ revenue: 12.5, total: 99 }))), 12.5);
    assert.equal(orderValue(parseProperties(JSON.stringify({ revenue: '12', total: 15 }))), 15);
    assert.equal(orderValue(parseProperties(JSON.stringify({ products: [{ price: 10, quantity: 2 }, { price: 5 }, { price: 'x' }] }))), 25);
    assert.equal(orderValue(parseProperties(JSON.stringify({ margin: 4, total: 15 })), 'margin'), 4);
    // A property named on purpose has no stand-in.
    assert.equal(orderValue(parseProperties(JSON.stringify({ total: 15 })), 'margin'), 0);
    assert.equal(orderValue(parseProperties(null)), 0);
    assert.equal(orderValue(parseProperties('not json')), 0);
  });

  it('arms as assigned, conversions at or after the first request that met the draw', () => {
    const tally = new HoldoutTally('Order Completed', 'revenue', new Set(['transactional']));
    const request = (profileId: string, requestedAt: number, status: string, reason: string | null = null, purpose = 'marketing'): RequestFact => ({
      profileId,
      purpose,
      journeyId: 'j',
      status,
      reason,
      requestedAt,
    });
    for (const r of [
      request('p1', 10, 'suppressed', 'control_group'),
      request('p2', 10, 'sent', 'allowed'),
      request('p3', 10, 'suppressed', 'no_consent'),
      request('p4', 10, 'sent', 'allowed'),
      request('p5', 10, 'deferred', 'quiet_hours'),
      request('p6', 5, 'suppressed', 'no_consent'),
      request('p6', 12, 'rerouted', 'no_consent'),
      // A receipt bypasses the control group: it says nothing of the customer's arm.
      request('p8', 10, 'sent', 'allowed', 'transactional'),
    ])
      tally.addRequest(r);
    assert.equal(tally.requested, 7);
    assert.equal(tally.held, 1);
    tally.assign((id) => id === 'p4' || id === 'p1');
    tally.visit('p1', [order(20, { revenue: 50 })]);
    tally.visit('p2', [
      order(5, { revenue: 99 }),
      order(15, { total: 30 }),
      { timestamp: 16, type: 'track', event: 'Page Viewed', properties: null },
      { timestamp: 17, type: 'page', event: 'Order Completed', properties: '{"revenue":1000}' },
    ]);
    tally.visit('p3', [order(20, { revenue: 70 })]);
    tally.visit('p4', [order(20, { revenue: 70 })]);
    tally.visit('p6', [order(8, { revenue: 99 }), order(13, { products: [{ price: 10, quantity: 2 }, { price: 5 }] })]);
    tally.visit('p7', [order(20, { revenue: 70 })]);
    tally.visit('p8', [order(20, { revenue: 70 })]);
    assert.deepEqual(tally.excluded, { unreachable: 2, drawnNotHeld: 1 });
    assert.deepEqual(tally.tallies(), [
      { arm: 'control', n: 1, converted: 1, value: 50, moments: { n: 1, sum: 50, sumSquares: 2500 } },
      { arm: 'treated', n: 3, converted: 2, value: 55, moments: { n: 3, sum: 55, sumSquares: 1525 } },
    ]);
  });
});
