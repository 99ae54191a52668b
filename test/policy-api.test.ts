/**
 * The contact-policy API: the versioned document (GET|PUT /api/policy, its
 * versions), refusals with TP_INVALID_POLICY naming each problem by JSON
 * pointer, and POST /api/policy/simulate deciding a made-up request rule by
 * rule for customers made by tracked events, writing nothing.

 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { controlDraw } from '../src/policy/index.js';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';
import { admin } from './support/touchpoint.js';

const granted = { email: 'granted', push: 'granted', sms: 'granted' };

/**
 * A policy with every field written out, defaulted ones included: the
 * refusal and simulation tests use it so that they test what they name, not
 * the filling of defaults (which has tests of its own).
 */
const complete = (over: Record<string, unknown> = {}) => ({ caps: [], deferLimitHours: 72, transactionalPurposes: ['transactional'], ...over });

const ALLOWED_TOP = 'caps, quietHours, controlGroup, arbitration, fatigue, deferLimitHours, transactionalPurposes';

/** Bad documents, each with the one problem it must be refused for. */
const BAD: { name: string; policy: unknown; problem: string | RegExp }[] = [
  { name: 'an unknown field at the top', policy: complete({ colour: 'red' }), problem: `/colour: is not a field here; allowed: ${ALLOWED_TOP}` },
  {
    name: 'an unknown field in a cap',
    policy: complete({ caps: [{ max: 1, withinHours: 24, every: 'day' }] }),
    problem: '/caps/0/every: is not a field here; allowed: channel, purpose, max, withinHours, belowPriority',
  },
  // "whole number" as in 0, 1, 2...: the wording src/standing/conditions.test.ts pins for every integer of minimum 0.
  { name: 'a negative max', policy: complete({ caps: [{ max: -1, withinHours: 24 }] }), problem: '/caps/0/max: must be a whole number' },
  { name: 'a fractional max', policy: complete({ caps: [{ max: 1.5, withinHours: 24 }] }), problem: '/caps/0/max: must be a whole number' },
  { name: 'withinHours 0', policy: complete({ caps: [{ max: 1, withinHours: 0 }] }), problem: '/caps/0/withinHours: expected number to be greater than 0' },
  {
    name: 'a cap on an unknown channel',
    policy: complete({ caps: [{ channel: 'fax', max: 1, withinHours: 24 }] }),
    problem: '/caps/0/channel: must be one of email, sms, push, webhook, all',
  },
  {
    name: 'quiet hours of no length',
    policy: complete({ quietHours: { start: '21:00', end: '21:00' } }),
    problem: '/quietHours/end: must differ from start (quiet hours of no length)',
  },
  { name: 'a bad HH:MM', policy: complete({ quietHours: { start: '24:00', end: '08:00' } }), problem: /^\/quietHours\/start: expected string to match / },
  {
    name: 'quiet hours on no channel',
    policy: complete({ quietHours: { start: '21:00', end: '08:00', channels: [] } }),
    problem: '/quietHours/channels: needs at least 1 item',
  },
  {
    name: 'a control group of 90%',
    policy: complete({ controlGroup: { share: 0.9, salt: 'x' } }),
    problem: '/controlGroup/share: expected number to be less or equal to 0.5',
  },
  {
    name: 'an unknown arbitration mode',
    policy: complete({ arbitration: { mode: 'random', windowMinutes: 0 } }),
    problem: '/arbitration/mode: must be one of priority, learned',
  },
  {
    name: 'fatigue after 0 ignored',
    policy: complete({ fatigue: { ignoredInARow: 0, suppressForDays: 7, by: 'content', respondWithinHours: 72 } }),
    problem: '/fatigue/ignoredInARow: must be a whole number of at least 1',
  },
  { name: 'a deferral limit of 0', policy: complete({ deferLimitHours: 0 }), problem: '/deferLimitHours: expected number to be greater than 0' },
  { name: 'an array', policy: [], problem: '/: expected object' },
  { name: 'an array of a policy', policy: [complete()], problem: '/: expected object' },
];

for (const dialect of DIALECTS) {
  describe(`policy API (${dialect.name})`, () => {
    let h: Harness;
    /** ann: email, no phone, consent on every channel, in Paris. bob: email and phone, consent for email only. */
    let ann: string;
    let bob: string;

    const put = (policy: unknown) => h.api('PUT', '/api/policy', policy);
    /** Replaces the policy, insisting it is accepted. */
    const use = async (policy: unknown) => {
      const r = await put(policy);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };
    const simulate = async (request: Record<string, unknown>) => {
      const r = await h.api('POST', '/api/policy/simulate', request);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };
    /** The trace as rule:outcome[:channel][:reason] strings, easy to compare whole. */
    const steps = (trace: { rule: string; outcome: string; channel?: string; reason?: string }[]) =>
      trace.map((s) => [s.rule, s.outcome, s.channel, s.reason].filter((x) => x !== undefined).join(':'));
    /** A PUT with a raw body and content type (what h.api cannot send). */
    const putRaw = async (payload: string) => {
      const r = await h.tp.app.inject({ method: 'PUT', url: '/api/policy', headers: { ...admin(), 'content-type': 'application/json' }, payload });
      return { status: r.statusCode, body: r.json() };
    };

    before(async () => {
      h = await startHarness(dialect);
      await h.content('Hi', { email: { subject: 'Hi', html: '<p>Hi</p>' }, sms: { text: 'Hi' } });
      await h.identify('ann', { email: 'ann@example.com', consent: granted, timezone: 'Europe/Paris' });
      await h.identify('bob', { email: 'bob@example.com', phone: '+33612345678', consent: { email: 'granted' } });
      await h.settle();
      ann = await h.profileOf('ann');
      bob = await h.profileOf('bob');
    });
    after(() => h.dispose());

    it('before any PUT: version 0, no date, consent only', async () => {
      const r = await h.api('GET', '/api/policy');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { version: 0, updatedAt: null, policy: { caps: [], transactionalPurposes: ['transactional'], deferLimitHours: 72 } });
      assert.deepEqual((await h.api('GET', '/api/policy/versions')).body, { versions: [], next: null });
    });

    it('saves a complete policy as a new version, reads it back, and pages the versions newest first', async () => {
      const { version: v0 } = (await h.api('GET', '/api/policy')).body;
      const first = complete({
        caps: [
          { channel: 'email', max: 3, withinHours: 168 },
          { channel: 'all', purpose: 'promo', max: 1, withinHours: 24 },
        ],
        quietHours: { start: '21:00', end: '08:00', channels: ['sms', 'push'] },
        controlGroup: { share: 0.1, salt: 'winter' },
        arbitration: { mode: 'learned', windowMinutes: 30 },
        fatigue: { ignoredInARow: 3, suppressForDays: 14, by: 'journey', respondWithinHours: 48 },
        deferLimitHours: 24,
        transactionalPurposes: ['transactional', 'receipt'],
      });
      const saved = await use(first);
      assert.deepEqual(saved, { version: v0 + 1, updatedAt: '2026-11-23T12:00:00.000Z', policy: first });
      assert.deepEqual((await h.api('GET', '/api/policy')).body, saved);

      h.tp.clock.advance(60_000);
      const second = complete({ caps: [{ max: 5, withinHours: 24 }] });
      const resaved = await use(second);
      assert.deepEqual(resaved, { version: v0 + 2, updatedAt: '2026-11-23T12:01:00.000Z', policy: second });
      assert.deepEqual((await h.api('GET', '/api/policy')).body, resaved);

      const page1 = (await h.api('GET', '/api/policy/versions?limit=1')).body;
      assert.deepEqual(page1, { versions: [resaved], next: v0 + 2 });
      const page2 = (await h.api('GET', `/api/policy/versions?limit=1&before=${page1.next}`)).body;
      assert.deepEqual(page2, { versions: [saved], next: v0 + 1 });
      const all = (await h.api('GET', '/api/policy/versions')).body;
      assert.deepEqual(
        all.versions.map((v: { version: number }) => v.version),
        Array.from({ length: v0 + 2 }, (_, i) => v0 + 2 - i),
        'newest first',
      );
      assert.equal(all.next, null, 'a short page is the last');

      for (const query of ['before=abc', 'before=0', 'limit=0', 'limit=101', 'colour=red']) {
        const bad = await h.api('GET', `/api/policy/versions?${query}`);
        assert.equal(bad.status, 400, query);
        assert.equal(bad.body.error.code, 'TP_VALIDATION', query);
        assert.equal(typeof bad.body.error.message, 'string');
      }
    });

    it('fills in the defaults of a policy that leaves them out', async () => {
      const { version: v0 } = (await h.api('GET', '/api/policy')).body;
      const r = await put({
        caps: [{ channel: 'email', max: 2, withinHours: 24 }],
        quietHours: { start: '21:00', end: '08:00' },
        controlGroup: { share: 0.05 },
        arbitration: { mode: 'learned', windowMinutes: 15 },
        fatigue: { ignoredInARow: 3, suppressForDays: 7 },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.version, v0 + 1);
      assert.deepEqual(r.body.policy, {
        caps: [{ channel: 'email', max: 2, withinHours: 24 }],
        quietHours: { start: '21:00', end: '08:00' },
        controlGroup: { share: 0.05, salt: 'control' },
        arbitration: { mode: 'learned', windowMinutes: 15 },
        fatigue: { ignoredInARow: 3, suppressForDays: 7, by: 'content', respondWithinHours: 72 },
        deferLimitHours: 72,
        transactionalPurposes: ['transactional'],
      });
      assert.deepEqual((await h.api('GET', '/api/policy')).body, r.body);
    });

    it('accepts the empty document: consent only', async () => {
      const { version: v0 } = (await h.api('GET', '/api/policy')).body;
      const r = await put({});
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.version, v0 + 1);
      assert.deepEqual(r.body.policy, { caps: [], deferLimitHours: 72, transactionalPurposes: ['transactional'] });
    });

    describe('refuses a bad document, naming the problem by JSON pointer, and keeps the policy in force', () => {
      let inForce: unknown;
      before(async () => {
        await use(complete({ caps: [{ max: 4, withinHours: 24 }] }));
        inForce = (await h.api('GET', '/api/policy')).body;
      });

      for (const bad of BAD) {
        it(bad.name, async () => {
          const r = await put(bad.policy);
          assert.equal(r.status, 400, JSON.stringify(r.body));
          const { code, message, problems, ...rest } = r.body.error;
          assert.equal(code, 'TP_INVALID_POLICY');
          assert.deepEqual(rest, {});
          assert.equal(problems.length, 1, JSON.stringify(problems));
          if (typeof bad.problem === 'string') assert.equal(problems[0], bad.problem);
          else assert.match(problems[0], bad.problem);
          assert.equal(message, `The policy is not valid: ${problems[0]}.`);
          assert.deepEqual((await h.api('GET', '/api/policy')).body, inForce);
        });
      }

      it('a JSON string', async () => {
        const r = await putRaw('"strict"');
        assert.equal(r.status, 400);
        assert.deepEqual(r.body, {
          error: { code: 'TP_INVALID_POLICY', message: 'The policy is not valid: /: expected object.', problems: ['/: expected object'] },
        });
        assert.deepEqual((await h.api('GET', '/api/policy')).body, inForce);
      });

      it('a JSON null', async () => {
        const r = await putRaw('null');
        assert.equal(r.status, 400);
        assert.equal(r.body.error.code, 'TP_INVALID_POLICY');
        assert.deepEqual(r.body.error.problems, ['/: expected object']);
        assert.deepEqual((await h.api('GET', '/api/policy')).body, inForce);
      });

      // An empty body is not JSON at all: the same code as every other route (test/content-api.test.ts), before the policy is looked at.
      it('an empty body', async () => {
        for (const r of [await putRaw(''), await h.api('PUT', '/api/policy')]) {
          assert.equal(r.status, 400);
          assert.deepEqual(r.body, { error: { code: 'TP_INVALID_JSON', message: 'The body is empty; send a JSON object.' } });
        }
        assert.deepEqual((await h.api('GET', '/api/policy')).body, inForce);
      });

      it('several problems at once, each by its pointer', async () => {
        const r = await put(complete({ colour: 'red', caps: [{ max: 1, withinHours: 0 }], controlGroup: { share: 0.9, salt: 'x' } }));
        assert.equal(r.status, 400);
        assert.equal(r.body.error.code, 'TP_INVALID_POLICY');
        assert.deepEqual([...r.body.error.problems].sort(), [
          '/caps/0/withinHours: expected number to be greater than 0',
          `/colour: is not a field here; allowed: ${ALLOWED_TOP}`,
          '/controlGroup/share: expected number to be less or equal to 0.5',
        ]);
        assert.deepEqual((await h.api('GET', '/api/policy')).body, inForce);
      });
    });

    it('refuses every policy route without the admin token, changing nothing', async () => {
      const inForce = (await h.api('GET', '/api/policy')).body;
      const routes: { method: 'GET' | 'PUT' | 'POST'; url: string; payload?: object }[] = [
        { method: 'GET', url: '/api/policy' },
        { method: 'PUT', url: '/api/policy', payload: complete({ caps: [{ max: 0, withinHours: 1 }] }) },
        { method: 'GET', url: '/api/policy/versions' },
        { method: 'POST', url: '/api/policy/simulate', payload: { profileId: ann, channel: 'email' } },
      ];
      for (const route of routes) {
        for (const headers of [{}, { authorization: 'Bearer wrong-token' }]) {
          const r = await h.tp.app.inject({ ...route, headers });
          assert.equal(r.statusCode, 401, `${route.method} ${route.url}`);
          assert.equal(r.json().error.code, 'TP_UNAUTHORIZED', `${route.method} ${route.url}`);
        }
      }
      assert.deepEqual((await h.api('GET', '/api/policy')).body, inForce);
    });

    describe('simulate', () => {
      it('allows email to a customer with consent, rule by rule, in their zone', async () => {
        const policy = await use(complete({ caps: [{ channel: 'email', max: 2, withinHours: 24 }] }));
        const out = await simulate({ profileId: ann, channel: 'email', content: 'Hi' });
        assert.deepEqual(out.decision, { kind: 'allow', reason: 'allowed', channel: 'email' });
        assert.deepEqual(steps(out.trace), ['consent:pass:email', 'control_group:pass', 'fatigue:pass', 'frequency_cap:pass:email', 'quiet_hours:pass:email']);
        const now = new Date(h.tp.clock.now()).toISOString();
        assert.deepEqual([out.policyVersion, out.profileId, out.at, out.zone], [policy.version, ann, now, 'Europe/Paris']);
        assert.ok('stage' in out);
      });

      it('suppresses sms for a customer with no phone (no_address) and for one with a phone but no sms consent (no_consent)', async () => {
        await use(complete());
        const noPhone = await simulate({ profileId: ann, channel: 'sms' });
        assert.deepEqual(noPhone.decision, { kind: 'suppress', reason: 'no_address' });
        assert.deepEqual(steps(noPhone.trace), ['consent:skip:sms:no_address'], 'an address is looked for before consent');
        const noConsent = await simulate({ profileId: bob, channel: 'sms', content: 'Hi' });
        assert.deepEqual(noConsent.decision, { kind: 'suppress', reason: 'no_consent' });
        assert.deepEqual(steps(noConsent.trace), ['consent:skip:sms:no_consent']);
        assert.equal(noConsent.zone, 'UTC', 'bob has no time zone of his own');
      });

      it('suppresses for a frequency cap of 0, naming the cap', async () => {
        await use(complete({ caps: [{ channel: 'email', max: 0, withinHours: 24 }] }));
        const out = await simulate({ profileId: ann, channel: 'email', content: 'Hi' });
        assert.deepEqual(out.decision, { kind: 'suppress', reason: 'frequency_cap' });
        const last = out.trace.at(-1);
        assert.deepEqual(last, {
          rule: 'frequency_cap',
          outcome: 'skip',
          channel: 'email',
          reason: 'frequency_cap',
          detail: '0 per 24 h (email channels, marketing)',
        });
        assert.ok(!steps(out.trace).includes('quiet_hours:pass:email'), 'no rule after the cap is consulted');
        const other = await simulate({ profileId: ann, channel: 'push' });
        assert.equal(other.decision.kind, 'allow', 'a cap on email leaves push alone');
      });

      it('defers during quiet hours to their end in the customer\u2019s zone', async () => {
        await use(complete({ quietHours: { start: '21:00', end: '08:00' } }));
        // 23:30 in Paris (UTC+1 in November): quiet until 08:00 Paris the next morning, 07:00 UTC.
        const late = await simulate({ profileId: ann, channel: 'email', at: '2026-11-23T22:30:00.000Z' });
        assert.deepEqual(late.decision, { kind: 'defer', reason: 'quiet_hours', channel: 'email', until: '2026-11-24T07:00:00.000Z' });
        assert.deepEqual(late.trace.at(-1), { rule: 'quiet_hours', outcome: 'defer', channel: 'email', detail: 'until 2026-11-24T07:00:00.000Z' });
        assert.equal(late.at, '2026-11-23T22:30:00.000Z');
        // 06:30 in Paris: the same morning's 08:00.
        const early = await simulate({ profileId: ann, channel: 'email', at: '2026-11-24T05:30:00.000Z' });
        assert.equal(early.decision.until, '2026-11-24T07:00:00.000Z');
        // The same instant for bob, who has no zone of his own (UTC): 22:30, quiet until 08:00 UTC.
        const utc = await simulate({ profileId: bob, channel: 'email', at: '2026-11-23T22:30:00.000Z' });
        assert.deepEqual(utc.decision, { kind: 'defer', reason: 'quiet_hours', channel: 'email', until: '2026-11-24T08:00:00.000Z' });
        // 08:00 in Paris is the end: no longer quiet.
        const after = await simulate({ profileId: ann, channel: 'email', at: '2026-11-24T07:00:00.000Z' });
        assert.equal(after.decision.kind, 'allow');
        const transactional = await simulate({ profileId: ann, channel: 'email', purpose: 'transactional', at: '2026-11-23T22:30:00.000Z' });
        assert.equal(transactional.decision.kind, 'allow', 'quiet hours do not hold back a transactional message');
      });

      it('reroutes to a fallback channel when the one asked for has no address', async () => {
        await use(complete());
        const out = await simulate({ profileId: ann, channel: 'sms', fallback: ['email'], content: 'Hi' });
        assert.deepEqual(out.decision, { kind: 'reroute', reason: 'no_address', channel: 'email', from: 'sms' });
        assert.deepEqual(steps(out.trace), [
          'consent:skip:sms:no_address',
          'consent:pass:email',
          'control_group:pass',
          'fatigue:pass',
          'frequency_cap:pass:email',
          'quiet_hours:pass:email',
        ]);
      });

      it('lets a transactional purpose through a cap that would stop it', async () => {
        await use(
          complete({
            caps: [
              { channel: 'all', max: 0, withinHours: 24 },
              { channel: 'all', purpose: 'transactional', max: 0, withinHours: 24 },
              { channel: 'all', purpose: 'receipt', max: 0, withinHours: 24 },
            ],
            transactionalPurposes: ['transactional', 'receipt'],
          }),
        );
        const marketing = await simulate({ profileId: ann, channel: 'email' });
        assert.deepEqual(marketing.decision, { kind: 'suppress', reason: 'frequency_cap' });
        for (const purpose of ['transactional', 'receipt']) {
          const out = await simulate({ profileId: ann, channel: 'email', purpose });
          assert.deepEqual(out.decision, { kind: 'allow', reason: 'allowed', channel: 'email' }, purpose);
          assert.deepEqual(steps(out.trace), ['consent:pass:email', 'transactional:pass'], purpose);
        }
        // Once the policy no longer lists it, receipt is an ordinary purpose: it needs the customer's consent for it, which ann never gave.
        await use(complete({ caps: [{ channel: 'all', purpose: 'receipt', max: 0, withinHours: 24 }] }));
        const ordinary = await simulate({ profileId: ann, channel: 'email', purpose: 'receipt' });
        assert.deepEqual(ordinary.decision, { kind: 'suppress', reason: 'no_consent' });
        assert.deepEqual(steps(ordinary.trace), ['consent:skip:email:no_consent']);
      });

      it('suppresses a customer the control group draws, and only them', async () => {
        const salts = Array.from({ length: 64 }, (_, i) => `salt-${i}`);
        const inside = salts.find((s) => controlDraw(ann, s) < 0.5);
        const outside = salts.find((s) => controlDraw(ann, s) >= 0.5);
        assert.ok(inside && outside, 'among 64 salts, at least one draws ann in and one leaves her out');
        await use(complete({ controlGroup: { share: 0.5, salt: inside } }));
        const drawn = await simulate({ profileId: ann, channel: 'email', content: 'Hi' });
        assert.deepEqual(drawn.decision, { kind: 'suppress', reason: 'control_group' });
        assert.deepEqual(steps(drawn.trace), ['consent:pass:email', 'control_group:suppress:control_group']);
        const receipt = await simulate({ profileId: ann, channel: 'email', purpose: 'transactional' });
        assert.equal(receipt.decision.kind, 'allow', 'the control group gets transactional messages');
        await use(complete({ controlGroup: { share: 0.5, salt: outside } }));
        assert.equal((await simulate({ profileId: ann, channel: 'email', content: 'Hi' })).decision.kind, 'allow', 'a new salt draws a new group');
        await use(complete({ controlGroup: { share: 0, salt: inside } }));
        assert.equal((await simulate({ profileId: ann, channel: 'email', content: 'Hi' })).decision.kind, 'allow', 'share 0: nobody is drawn');
      });

      it('reports an unknown profile, content or journey, and a bad request', async () => {
        const notFound: [Record<string, unknown>, string][] = [
          [{ profileId: 'prf_nobody', channel: 'email' }, 'TP_PROFILE_NOT_FOUND'],
          [{ profileId: ann, channel: 'email', content: 'Nope' }, 'TP_CONTENT_NOT_FOUND'],
          [{ profileId: ann, channel: 'email', journey: 'Nope' }, 'TP_JOURNEY_NOT_FOUND'],
        ];
        for (const [request, code] of notFound) {
          const r = await h.api('POST', '/api/policy/simulate', request);
          assert.equal(r.status, 404, JSON.stringify(request));
          assert.equal(r.body.error.code, code);
          assert.match(r.body.error.message, /"(prf_nobody|Nope)"/);
        }
        const bad: Record<string, unknown>[] = [
          { profileId: ann, channel: 'fax' },
          { profileId: ann },
          { channel: 'email' },
          { profileId: ann, channel: 'email', fallback: ['pigeon'] },
          { profileId: ann, channel: 'email', at: 'tomorrow' },
          { profileId: ann, channel: 'email', sendAt: 'later' },
          { profileId: ann, channel: 'email', colour: 'red' },
        ];
        for (const request of bad) {
          const r = await h.api('POST', '/api/policy/simulate', request);
          assert.equal(r.status, 400, JSON.stringify(request));
          assert.equal(r.body.error.code, 'TP_VALIDATION', JSON.stringify(request));
        }
        assert.match((await h.api('POST', '/api/policy/simulate', bad[0])).body.error.message, /channel/);
      });

      it('writes nothing: no message, no contact history', async () => {
        await use(complete({ caps: [{ channel: 'email', max: 1, withinHours: 24 }] }));
        for (let i = 0; i < 3; i++) {
          const out = await simulate({ profileId: ann, channel: 'email', content: 'Hi' });
          assert.equal(out.decision.kind, 'allow', 'a simulated send does not count against the cap');
        }
        await h.settle();
        assert.deepEqual(await h.messages(), []);
        assert.deepEqual((await h.api('GET', `/api/profiles/${ann}/timeline?direction=outbound`)).body.events, []);
      });
    });

    it('describes the policy routes and the PolicyDocument schema in the OpenAPI document', async () => {
      const r = await h.tp.app.inject({ method: 'GET', url: '/openapi.json' });
      assert.equal(r.statusCode, 200);
      const doc = r.json();
      assert.ok(doc.paths['/api/policy']?.get && doc.paths['/api/policy']?.put, '/api/policy: GET and PUT');
      assert.ok(doc.paths['/api/policy/versions']?.get, '/api/policy/versions');
      assert.ok(doc.paths['/api/policy/simulate']?.post, '/api/policy/simulate');
      assert.deepEqual(doc.paths['/api/policy'].put.tags, ['policy']);
      const schema = doc.components.schemas.PolicyDocument;
      assert.ok(schema, 'PolicyDocument');
      assert.deepEqual(Object.keys(schema.properties), ALLOWED_TOP.split(', '));
    });
  });
}
