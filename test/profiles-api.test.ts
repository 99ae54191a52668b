/** The profiles API end to end: events in through /v1, profiles out through /api. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from './support/dialects.js';
import { admin, basic, startTestServer, type TestServer } from './support/touchpoint.js';

for (const dialect of DIALECTS) {
  describe(`profiles API on ${dialect.name}`, () => {
    let tp: TestServer;
    let web: string;
    let store: string;
    const api = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      tp.app.inject({ method, url, headers: admin(), ...(payload && { payload }) });
    const send = async (key: string, batch: object[]) => {
      const response = await tp.app.inject({ method: 'POST', url: '/v1/batch', headers: basic(key), payload: { batch } });
      assert.equal(response.statusCode, 200, response.body);
      await tp.touchpoint.pipeline.drain();
    };
    before(async () => {
      tp = await startTestServer(dialect, { TOUCHPOINT_CONSENT_DEFAULTS: '{"push":"opt-out"}' });
      web = (await tp.createSource('Web', 'web')).writeKey;
      store = (await tp.createSource('POS', 'store')).writeKey;
      await send(web, [
        { type: 'page', anonymousId: 'a-1', name: 'Home', context: { campaign: { source: 'google', medium: 'cpc', name: 'brand' } } },
        { type: 'identify', userId: 'ann', anonymousId: 'a-1', traits: { name: 'Ann Lee', email: 'ann@example.com', phone: '+44 20 7946 0958' } },
        { type: 'group', userId: 'ann', groupId: 'lee-home', traits: { type: 'household' } },
      ]);
      await send(store, [
        { type: 'track', userId: 'ann', event: 'Order Completed', properties: { total: 80, revenue: 80 } },
        { type: 'track', userId: 'ben', event: 'Order Completed', properties: { total: 20, revenue: 20 } },
        { type: 'group', userId: 'ben', groupId: 'lee-home', traits: { type: 'household' } },
      ]);
    });
    after(() => tp.dispose());

    it('finds profiles by identifier, trait value or id', async () => {
      for (const q of ['ann@example.com', 'ANN@example.com', '+442079460958', 'Ann Lee', 'a-1']) {
        const found = (await api('GET', `/api/profiles?q=${encodeURIComponent(q)}`)).json();
        assert.equal(found.profiles.length, 1, q);
        assert.equal(found.profiles[0].name, 'Ann Lee');
      }
      assert.deepEqual((await api('GET', '/api/profiles?q=nobody')).json().profiles, []);
      const page1 = (await api('GET', '/api/profiles?limit=1')).json();
      const page2 = (await api('GET', `/api/profiles?limit=1&before=${page1.next}`)).json();
      assert.equal(page1.profiles.length + page2.profiles.length, 2);
      assert.notEqual(page1.profiles[0].id, page2.profiles[0].id);
    });

    it('finds profiles by the start of a name, email, identifier or id, case aside, each once and live', async () => {
      await send(web, [
        { type: 'identify', userId: 'ann-1', traits: { name: 'Annette Moreau' } },
        { type: 'identify', userId: 'Bea-7', traits: { name: 'Bea Müller', lastName: 'Müller', email: 'Bea@Example.com' } },
        { type: 'identify', userId: 'Zoë-9', traits: { name: 'Zoë Ortiz' } },
        { type: 'identify', anonymousId: 'dev-77', traits: { plan: 'trial' } },
      ]);
      const bea = (await api('GET', '/api/profiles/lookup?kind=userId&value=Bea-7')).json().id as string;
      const dev = (await api('GET', '/api/profiles/lookup?kind=anonymousId&value=dev-77')).json().id as string;
      await send(web, [{ type: 'alias', previousId: 'dev-77', userId: 'Bea-7' }]);
      const names = async (q: string, limit = 20) => {
        const response = await api('GET', `/api/profiles?q=${encodeURIComponent(q)}&limit=${limit}`);
        assert.equal(response.statusCode, 200, response.body);
        return response.json().profiles.map((p: { name: string | null; id: string }) => p.name ?? p.id);
      };
      const cases: [string, string[]][] = [
        ['Müll', ['Bea Müller']],
        ['MÜLLER', ['Bea Müller']],
        ['bea@', ['Bea Müller']],
        ['BEA@EXAMPLE.COM', ['Bea Müller']],
        ['bea', ['Bea Müller']],
        ['ANN', ['Ann Lee', 'Annette Moreau']],
        ['ann-', ['Annette Moreau']],
        ['annette m', ['Annette Moreau']],
        ['zoë', ['Zoë Ortiz']],
        ['ZOË', ['Zoë Ortiz']],
        ['+44 20 7946', ['Ann Lee']],
        ['+4420794', ['Ann Lee']],
        [bea.slice(0, 12).toUpperCase(), ['Bea Müller']],
        [dev, ['Bea Müller']],
        [dev.slice(0, 12), ['Bea Müller']],
        ['%', []],
        ['_', []],
        ['an%', []],
        ['nobody', []],
      ];
      for (const [q, expected] of cases) assert.deepEqual(await names(q), expected, q);
      assert.deepEqual(await names('a', 1), ['Ann Lee'], 'limited');
      assert.equal((await names('trial')).length, 1, "the merged-away profile's traits live on in its survivor");
    });

    it('shows a profile whole, and looks it up by identifier', async () => {
      const view = (await api('GET', '/api/profiles/lookup?kind=email&value=Ann@Example.com')).json();
      assert.equal(view.traits.name, 'Ann Lee');
      assert.deepEqual(view.channels, ['store', 'web']);
      assert.deepEqual(view.identities.map((i: { kind: string }) => i.kind).sort(), ['anonymousId', 'email', 'phone', 'userId']);
      assert.equal(view.household.id, 'hh_lee-home');
      assert.deepEqual(view.orders, { count: 1, revenue: 80 });
      assert.equal(view.firstTouch.source, 'google');
      assert.equal(view.traitSources.name.sourceId.startsWith('src_'), true);
      assert.deepEqual(view.consent.email.marketing, { status: 'unknown', allowed: false, default: 'opt-in', at: null, sourceId: null });
      assert.equal(view.consent.push.marketing.allowed, true, 'configured opt-out');
      const same = (await api('GET', `/api/profiles/${view.id}`)).json();
      assert.equal(same.id, view.id);
      const missing = await api('GET', '/api/profiles/lookup?kind=email&value=nobody@example.com');
      assert.equal(missing.json().error.code, 'TP_PROFILE_NOT_FOUND');
      assert.equal((await api('GET', '/api/profiles/lookup?kind=shoeSize&value=9')).json().error.code, 'TP_VALIDATION');
    });

    it('pages through the timeline across channels, with filters', async () => {
      const id = (await api('GET', '/api/profiles/lookup?kind=userId&value=ann')).json().id;
      const all = (await api('GET', `/api/profiles/${id}/timeline?limit=2&channel=web`)).json();
      assert.equal(all.events.length, 2);
      assert.equal(all.events[0].message.type, 'group');
      const rest = (await api('GET', `/api/profiles/${id}/timeline?limit=10&channel=web&before=${all.next}`)).json();
      assert.equal(rest.events.length, 1);
      const internal = (await api('GET', `/api/profiles/${id}/timeline?channel=other`)).json();
      assert.ok(internal.events.some((e: { event: string }) => e.event === 'Stage Changed'));
      const store = (await api('GET', `/api/profiles/${id}/timeline?channel=store`)).json();
      assert.deepEqual(
        store.events.map((e: { channel: string }) => e.channel),
        ['store'],
      );
    });

    it('records consent through the API, as an event on the timeline', async () => {
      const id = (await api('GET', '/api/profiles/lookup?kind=userId&value=ann')).json().id;
      const response = await api('PUT', `/api/profiles/${id}/consent`, { channel: 'email', status: 'granted' });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().consent.email.marketing.status, 'granted');
      assert.equal(response.json().consent.email.marketing.allowed, true);
      const timeline = (await api('GET', `/api/profiles/${id}/timeline?limit=1`)).json();
      assert.equal(timeline.events[0].message.event, 'Consent Updated');
      assert.equal((await api('PUT', `/api/profiles/${id}/consent`, { channel: 'fax', status: 'granted' })).json().error.code, 'TP_VALIDATION');
    });

    it('shows a household with its members and totals', async () => {
      const household = (await api('GET', '/api/households/hh_lee-home')).json();
      assert.equal(household.totals.members, 2);
      assert.equal(household.totals.revenue, 100);
      assert.deepEqual(household.totals.channels, ['store', 'web'], 'consent an admin recorded is not the customer using a channel');
      assert.equal((await api('GET', '/api/households/nope')).json().error.code, 'TP_HOUSEHOLD_NOT_FOUND');
    });

    it('defines computed traits and shows them on profiles', async () => {
      const created = await api('POST', '/api/computed-traits', { name: 'lifetimeValue', aggregation: 'sum', event: 'Order Completed', property: 'revenue' });
      assert.equal(created.statusCode, 201, created.body);
      await tp.touchpoint.jobs.settle();
      assert.equal((await api('GET', `/api/computed-traits/${created.json().id}`)).json().status, 'ready');
      const view = (await api('GET', '/api/profiles/lookup?kind=userId&value=ann')).json();
      assert.equal(view.computedTraits.lifetimeValue, 80);
      assert.equal((await api('GET', '/api/computed-traits')).json().computedTraits.length, 1);
      const bad = await api('POST', '/api/computed-traits', { name: 'x', aggregation: 'median', property: 'revenue' });
      assert.equal(bad.json().error.code, 'TP_VALIDATION');
      assert.equal((await api('POST', '/api/computed-traits', { name: 'lifetimeValue', aggregation: 'count' })).json().error.code, 'TP_COMPUTED_TRAIT_EXISTS');
      assert.equal((await api('DELETE', '/api/computed-traits/lifetimeValue')).statusCode, 204);
      assert.equal((await api('GET', '/api/computed-traits/lifetimeValue')).json().error.code, 'TP_COMPUTED_TRAIT_NOT_FOUND');
    });

    it('redirects a merged-away id, unmerges, exports and erases', async () => {
      await send(web, [
        { type: 'identify', userId: 'carl', traits: { name: 'Carl' } },
        { type: 'identify', anonymousId: 'c-dev', traits: { shoe: 44 } },
      ]);
      await send(web, [{ type: 'alias', previousId: 'c-dev', userId: 'carl' }]);
      const carl = (await api('GET', '/api/profiles/lookup?kind=userId&value=carl')).json();
      const merged = carl.merges[0].mergedId;
      const redirect = await api('GET', `/api/profiles/${merged}`);
      assert.equal(redirect.statusCode, 308);
      assert.equal(redirect.headers.location, `/api/profiles/${carl.id}`);
      // No body, sent as JSON: the latest merge is undone.
      const split = await tp.app.inject({
        method: 'POST',
        url: `/api/profiles/${carl.id}/unmerge`,
        headers: { ...admin(), 'content-type': 'application/json' },
      });
      assert.equal(split.statusCode, 200, split.body);
      assert.equal(split.json().restored.id, merged);
      assert.equal((await api('POST', `/api/profiles/${carl.id}/unmerge`, {})).json().error.code, 'TP_MERGE_NOT_FOUND');

      const exported = await api('GET', `/api/profiles/${carl.id}/export`);
      assert.match(String(exported.headers['content-disposition']), new RegExp(`attachment; filename="${carl.id}.json"`));
      const document = exported.json();
      assert.deepEqual(Object.keys(document), ['exportedAt', 'profile', 'events']);
      assert.equal(document.exportedAt, '2026-11-23T12:00:00.000Z', 'the injected clock');
      const shown = (await api('GET', `/api/profiles/${carl.id}`)).json();
      assert.deepEqual(document.profile, shown, 'the profile as the API shows it, with where it stands');
      assert.equal(document.profile.stage.name, shown.stage.name);
      assert.ok(Array.isArray(document.profile.stageHistory) && Array.isArray(document.profile.segments));
      const timeline = (await api('GET', `/api/profiles/${carl.id}/timeline?limit=500`)).json().events;
      const seqs = timeline.map((e: { seq: number }) => e.seq).sort((a: number, b: number) => a - b);
      assert.deepEqual(
        document.events.map((e: { seq: number }) => e.seq),
        seqs,
        'every event, in log order',
      );
      assert.deepEqual(Object.keys(document.events[0]), ['seq', 'sourceId', 'channel', 'timestamp', 'message']);
      const last = document.events.find((e: { seq: number }) => e.seq === timeline[0].seq);
      assert.equal(last.timestamp, timeline[0].timestamp);
      assert.deepEqual(last.message, timeline[0].message);
      const erased = await api('DELETE', `/api/profiles/${carl.id}`);
      assert.equal(erased.statusCode, 200, erased.body);
      assert.equal((await api('GET', `/api/profiles/${carl.id}`)).json().error.code, 'TP_PROFILE_NOT_FOUND');
      assert.equal((await api('DELETE', `/api/profiles/${carl.id}`)).statusCode, 404);
      const again = await tp.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: basic(web),
        payload: {
          batch: [
            { type: 'identify', anonymousId: 'new-device', userId: 'carl', traits: { name: 'Carl again' } },
            { type: 'track', anonymousId: 'someone-else', event: 'Page Viewed' },
          ],
        },
      });
      assert.deepEqual(again.json(), { success: true, accepted: 1, duplicates: 0, erased: 1, rejected: [] });
      const stored = await tp.touchpoint.log.query({ anonymousId: 'new-device', limit: 10 });
      assert.deepEqual(stored, [], 'an event carrying an erased identifier is not stored at all');
    });
  });
}
