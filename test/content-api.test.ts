/** The content library through the API: CRUD, refusals with their codes, and previews for profiles made by tracked events. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createContent } from '../src/content/index.js';
import type { TouchpointError } from '../src/errors.js';
import { DIALECTS } from './support/dialects.js';
import { admin, basic, startTestServer, type TestServer } from './support/touchpoint.js';

const welcome = {
  name: 'Welcome',
  description: 'First message',
  variants: {
    email: {
      subject: 'Welcome, {{ traits.firstName }}',
      html: '<h1>Hi {{ traits.firstName }}</h1>\n<p>You are {{ profile.stage }}. {{ traits.firstName | raw }}</p>\n<p>{{ profile.traits.lastName }}</p>',
    },
    sms: { text: 'Hi {{ traits.firstName }}, {{ profile.computedTraits.orders }} orders' },
  },
};

for (const dialect of DIALECTS) {
  describe(`content API on ${dialect.name}`, () => {
    let tp: TestServer;
    let profileId: string;
    const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
      tp.app.inject({ method, url, headers: admin(), ...(payload !== undefined && { payload: payload as object }) });
    const refusal = async (method: 'POST' | 'PUT', url: string, payload: unknown) => {
      const response = await api(method, url, payload);
      return { status: response.statusCode, ...(response.json().error as { code: string; message: string; problems?: unknown }) };
    };

    /** Sends events through the tracking API and waits until the pipeline (and any back-fill) has processed them. */
    const track = async (...batch: object[]) => {
      const sent = await tp.app.inject({ method: 'POST', url: '/v1/batch', headers: basic(key), payload: { batch } });
      assert.equal(sent.statusCode, 200, sent.body);
      await tp.touchpoint.pipeline.drain();
      await tp.touchpoint.jobs.settle();
      await tp.touchpoint.pipeline.drain();
    };
    let key: string;

    before(async () => {
      tp = await startTestServer(dialect);
      key = (await tp.createSource('Shop', 'web')).writeKey;
      await track({ type: 'identify', userId: 'u1', traits: { firstName: 'Ann <3', email: 'ann@example.com' } });
      profileId = (await api('GET', '/api/profiles/lookup?kind=userId&value=u1')).json().id;
      assert.ok(profileId);
    });
    after(() => tp.dispose());

    it('creates, reads, lists a page at a time, replaces and deletes content', async () => {
      const created = await api('POST', '/api/content', welcome);
      assert.equal(created.statusCode, 201, created.body);
      const item = created.json();
      assert.match(item.id, /^cnt_/);
      assert.deepEqual(
        [item.name, item.description, item.variants, item.createdAt],
        [welcome.name, welcome.description, welcome.variants, '2026-11-23T12:00:00.000Z'],
      );
      assert.deepEqual((await api('GET', `/api/content/${item.id}`)).json(), item);
      assert.deepEqual((await api('GET', '/api/content/Welcome')).json(), item);
      assert.equal((await api('POST', '/api/content', { name: 'Abandoned cart', variants: { push: { title: 'Still there?', body: 'x' } } })).statusCode, 201);

      const first = (await api('GET', '/api/content?limit=1')).json();
      assert.deepEqual(
        first.content.map((c: { name: string; channels: string[] }) => [c.name, c.channels]),
        [['Abandoned cart', ['push']]],
      );
      const second = (await api('GET', `/api/content?limit=1&after=${first.next}`)).json();
      assert.deepEqual(
        second.content.map((c: { name: string; channels: string[] }) => [c.name, c.channels]),
        [['Welcome', ['email', 'sms']]],
      );
      assert.equal((await api('GET', `/api/content?limit=1&after=${second.next}`)).json().next, null);
      assert.equal((await api('GET', '/api/content?after=nonsense')).json().error.code, 'TP_INVALID_CURSOR');

      tp.clock.advance(60_000);
      const replaced = await api('PUT', `/api/content/${item.id}`, { name: 'Welcome back', variants: { sms: { text: 'Back, {{ traits.firstName }}?' } } });
      assert.equal(replaced.statusCode, 200, replaced.body);
      assert.deepEqual(
        [replaced.json().name, replaced.json().description, replaced.json().variants, replaced.json().createdAt, replaced.json().updatedAt],
        ['Welcome back', null, { sms: { text: 'Back, {{ traits.firstName }}?' } }, item.createdAt, '2026-11-23T12:01:00.000Z'],
      );
      assert.equal((await api('GET', '/api/content/Welcome')).json().error.code, 'TP_CONTENT_NOT_FOUND');

      assert.equal((await api('DELETE', '/api/content/Welcome%20back')).statusCode, 204);
      const gone = await api('GET', `/api/content/${item.id}`);
      assert.deepEqual([gone.statusCode, gone.json().error.code], [404, 'TP_CONTENT_NOT_FOUND']);
      assert.equal((await api('DELETE', `/api/content/${item.id}`)).json().error.code, 'TP_CONTENT_NOT_FOUND');
      assert.equal((await api('PUT', `/api/content/${item.id}`, welcome)).json().error.code, 'TP_CONTENT_NOT_FOUND');
      assert.equal((await api('DELETE', '/api/content/Abandoned%20cart')).statusCode, 204);
    });

    it('refuses a name another item has, on create and on rename', async () => {
      assert.equal((await api('POST', '/api/content', { name: 'Taken', variants: { sms: { text: 'a' } } })).statusCode, 201);
      assert.equal((await api('POST', '/api/content', { name: 'Other', variants: { sms: { text: 'b' } } })).statusCode, 201);
      assert.deepEqual(await refusal('POST', '/api/content', { name: 'Taken', variants: { sms: { text: 'c' } } }), {
        status: 409,
        code: 'TP_CONTENT_EXISTS',
        message: 'A content item named "Taken" exists already.',
      });
      assert.equal((await refusal('PUT', '/api/content/Other', { name: 'Taken', variants: { sms: { text: 'b' } } })).code, 'TP_CONTENT_EXISTS');
      assert.equal((await api('PUT', '/api/content/Other', { name: 'Other', variants: { sms: { text: 'b2' } } })).statusCode, 200, 'keeping its own name');
      assert.equal((await api('GET', '/api/content/Taken')).json().variants.sms.text, 'a');
    });

    it('refuses bad input with a stable code and the JSON pointer of the part at fault, saving nothing', async () => {
      const cases: [unknown, string, RegExp][] = [
        [{ name: 'Bad' }, 'TP_INVALID_CONTENT', /\/variants: is required/],
        [{ name: 'Bad', variants: {} }, 'TP_INVALID_CONTENT', /\/variants: needs at least one variant: email, sms, push, webhook/],
        [
          { name: 'Bad', variants: { emial: { subject: 'x' } } },
          'TP_INVALID_CONTENT',
          /\/variants\/emial: is not a field here; allowed: email, sms, push, webhook/,
        ],
        [{ name: 'Bad', variants: { email: { html: '<p>x</p>' } } }, 'TP_INVALID_CONTENT', /\/variants\/email\/subject: is required/],
        [{ name: 'Bad', variants: { sms: { text: 42 } } }, 'TP_INVALID_CONTENT', /\/variants\/sms\/text: expected string/],
        [{ name: '', variants: { sms: { text: 'x' } } }, 'TP_INVALID_CONTENT', /\/name: /],
        [{ name: 'Bad', variants: { webhook: {} } }, 'TP_INVALID_CONTENT', /\/variants\/webhook\/payload: is required/],
      ];
      for (const [body, code, message] of cases) {
        const refused = await refusal('POST', '/api/content', body);
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.equal(refused.code, code, JSON.stringify(body));
        assert.match(refused.message, message);
      }
      const empty = await tp.app.inject({ method: 'POST', url: '/api/content', headers: { ...admin(), 'content-type': 'application/json' } });
      assert.equal(empty.json().error.code, 'TP_INVALID_JSON');
      assert.equal((await refusal('PUT', '/api/content/Other', { name: 'Other', variants: { push: { title: 'x' } } })).code, 'TP_INVALID_CONTENT');
      assert.equal((await api('GET', '/api/content/Bad')).statusCode, 404);
    });

    it('refuses a template that does not parse, naming the field, line and column', async () => {
      const html = '<p>\n  Hello\n    {% iff traits.vip %}VIP{% endif %}\n</p>';
      const refused = await refusal('POST', '/api/content', { name: 'Broken', variants: { email: { subject: 'Hi', html } } });
      assert.equal(refused.status, 400);
      assert.equal(refused.code, 'TP_INVALID_TEMPLATE');
      assert.equal(refused.message, 'A template does not parse: /variants/email/html: line 3, column 5: tag "iff" not found.');
      assert.deepEqual(refused.problems, [{ pointer: '/variants/email/html', line: 3, column: 5, message: 'tag "iff" not found' }]);
      const webhook = await refusal('PUT', '/api/content/Other', {
        name: 'Other',
        variants: { webhook: { payload: { lines: ['ok', '{{ traits.x | nope }}'] } } },
      });
      assert.equal(webhook.code, 'TP_INVALID_TEMPLATE');
      assert.match(webhook.message, /\/variants\/webhook\/payload\/lines\/1: line 1, column 1: undefined filter: nope/);
      assert.equal((await api('GET', '/api/content/Broken')).statusCode, 404);
      assert.equal((await api('GET', '/api/content/Other')).json().variants.sms.text, 'b2', 'the item was left as it was');
    });

    it('previews a variant for a profile made by tracked events, reporting the variables it lacks', async () => {
      assert.equal((await api('POST', '/api/content', welcome)).statusCode, 201);
      const email = await api('POST', '/api/content/Welcome/preview', { profileId, channel: 'email' });
      assert.equal(email.statusCode, 200, email.body);
      assert.deepEqual(email.json(), {
        channel: 'email',
        rendered: {
          subject: 'Welcome, Ann <3',
          html: '<h1>Hi Ann &lt;3</h1>\n<p>You are consideration. Ann <3</p>\n<p></p>',
          text: 'Hi Ann <3\n\nYou are consideration. Ann <3',
          linkHosts: [],
        },
        missing: ['profile.traits.lastName'],
      });
      const sms = (await api('POST', '/api/content/Welcome/preview', { profileId, channel: 'sms' })).json();
      assert.deepEqual(sms, { channel: 'sms', rendered: { text: 'Hi Ann <3,  orders' }, missing: ['profile.computedTraits.orders'] });
    });

    it('previews a webhook with a sample event', async () => {
      const payload = { to: '{{ profile.id }}', order: { total: '{{ event.properties.total }}', items: ['{{ event.properties.items.first }}'] }, n: 1 };
      const created = await api('POST', '/api/content', { name: 'Order hook', variants: { webhook: { payload } } });
      assert.equal(created.statusCode, 201, created.body);
      assert.deepEqual(created.json().variants, { webhook: { payload } });
      const event = { event: 'Order Completed', properties: { total: 42.5, items: ['shoe'] } };
      const preview = (await api('POST', '/api/content/Order%20hook/preview', { profileId, channel: 'webhook', event })).json();
      assert.deepEqual(preview, { channel: 'webhook', rendered: { payload: { to: profileId, order: { total: '42.5', items: ['shoe'] }, n: 1 } }, missing: [] });
      const without = (await api('POST', '/api/content/Order%20hook/preview', { profileId, channel: 'webhook' })).json();
      assert.deepEqual(without.missing, ['event.properties.total', 'event.properties.items.first']);
    });

    it('previews a merged-away profile id as the profile it was merged into', async () => {
      await track({ type: 'identify', userId: 'carl', traits: { name: 'Carl' } }, { type: 'identify', anonymousId: 'c-dev', traits: { shoe: 44 } });
      await track({ type: 'alias', previousId: 'c-dev', userId: 'carl' });
      const carl = (await api('GET', '/api/profiles/lookup?kind=userId&value=carl')).json();
      const merged = carl.merges[0].mergedId;
      assert.ok(merged && merged !== carl.id);
      assert.equal(
        (await api('POST', '/api/content', { name: 'Who', variants: { sms: { text: '{{ profile.id }} {{ traits.name }} {{ traits.shoe }}' } } })).statusCode,
        201,
      );
      for (const id of [carl.id, merged]) {
        const preview = (await api('POST', '/api/content/Who/preview', { profileId: id, channel: 'sms' })).json();
        assert.deepEqual(preview.rendered, { text: `${carl.id} Carl 44` }, id);
      }
    });

    it('answers an unknown profile, unknown content and a missing variant with their codes', async () => {
      const noProfile = await api('POST', '/api/content/Welcome/preview', { profileId: 'prf_nobody', channel: 'email' });
      assert.deepEqual([noProfile.statusCode, noProfile.json().error.code], [404, 'TP_PROFILE_NOT_FOUND']);
      const noContent = await api('POST', '/api/content/Nothing/preview', { profileId, channel: 'email' });
      assert.deepEqual([noContent.statusCode, noContent.json().error.code], [404, 'TP_CONTENT_NOT_FOUND']);
      const noVariant = await api('POST', '/api/content/Welcome/preview', { profileId, channel: 'push' });
      assert.deepEqual(
        [noVariant.statusCode, noVariant.json().error],
        [422, { code: 'TP_CONTENT_NO_VARIANT', message: 'Content Welcome has no push variant; it has email, sms.' }],
      );
      const badChannel = await api('POST', '/api/content/Welcome/preview', { profileId, channel: 'fax' });
      assert.deepEqual([badChannel.statusCode, badChannel.json().error.code], [400, 'TP_VALIDATION']);
      assert.match(badChannel.json().error.message, /body\/channel must be one of email, sms, push, webhook/);
    });

    it('refuses to delete content a journey uses, naming the journeys', async () => {
      const content = createContent({
        store: tp.touchpoint.store,
        now: tp.clock.now,
        newId: () => 'cnt_unused',
        profileScope: async () => undefined,
        isReferenced: async (id) => (id === (await tp.touchpoint.content.find('Welcome')).id ? ['Onboarding', 'Win-back'] : []),
      });
      await assert.rejects(content.remove('Welcome'), (error: TouchpointError) => {
        assert.equal(error.code, 'TP_CONTENT_IN_USE');
        assert.equal(error.status, 409);
        assert.equal(error.message, 'Content Welcome is used by the journeys Onboarding, Win-back; change those first.');
        return true;
      });
      assert.ok(await content.get('Welcome'), 'still there');
      await content.remove('Order hook');
      assert.equal(await content.get('Order hook'), undefined);
    });

    it('describes the routes in the OpenAPI document', async () => {
      const doc = (await tp.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      for (const path of ['/api/content', '/api/content/{id}', '/api/content/{id}/preview']) assert.ok(doc.paths[path], path);
      assert.deepEqual(doc.paths['/api/content'].post.tags, ['content']);
      assert.ok(doc.components.schemas.ContentInput);
    });
  });
}
