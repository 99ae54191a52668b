import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideContact } from './decide.js';
import type { ContactRequest, Customer } from './decision.js';

const request = (over: Partial<ContactRequest> = {}): ContactRequest => ({
  profileId: 'p1',
  channel: 'email',
  purpose: 'marketing',
  consentChannel: 'email',
  ...over,
});

const customer = (
  over: { gone?: boolean; consent?: 'granted' | 'denied' | 'unknown'; defaultAllows?: boolean; email?: string; phone?: string } = {},
): Customer => ({
  gone: over.gone ?? false,
  consent: () => {
    const status = over.consent ?? 'granted';
    return { status, allowed: status === 'granted' || (status === 'unknown' && (over.defaultAllows ?? false)) };
  },
  address: (channel) => (channel === 'email' ? ('email' in over ? over.email : 'a@example.com') : channel === 'sms' ? over.phone : undefined),
});

describe('decideContact', () => {
  const cases: { name: string; request: ContactRequest; customer: Customer; expected: string }[] = [
    { name: 'granted consent and an address: allowed', request: request(), customer: customer(), expected: 'allow:allowed' },
    {
      name: 'an erased profile: suppressed first',
      request: request(),
      customer: customer({ gone: true, consent: 'denied' }),
      expected: 'suppress:profile_gone',
    },
    { name: 'no email address', request: request(), customer: customer({ email: undefined }), expected: 'suppress:no_address' },
    { name: 'sms without a phone', request: request({ channel: 'sms', consentChannel: 'sms' }), customer: customer(), expected: 'suppress:no_address' },
    {
      name: 'sms with a phone',
      request: request({ channel: 'sms', consentChannel: 'sms' }),
      customer: customer({ phone: '+33612345678' }),
      expected: 'allow:allowed',
    },
    { name: 'denied', request: request(), customer: customer({ consent: 'denied' }), expected: 'suppress:consent_denied' },
    { name: 'unknown under opt-in', request: request(), customer: customer({ consent: 'unknown' }), expected: 'suppress:no_consent' },
    { name: 'unknown under opt-out', request: request(), customer: customer({ consent: 'unknown', defaultAllows: true }), expected: 'allow:allowed' },
    {
      name: 'transactional needs no marketing consent',
      request: request({ purpose: 'transactional' }),
      customer: customer({ consent: 'unknown' }),
      expected: 'allow:allowed',
    },
    {
      name: 'transactional stops at an explicit denial',
      request: request({ purpose: 'transactional' }),
      customer: customer({ consent: 'denied' }),
      expected: 'suppress:consent_denied',
    },
    {
      name: 'push needs no address',
      request: request({ channel: 'push', consentChannel: 'push' }),
      customer: customer({ email: undefined }),
      expected: 'allow:allowed',
    },
    {
      name: 'a webhook with no consent channel',
      request: request({ channel: 'webhook', consentChannel: null }),
      customer: customer({ consent: 'denied' }),
      expected: 'allow:allowed',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const decision = decideContact(c.request, c.customer);
      assert.equal(`${decision.kind}:${decision.reason}`, c.expected);
    });
  }
});
