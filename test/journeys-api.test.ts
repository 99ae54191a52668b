/**
 * The journeys, messages and outbox API: bad definitions are refused naming
 * the part at fault; status moves; stats; outcomes reported on messages; the
 * timeline holds inbound events and outbound messages in one stream.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';

const send = (content = 'Hi', channel = 'email') => ({ id: 's', send: { channel, content } });
const valid = { entry: { event: { name: 'Go' } }, steps: [send()] };

const BAD: { name: string; definition: unknown; says: RegExp }[] = [
  { name: 'not an object', definition: 'x', says: /\/: expected object/i },
  { name: 'no steps', definition: { entry: valid.entry, steps: [] }, says: /\/steps: needs at least 1 item/ },
  { name: 'a goal with no window', definition: { ...valid, goal: { event: 'Order Completed' } }, says: /\/goal\/within: is required/ },
  {
    name: 'an unknown step kind',
    definition: { entry: valid.entry, steps: [{ id: 'a', teleport: {} }] },
    says: /\/steps\/0: a step needs exactly one of wait, /i,
  },
  {
    name: 'two kinds in one step',
    definition: { entry: valid.entry, steps: [{ id: 'a', exit: {}, wait: { hours: 1 } }] },
    says: /\/steps\/0: .*it has wait and exit/,
  },
  {
    name: 'a misspelled field',
    definition: { entry: valid.entry, steps: [{ id: 'a', wait: { hours: 1 }, nxt: 'b' }] },
    says: /\/steps\/0\/nxt: is not a field here; allowed: id, wait, next/,
  },
  {
    name: 'an unknown entry',
    definition: { entry: { webhook: {} }, steps: [send()] },
    says: /\/entry: an entry needs exactly one of event, segment, stage, schedule/,
  },
  {
    name: 'a next step that does not exist',
    definition: { entry: valid.entry, steps: [{ ...send(), next: 'nope' }] },
    says: /\/steps\/0\/next: no step has the id "nope"/,
  },
  {
    name: 'a cycle',
    definition: {
      entry: valid.entry,
      steps: [
        { id: 'a', wait: { hours: 1 }, next: 'b' },
        { id: 'b', wait: { hours: 1 }, next: 'a' },
      ],
    },
    says: /\/steps\/1\/next: going to "a" makes a cycle/,
  },
  { name: 'an unreachable step', definition: { entry: valid.entry, steps: [send(), { id: 'lost', exit: {} }] }, says: /\/steps\/1: no step leads to "lost"/ },
  { name: 'a duplicate step id', definition: { entry: valid.entry, steps: [{ ...send(), next: 's' }, send()] }, says: /\/steps\/1\/id: the id "s" is taken/ },
  {
    name: 'unknown content',
    definition: { entry: valid.entry, steps: [send('Nope')] },
    says: /\/steps\/0\/send\/content: no content item has the id or name "Nope"/,
  },
  {
    name: 'content with no variant for the channel',
    definition: { entry: valid.entry, steps: [send('Hi', 'sms')] },
    says: /\/steps\/0\/send\/content: content "Hi" has no sms variant/,
  },
  {
    name: 'an unknown segment',
    definition: { entry: { segment: { name: 'ghosts' } }, steps: [send()] },
    says: /\/entry\/segment\/name: no segment has the id or name "ghosts"/,
  },
  {
    name: 'an unknown stage',
    definition: { entry: { stage: { to: 'nirvana' } }, steps: [send()] },
    says: /\/entry\/stage\/to: the lifecycle model has no stage "nirvana"/,
  },
  {
    name: 'a bad branch condition',
    definition: { entry: valid.entry, steps: [{ id: 'b', branch: { trait: 'x', op: 'gt', value: 'a' }, then: 's' }, send()] },
    says: /\/steps\/0\/branch\/value: gt needs a number/,
  },
  {
    name: 'a key on a segment entry',
    definition: { entry: { segment: { name: 'all' } }, key: 'properties.id', steps: [send()] },
    says: /\/key: only a journey entered by an event/,
  },
  {
    name: 'a zero wait',
    definition: { entry: valid.entry, steps: [{ id: 'w', wait: {}, next: 's' }, send()] },
    says: /\/steps\/0\/wait: must be longer than zero/,
  },
  { name: 'a bad time zone', definition: { ...valid, timezone: 'Mars/Olympus' }, says: /\/timezone: "Mars\/Olympus" is not an IANA time zone/ },
  {
    name: 'a bad local time',
    definition: { entry: valid.entry, steps: [{ id: 'w', waitUntil: { localTime: '25:00' }, next: 's' }, send()] },
    says: /\/steps\/0\/waitUntil\/localTime/,
  },
  {
    name: 'a bad schedule date',
    definition: { entry: { schedule: { segment: 'all', at: 'tomorrow' } }, steps: [send()] },
    says: /\/entry\/schedule\/at: must be an ISO 8601/,
  },
  { name: 're-entry after with no period', definition: { ...valid, reentry: { mode: 'after' } }, says: /\/reentry\/after: re-entry "after" needs a period/ },
];

for (const dialect of DIALECTS) {
  describe(`journeys API (${dialect.name})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(dialect);
      await h.content('Hi', { email: { subject: 'Hi {{ profile.traits.firstName }}', html: '<b>{{ profile.traits.firstName }}</b>' } });
      assert.equal((await h.api('POST', '/api/segments', { name: 'all', condition: { trait: 'email', op: 'exists' } })).status, 201);
    });
    after(() => h.dispose());

    for (const bad of BAD) {
      it(`refuses ${bad.name}, naming the part`, async () => {
        const r = await h.api('POST', '/api/journeys', { name: `bad ${bad.name}`, definition: bad.definition });
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.equal(r.body.error.code, 'TP_INVALID_JOURNEY');
        assert.match(r.body.error.message, bad.says);
      });
    }

    it('moves status by the rules, and refuses a taken name and an unknown journey', async () => {
      const created = await h.api('POST', '/api/journeys', { name: 'Status', definition: valid });
      assert.equal(created.status, 201);
      assert.equal(created.body.status, 'draft');
      assert.equal((await h.api('POST', '/api/journeys', { name: 'Status', definition: valid })).body.error.code, 'TP_JOURNEY_EXISTS');
      const pause = await h.api('POST', '/api/journeys/Status/status', { status: 'paused' });
      assert.equal(pause.status, 409);
      assert.equal(pause.body.error.code, 'TP_JOURNEY_STATUS');
      for (const status of ['live', 'paused', 'live', 'archived'])
        assert.equal((await h.api('POST', '/api/journeys/Status/status', { status })).body.status, status);
      assert.equal((await h.api('POST', '/api/journeys/Status/status', { status: 'live' })).body.error.code, 'TP_JOURNEY_STATUS');
      assert.equal((await h.api('PUT', '/api/journeys/Status', { description: 'x' })).body.error.code, 'TP_JOURNEY_STATUS');
      assert.equal((await h.api('GET', '/api/journeys/nope')).body.error.code, 'TP_JOURNEY_NOT_FOUND');
      assert.equal((await h.api('POST', '/api/journeys/Status/status', { status: 'gone' })).status, 400);
    });

    it('edits a draft in place and versions a journey that has been live', async () => {
      const id = (await h.api('POST', '/api/journeys', { name: 'Edits', definition: valid })).body.id;
      assert.equal((await h.api('PUT', `/api/journeys/${id}`, { definition: valid })).body.version, 1);
      await h.api('POST', `/api/journeys/${id}/status`, { status: 'live' });
      assert.equal((await h.api('PUT', `/api/journeys/${id}`, { definition: valid })).body.version, 2);
      const bad = await h.api('PUT', `/api/journeys/${id}`, { definition: { ...valid, steps: [send('Nope')] } });
      assert.equal(bad.body.error.code, 'TP_INVALID_JOURNEY');
      assert.equal((await h.api('GET', `/api/journeys/${id}`)).body.version, 2);
    });

    it('counts a journey, reports outcomes on its messages, and shows them in the timeline beside the events', async () => {
      await h.journey('Counted', { entry: { event: { name: 'Ping' } }, reentry: { mode: 'always' }, steps: [send()] });
      await h.identify('ann', { email: 'ann@example.com', firstName: 'Ann <3', consent: { email: 'granted' } });
      await h.identify('bob', { email: 'bob@example.com' });
      await h.track('ann', 'Ping');
      await h.track('bob', 'Ping');
      await h.settle();
      const stats = (await h.api('GET', '/api/journeys/Counted/stats')).body.stats;
      assert.equal(stats.entered, 2);
      assert.equal(stats.messages.sent, 1);
      assert.deepEqual(stats.messages.suppressed, { no_consent: 1 });
      assert.deepEqual(
        stats.steps.map((s: { id: string; reached: number; now: number; passed: number; sent: number }) => [s.id, s.reached, s.now, s.passed, s.sent]),
        [['s', 2, 0, 2, 1]],
      );

      const ann = await h.profileOf('ann');
      const [message] = await h.messages(`&profileId=${ann}`);
      assert.equal(message.status, 'sent');
      assert.equal(message.rendered.subject, 'Hi Ann <3');
      assert.equal(message.rendered.html, '<b>Ann &lt;3</b>', 'HTML escapes by default');
      const [suppressed] = await h.messages(`&status=suppressed`);
      assert.equal(suppressed.reason, 'no_consent');
      assert.equal((await h.api('POST', `/api/messages/${suppressed.id}/events`, { status: 'delivered' })).body.error.code, 'TP_MESSAGE_NOT_SENT');
      assert.equal((await h.api('POST', '/api/messages/msg_nope/events', { status: 'opened' })).body.error.code, 'TP_MESSAGE_NOT_FOUND');
      assert.equal((await h.api('POST', `/api/messages/${message.id}/events`, { status: 'read' })).status, 400);
      for (const status of ['delivered', 'clicked', 'opened'])
        assert.equal((await h.api('POST', `/api/messages/${message.id}/events`, { status })).status, 200);
      const full = (await h.api('GET', `/api/messages/${message.id}`)).body;
      assert.equal(full.status, 'clicked', 'an open reported after a click does not move the message back');
      assert.deepEqual(
        full.history.map((s: { status: string }) => s.status),
        ['requested', 'allowed', 'rendered', 'queued', 'sent', 'delivered', 'clicked', 'opened'],
      );

      const outbox = (await h.api('GET', '/api/outbox?limit=1')).body;
      assert.equal(outbox.messages.length, 1);
      const rest = (await h.api('GET', `/api/outbox?after=${outbox.next}`)).body;
      assert.ok(rest.messages.every((m: { status: string }) => m.status !== 'suppressed'));
      assert.equal((await h.api('GET', '/api/outbox?after=garbage')).body.error.code, 'TP_INVALID_CURSOR');

      const timeline = (await h.api('GET', `/api/profiles/${ann}/timeline?limit=2`)).body;
      assert.deepEqual(
        timeline.events.map((e: { direction: string }) => e.direction),
        ['outbound', 'inbound'],
      );
      assert.equal(timeline.events[0].journeyId, (await h.api('GET', '/api/journeys/Counted')).body.id);
      const page2 = (await h.api('GET', `/api/profiles/${ann}/timeline?limit=2&before=${timeline.next}`)).body;
      assert.ok(page2.events.every((e: { direction: string }) => e.direction === 'inbound'));
      const outboundOnly = (await h.api('GET', `/api/profiles/${ann}/timeline?direction=outbound`)).body;
      assert.equal(outboundOnly.events.length, 1);
    });

    it('erasing a person erases their messages and enrolments; a merged customer goes on as the survivor', async () => {
      const steps = [
        { ...send(), next: 'w' },
        { id: 'w', wait: { hours: 1 }, next: 't' },
        { ...send(), id: 't' },
      ];
      await h.journey('Erasable', { entry: { event: { name: 'Erase me' } }, steps });
      await h.identify('eve', { email: 'eve@example.com', consent: { email: 'granted' } });
      await h.track('eve', 'Erase me');
      await h.identify('max', { email: 'max@example.com', consent: { email: 'granted' } });
      await h.send({ type: 'track', anonymousId: 'visitor-9', event: 'Erase me' });
      await h.settle();
      const eve = await h.profileOf('eve');
      assert.equal((await h.messages(`&profileId=${eve}`)).length, 1);
      assert.equal((await h.api('DELETE', `/api/profiles/${eve}`)).status, 200);
      assert.equal((await h.messages(`&profileId=${eve}`)).length, 0);
      assert.equal((await h.api('GET', `/api/journeys/Erasable/enrolments?profileId=${eve}`)).body.enrolments.length, 0);

      // The anonymous visitor logs in as max: the two profiles merge while the visitor waits in the journey.
      const journeyId = (await h.api('GET', '/api/journeys/Erasable')).body.id;
      const [first] = await h.messages(`&journeyId=${journeyId}`);
      assert.equal(first.reason, 'no_address', 'the visitor had no email yet');
      await h.send({ type: 'identify', userId: 'max', anonymousId: 'visitor-9' });
      await h.settle();
      await h.advance(2 * 3_600_000);
      const [second] = await h.messages(`&journeyId=${journeyId}`);
      assert.equal(second.stepId, 't');
      assert.equal(second.status, 'sent', JSON.stringify(second));
      assert.equal(second.profileId, await h.profileOf('max'));
      assert.equal(second.rendered.subject, 'Hi ');
    });

    it('a visitor waiting for an event, merged into a known customer, is resumed by that customer\u2019s event', async () => {
      const steps = [{ id: 'w', waitFor: { event: 'Checkout Started', timeout: { hours: 2 } }, next: 's' }, send()];
      await h.journey('Merged wait', { entry: { event: { name: 'Browsed' } }, steps });
      await h.identify('mia', { email: 'mia@example.com', consent: { email: 'granted' } });
      await h.send({ type: 'track', anonymousId: 'visitor-mia', event: 'Browsed' });
      await h.settle();
      const [waiting] = (await h.api('GET', '/api/journeys/Merged%20wait/enrolments')).body.enrolments;
      assert.equal(waiting.stepId, 'w');
      await h.send({ type: 'identify', userId: 'mia', anonymousId: 'visitor-mia' });
      await h.settle();
      const mia = await h.profileOf('mia');
      await h.track('mia', 'Checkout Started');
      await h.settle();
      const [e] = (await h.api('GET', '/api/journeys/Merged%20wait/enrolments')).body.enrolments;
      assert.equal(e.status, 'completed', JSON.stringify(e));
      assert.equal(e.profileId, mia);
      const [message] = await h.messages(`&journeyId=${e.journeyId}`);
      assert.equal(message.status, 'sent');
      assert.equal(message.profileId, mia);
      // Which profile survives the merge decides whether the enrolment had to move; say which case ran.
      assert.ok(typeof waiting.profileId === 'string');
      if (waiting.profileId !== mia) assert.notEqual(waiting.profileId, e.profileId, 'the enrolment moved to the survivor');
    });

    it('refuses to delete content a journey sends, naming the journey', async () => {
      await h.api('POST', '/api/journeys', { name: 'Uses Hi', definition: valid });
      const refused = await h.api('DELETE', '/api/content/Hi');
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'TP_CONTENT_IN_USE');
      assert.match(refused.body.error.message, /Uses Hi/);
    });

    it('archiving exits everyone still in the journey', async () => {
      await h.journey('Long', { entry: { event: { name: 'Long' } }, steps: [{ id: 'w', wait: { days: 30 }, next: 's' }, send()] });
      await h.identify('cy', { email: 'cy@example.com', consent: { email: 'granted' } });
      await h.track('cy', 'Long');
      await h.settle();
      assert.equal((await h.api('GET', '/api/journeys/Long/enrolments?status=active')).body.enrolments.length, 1);
      await h.api('POST', '/api/journeys/Long/status', { status: 'archived' });
      const [e] = (await h.api('GET', '/api/journeys/Long/enrolments')).body.enrolments;
      assert.equal(e.status, 'exited');
      assert.equal(e.exitReason, 'archived');
    });
  });
}
