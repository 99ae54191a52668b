import assert from 'node:assert/strict';
import { it } from 'node:test';
import { extractIdentifiers, normalizeIdentifier } from './identifiers.js';
import { buildKinds } from './kinds.js';

it('normalizes emails and phone numbers, and refuses what is not one', () => {
  assert.equal(normalizeIdentifier('email', '  Ann.Lee@Example.COM '), 'ann.lee@example.com');
  assert.equal(normalizeIdentifier('email', 'not an email'), undefined);
  assert.equal(normalizeIdentifier('phone', '+49 30 1234567'), '+49301234567');
  assert.equal(normalizeIdentifier('phone', '0049 (30) 123-4567'), '+49301234567');
  assert.equal(normalizeIdentifier('phone', '030 1234567'), undefined, 'no country without a region');
  assert.equal(normalizeIdentifier('phone', '030 1234567', { phoneRegion: 'DE' }), '+49301234567');
  assert.equal(normalizeIdentifier('text', 12345), '12345');
  assert.equal(normalizeIdentifier('text', { a: 1 }), undefined);
});

it('reads identifiers from their documented places, in priority order, once each', () => {
  const kinds = buildKinds({ extraKinds: [{ kind: 'crmId', paths: ['properties.crm_id'] }], extraPaths: { loyaltyCard: ['properties.card'] } });
  const found = extractIdentifiers(
    {
      type: 'track',
      userId: 'u1',
      anonymousId: 'a1',
      properties: { email: 'ANN@example.com', crm_id: 'C9', card: 'L-1' },
      context: { traits: { email: 'ann@example.com', phone: '+44 20 7946 0958', customer_number: 'K-7' }, device: { id: 'dev-1' } },
    },
    kinds,
  );
  assert.deepEqual(
    found.map((i) => `${i.kind}:${i.value}`),
    ['userId:u1', 'customerNumber:K-7', 'crmId:C9', 'email:ann@example.com', 'phone:+442079460958', 'loyaltyCard:L-1', 'deviceId:dev-1', 'anonymousId:a1'],
  );
});
