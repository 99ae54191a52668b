import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseAmount, parseItems, parseMappingPairs, readCsvTimestamp, resolveMapping, rowToMessage } from './csv-mapping.js';

it('completes a mapping with columns named like fields', () => {
  const resolved = resolveMapping(['email', 'order_id', 'Amount', 'customerNumber'], { amount: 'Amount' });
  assert.deepEqual(resolved, { ok: true, value: { amount: 'Amount', email: 'email', orderId: 'order_id', customerNumber: 'customerNumber' } });
  assert.equal(resolveMapping(['email'], { amount: 'total' }).ok, false);
  assert.equal(parseMappingPairs(['email']).ok, false);
  assert.equal(parseMappingPairs(['traits.tier=level']).ok, true);
});

it('reads amounts, items and timestamps in the forms offline exports use', () => {
  assert.deepEqual([parseAmount('12.50'), parseAmount('12,50'), parseAmount('1,234.5'), parseAmount('x')], [12.5, 12.5, 1234.5, undefined]);
  assert.deepEqual(parseItems('A:2:1.5;B'), { ok: true, value: [{ sku: 'A', quantity: 2, price: 1.5 }, { sku: 'B', quantity: 1 }] });
  assert.deepEqual(parseItems('[{"sku":"A"}]'), { ok: true, value: [{ sku: 'A' }] });
  assert.equal(parseItems('A:two').ok, false);
  assert.equal(parseItems('[oops').ok, false);
  assert.deepEqual(readCsvTimestamp('2025-03-01 10:15', 't'), { ok: true, value: '2025-03-01T10:15:00.000Z' });
  assert.deepEqual(readCsvTimestamp('2025-03-01T10:15:00+01:00', 't'), { ok: true, value: '2025-03-01T09:15:00.000Z' });
  assert.deepEqual(readCsvTimestamp('1740830400', 't'), { ok: true, value: '2025-03-01T12:00:00.000Z' });
  assert.equal(readCsvTimestamp('01/03/2025', 't').ok, false);
});

it('turns a row into a track message with a stable messageId', () => {
  const mapping = { email: 'mail', orderId: 'id', amount: 'sum' };
  const row = { mail: 'ann@example.com', id: 'R1', sum: '10' };
  const a = rowToMessage(row, mapping, { type: 'track', eventName: 'Order Completed' });
  const b = rowToMessage({ ...row }, mapping, { type: 'track', eventName: 'Order Completed' });
  assert.ok(a.ok && b.ok);
  assert.equal(a.value.messageId, b.value.messageId);
  assert.equal(a.value.anonymousId, 'email:ann@example.com');
  assert.deepEqual(a.value.properties, { order_id: 'R1', total: 10, revenue: 10 });
  const identify = rowToMessage({ uid: 'u1', tier: 'gold' }, { userId: 'uid', 'traits.tier': 'tier' }, { type: 'identify', eventName: 'x' });
  assert.ok(identify.ok);
  assert.deepEqual(identify.value.traits, { tier: 'gold' });
  assert.equal(identify.value.userId, 'u1');
});
