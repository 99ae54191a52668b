import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseItems, parseMappingPairs, readCsvTimestamp, resolveMapping, rowToMessage } from './csv-mapping.js';

it('completes a mapping with columns named like fields', () => {
  const resolved = resolveMapping(['email', 'order_id', 'Amount', 'customerNumber'], { amount: 'Amount' });
  assert.deepEqual(resolved, { ok: true, value: { amount: 'Amount', email: 'email', orderId: 'order_id', customerNumber: 'customerNumber' } });
  assert.equal(resolveMapping(['email'], { amount: 'total' }).ok, false);
  assert.equal(parseMappingPairs(['email']).ok, false);
  assert.equal(parseMappingPairs(['traits.tier=level']).ok, true);
});

it('reads items and timestamps in the forms offline exports use', () => {
  assert.deepEqual(parseItems('A:2:1.5;B'), {
    ok: true,
    value: [
      { sku: 'A', quantity: 2, price: 1.5 },
      { sku: 'B', quantity: 1 },
    ],
  });
  assert.deepEqual(parseItems('A:2:1,5|B:1:1.000,5', { decimalComma: true }), {
    ok: true,
    value: [
      { sku: 'A', quantity: 2, price: 1.5 },
      { sku: 'B', quantity: 1, price: 1000.5 },
    ],
  });
  const decimalCommaPrice = parseItems('A:2:1,50');
  assert.ok(!decimalCommaPrice.ok && /--decimal-comma/.test(decimalCommaPrice.message), 'a price follows the same notation');
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
  const withoutSetting = rowToMessage({ ...row, sum: '1.234,50' }, mapping, { type: 'track', eventName: 'Order Completed' });
  assert.ok(!withoutSetting.ok && withoutSetting.code === 'TP_INVALID_EVENT' && /^Column sum: .*--decimal-comma/.test(withoutSetting.message));
  const withSetting = rowToMessage({ ...row, sum: '1.234,50' }, mapping, { type: 'track', eventName: 'Order Completed', decimalComma: true });
  assert.ok(withSetting.ok);
  assert.deepEqual(withSetting.value.properties, { order_id: 'R1', total: 1234.5, revenue: 1234.5 });
  const identify = rowToMessage({ uid: 'u1', tier: 'gold' }, { userId: 'uid', 'traits.tier': 'tier' }, { type: 'identify', eventName: 'x' });
  assert.ok(identify.ok);
  assert.deepEqual(identify.value.traits, { tier: 'gold' });
  assert.equal(identify.value.userId, 'u1');
});
