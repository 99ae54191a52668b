import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideContact } from './decide.js';
import type { ContactRequest, Customer } from './decision.js';
import type { PolicyDocument } from './document.js';
import { controlDraw, type PastMessage, type PolicyContext } from './rules.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-06-10T12:00:00Z');
const customer: Customer = { gone: false, consent: () => ({ status: 'granted', allowed: true }), address: () => 'a@example.com' };
const request = (over: Partial<ContactRequest> = {}): ContactRequest => ({
  profileId: 'p1',
  channel: 'email',
  purpose: 'marketing',
  consentChannel: 'email',
  ...over,
});
const policy = (over: Partial<PolicyDocument> = {}): PolicyDocument => ({ caps: [], transactionalPurposes: ['transactional'], deferLimitHours: 72, ...over });
const sent = (channel: string, hoursAgo: number, purpose = 'marketing'): PastMessage => ({
  channel,
  purpose,
  contentId: null,
  journeyId: null,
  status: 'sent',
  at: NOW - hoursAgo * HOUR,
  sentAt: NOW - hoursAgo * HOUR,
});
const ctx = (over: Partial<PolicyContext> = {}): PolicyContext => ({ policy: policy(), history: [], now: NOW, zone: 'UTC', ...over });
const decided = (r: ContactRequest, c?: PolicyContext) => {
  const d = decideContact(r, customer, c);
  return d.kind === 'defer' ? `defer:${d.reason}:${new Date(d.until).toISOString()}` : `${d.kind}:${d.reason}`;
};

const dailyAndWeekly = policy({
  caps: [
    { max: 1, withinHours: 24 },
    { max: 3, withinHours: 168 },
    { channel: 'sms', max: 1, withinHours: 168 },
  ],
});

describe('policy rules', () => {
  const cases: { name: string; request?: Partial<ContactRequest>; context: PolicyContext; expected: string }[] = [
    { name: 'no policy context: consent only', context: undefined as never, expected: 'allow:allowed' },
    { name: 'an empty policy allows', context: ctx(), expected: 'allow:allowed' },
    {
      name: 'a cap across all channels counts every channel',
      context: ctx({ policy: dailyAndWeekly, history: [sent('push', 3)] }),
      expected: 'suppress:frequency_cap',
    },
    { name: 'the window rolls over', context: ctx({ policy: dailyAndWeekly, history: [sent('push', 25)] }), expected: 'allow:allowed' },
    {
      name: 'a weekly cap counts the week',
      context: ctx({ policy: dailyAndWeekly, history: [sent('email', 30), sent('push', 60), sent('email', 100)] }),
      expected: 'suppress:frequency_cap',
    },
    {
      name: 'a per-channel cap counts only its channel',
      request: { channel: 'sms' },
      context: ctx({ policy: policy({ caps: [{ channel: 'sms', max: 1, withinHours: 168 }] }), history: [sent('email', 1)] }),
      expected: 'allow:allowed',
    },
    {
      name: 'a per-channel cap stops its channel',
      request: { channel: 'sms' },
      context: ctx({ policy: policy({ caps: [{ channel: 'sms', max: 1, withinHours: 168 }] }), history: [sent('sms', 100)] }),
      expected: 'suppress:frequency_cap',
    },
    {
      name: 'caps count their purpose only',
      context: ctx({ policy: dailyAndWeekly, history: [sent('email', 1, 'transactional')] }),
      expected: 'allow:allowed',
    },
    {
      name: 'transactional bypasses caps',
      request: { purpose: 'transactional' },
      context: ctx({ policy: dailyAndWeekly, history: [sent('email', 1)] }),
      expected: 'allow:allowed',
    },
    {
      name: 'quiet hours across midnight defer to their end, in the customer\u2019s zone',
      context: ctx({ policy: policy({ quietHours: { start: '21:00', end: '08:00' } }), now: Date.parse('2026-06-10T20:30:00Z'), zone: 'Europe/Paris' }),
      // 22:30 in Paris (UTC+2): quiet until 08:00 Paris, 06:00 UTC the next day.
      expected: 'defer:quiet_hours:2026-06-11T06:00:00.000Z',
    },
    {
      name: 'outside quiet hours: allowed',
      context: ctx({ policy: policy({ quietHours: { start: '21:00', end: '08:00' } }), now: Date.parse('2026-06-10T12:00:00Z'), zone: 'Europe/Paris' }),
      expected: 'allow:allowed',
    },
    {
      name: 'quiet hours over a daylight-saving change end at the local hour',
      // 2026-10-25 03:00 Paris: clocks go back to 02:00 (UTC+1). 01:30 UTC is 02:30 local, quiet until 08:00 local = 07:00 UTC.
      context: ctx({ policy: policy({ quietHours: { start: '22:00', end: '08:00' } }), now: Date.parse('2026-10-25T01:30:00Z'), zone: 'Europe/Paris' }),
      expected: 'defer:quiet_hours:2026-10-25T07:00:00.000Z',
    },
    {
      name: 'quiet hours for some channels only',
      context: ctx({ policy: policy({ quietHours: { start: '00:00', end: '23:59', channels: ['sms'] } }) }),
      expected: 'allow:allowed',
    },
    {
      name: 'transactional bypasses quiet hours',
      request: { purpose: 'transactional' },
      context: ctx({ policy: policy({ quietHours: { start: '00:00', end: '23:59' } }) }),
      expected: 'allow:allowed',
    },
    {
      name: 'everyone in a control group of share 0.5 with a salt that draws p1 in',
      context: ctx({ policy: policy({ controlGroup: { share: 0.5, salt: saltDrawing('p1', true) } }) }),
      expected: 'suppress:control_group',
    },
    {
      name: 'outside the control group',
      context: ctx({ policy: policy({ controlGroup: { share: 0.5, salt: saltDrawing('p1', false) } }) }),
      expected: 'allow:allowed',
    },
    {
      name: 'the control group gets transactional messages',
      request: { purpose: 'transactional' },
      context: ctx({ policy: policy({ controlGroup: { share: 0.5, salt: saltDrawing('p1', true) } }) }),
      expected: 'allow:allowed',
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(decided(request(c.request), c.context), c.expected));

  it('keeps the control group stable and near its share', () => {
    assert.equal(controlDraw('p1', 'control'), controlDraw('p1', 'control'));
    let inside = 0;
    for (let i = 0; i < 10_000; i++) if (controlDraw(`p${i}`, 'control') < 0.1) inside++;
    assert.ok(inside > 900 && inside < 1100, `10% expected, got ${inside / 100}%`);
  });

  it('consent still comes first', () => {
    const denied: Customer = { ...customer, consent: () => ({ status: 'denied', allowed: false }) };
    assert.equal(decideContact(request(), denied, ctx({ policy: dailyAndWeekly })).reason, 'consent_denied');
  });
});

/** A salt under which the profile's draw falls inside (or outside) a group of share 0.5. */
function saltDrawing(profileId: string, inside: boolean): string {
  for (let i = 0; ; i++) if (controlDraw(profileId, `s${i}`) < 0.5 === inside) return `s${i}`;
}
