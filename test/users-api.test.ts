// Responses are JSON of many shapes; tests read them as they are.
/* biome-ignore-all lint/suspicious/noExplicitAny: API bodies in tests */
/** Users, sign-in, sessions, CSRF and roles over the management API; `touchpoint users`. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ROUTE_PERMISSIONS } from '../src/http/permissions.js';
import { cli } from './support/cli.js';
import { DIALECTS } from './support/dialects.js';
import { restartHarness, startHarness, type Harness } from './support/journeys.js';
import { admin, startTestServer } from './support/touchpoint.js';

const PASSWORD = 'a long enough password';
const HOUR = 3_600_000;
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface Signed {
  cookie: string;
  csrf: string;
}

const cookieOf = (r: LightMyRequestResponse) => String(r.headers['set-cookie']).split(';')[0]!;

for (const dialect of DIALECTS) {
  describe(`users and sessions (${dialect.name})`, () => {
    let h: Harness;
    const inject = (method: Method, url: string, headers: Record<string, string>, payload?: unknown) =>
      h.tp.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    const signIn = (email: string, password = PASSWORD, headers: Record<string, string> = {}) => inject('POST', '/api/session', headers, { email, password });
    const signedIn = async (email: string): Promise<Signed> => {
      const r = await signIn(email);
      assert.equal(r.statusCode, 200, r.body);
      return { cookie: cookieOf(r), csrf: r.json().csrfToken };
    };
    /** A request as the browser sends it: the cookie, and the CSRF header on changes. */
    const as = (s: Signed, method: Method, url: string, payload?: unknown, extra: Record<string, string> = {}) =>
      inject(method, url, { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }), ...extra }, payload);
    const addUser = async (email: string, role: string) => {
      const r = await h.api('POST', '/api/users', { email, role, password: PASSWORD });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.id as string;
    };

    before(async () => {
      h = await startHarness(dialect);
      await addUser('admin@example.com', 'admin');
      await addUser('marketer@example.com', 'marketer');
      await addUser('analyst@example.com', 'analyst');
    });
    after(() => h.dispose());

    it('creates users by CLI and by API; emails compare without case; bad input is refused with its code', async () => {
      const env = { TOUCHPOINT_DATABASE_URL: h.tp.config.databaseUrl };
      const created = await cli(['users', 'create', ' Boss@Example.com ', '--role', 'admin', '--name', 'The Boss', '--json'], env, `${PASSWORD}\n`);
      assert.equal(created.code, 0, created.stderr);
      assert.deepEqual(
        { ...JSON.parse(created.stdout), id: undefined, createdAt: undefined, updatedAt: undefined },
        { id: undefined, email: 'boss@example.com', name: 'The Boss', role: 'admin', disabled: false, createdAt: undefined, updatedAt: undefined },
      );
      assert.equal((await signIn('BOSS@example.com')).statusCode, 200);
      const listed = await cli(['users', 'list', '--json'], env);
      assert.deepEqual(
        JSON.parse(listed.stdout).map((u: any) => `${u.email} ${u.role}`),
        ['admin@example.com admin', 'analyst@example.com analyst', 'boss@example.com admin', 'marketer@example.com marketer'],
      );
      assert.match((await cli(['users', 'list'], env)).stdout, /boss@example\.com\s+admin\s+The Boss/);
      const short = await cli(['users', 'create', 'x@example.com', '--role', 'analyst', '--password-stdin'], env, 'short\n');
      assert.equal(short.code, 1);
      assert.match(short.stderr, /TP_INVALID_PASSWORD: A password needs at least 10 characters; this one has 5/);
      const twice = await cli(['users', 'create', 'boss@EXAMPLE.com', '--role', 'analyst'], env, `${PASSWORD}\n`);
      assert.match(twice.stderr, /TP_USER_EXISTS/);
      const badRole = await cli(['users', 'create', 'x@example.com', '--role', 'owner'], env, `${PASSWORD}\n`);
      assert.equal(badRole.code, 1);
      assert.match(badRole.stderr, /Allowed choices are admin, marketer, analyst/);

      const cases: [unknown, number, string][] = [
        [{ email: 'Analyst@Example.com', role: 'analyst', password: PASSWORD }, 409, 'TP_USER_EXISTS'],
        [{ email: 'new@example.com', role: 'analyst', password: 'too short' }, 400, 'TP_INVALID_PASSWORD'],
        [{ email: 'new@example.com', role: 'owner', password: PASSWORD }, 400, 'TP_VALIDATION'],
        [{ email: 'not an email', role: 'analyst', password: PASSWORD }, 400, 'TP_VALIDATION'],
      ];
      for (const [payload, status, code] of cases) {
        const r = await h.api('POST', '/api/users', payload);
        assert.deepEqual([r.status, r.body.error?.code], [status, code], JSON.stringify(payload));
      }

      const reset = await cli(['users', 'set-password', 'boss@example.com', '--password-stdin'], env, 'another long password\n');
      assert.equal(reset.code, 0, reset.stderr);
      assert.equal((await signIn('boss@example.com')).statusCode, 401);
      assert.equal((await signIn('boss@example.com', 'another long password')).statusCode, 200);
      assert.equal((await cli(['users', 'delete', 'boss@example.com'], env)).code, 0);
      assert.equal((await signIn('boss@example.com', 'another long password')).statusCode, 401);
      assert.match((await cli(['users', 'delete', 'boss@example.com'], env)).stderr, /TP_USER_NOT_FOUND/);
    });

    it('signs in with a session cookie: HttpOnly, SameSite=Strict, a week; from JSON or a form', async () => {
      const r = await signIn('admin@example.com');
      assert.equal(r.statusCode, 200, r.body);
      assert.match(String(r.headers['set-cookie']), /^tp_session=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=604800$/);
      assert.deepEqual(Object.keys(r.json()).sort(), ['csrfToken', 'user']);
      assert.deepEqual({ ...r.json().user, id: undefined }, { id: undefined, email: 'admin@example.com', name: null, role: 'admin' });
      const form = await h.tp.app.inject({
        method: 'POST',
        url: '/api/session',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `email=analyst%40example.com&password=${encodeURIComponent(PASSWORD)}`,
      });
      assert.equal(form.statusCode, 200, form.body);
      assert.equal(form.json().user.role, 'analyst');
      // Without trustProxy, a client cannot claim https.
      assert.doesNotMatch(String((await signIn('admin@example.com', PASSWORD, { 'x-forwarded-proto': 'https' })).headers['set-cookie']), /Secure/);
    });

    it('refuses a wrong password and an unknown email alike', async () => {
      const wrong = await signIn('admin@example.com', 'not the password');
      const unknown = await signIn('nobody@example.com', PASSWORD);
      for (const r of [wrong, unknown]) {
        assert.equal(r.statusCode, 401);
        assert.equal(r.headers['set-cookie'], undefined);
        assert.deepEqual(r.json().error, { code: 'TP_INVALID_CREDENTIALS', message: 'The email or the password is wrong.' });
      }
      const foreign = await signIn('admin@example.com', PASSWORD, { origin: 'https://evil.example' });
      assert.equal(foreign.json().error.code, 'TP_CSRF');
    });

    it('locks an email out after 5 failures in 15 minutes, across a restart', async () => {
      await addUser('locked@example.com', 'analyst');
      for (let i = 0; i < 5; i++) assert.equal((await signIn('locked@example.com', `wrong ${i}`)).statusCode, 401);
      h.tp.clock.advance(60_000);
      const refused = await signIn('locked@example.com');
      assert.equal(refused.statusCode, 429);
      assert.equal(refused.json().error.code, 'TP_TOO_MANY_ATTEMPTS');
      assert.equal(refused.headers['retry-after'], String(14 * 60));
      assert.equal((await signIn('admin@example.com')).statusCode, 200, 'another email is not locked');
      h = await restartHarness(h);
      assert.equal((await signIn('locked@example.com')).statusCode, 429, 'a restart does not reset the count');
      h.tp.clock.advance(14 * 60_000);
      assert.equal((await signIn('locked@example.com')).statusCode, 200);
      // Unknown emails are counted too.
      for (let i = 0; i < 5; i++) await signIn('ghost@example.com', 'wrong');
      assert.equal((await signIn('ghost@example.com', 'wrong')).statusCode, 429);
    });

    it('a signed-in user changes their own password: the current one first, other sessions end, this one goes on', async () => {
      await addUser('changer@example.com', 'analyst');
      const here = await signedIn('changer@example.com');
      const elsewhere = await signedIn('changer@example.com');
      const change = (s: Signed, currentPassword: string, newPassword: string, extra: Record<string, string> = {}) =>
        as(s, 'POST', '/api/session/password', { currentPassword, newPassword }, extra);
      const NEW = 'another long password';
      const refusals: [Promise<LightMyRequestResponse>, number, string, RegExp][] = [
        [change(here, 'not the password', NEW), 403, 'TP_WRONG_PASSWORD', /current password is wrong/],
        [change(here, PASSWORD, 'short'), 400, 'TP_INVALID_PASSWORD', /at least 10 characters; this one has 5/],
        [change(here, PASSWORD, PASSWORD), 400, 'TP_INVALID_PASSWORD', /the current one; choose another/],
        [change(here, PASSWORD, 'x'.repeat(1025)), 400, 'TP_INVALID_PASSWORD', /at most 1024 characters/],
        [inject('POST', '/api/session/password', { cookie: here.cookie }, { currentPassword: PASSWORD, newPassword: NEW }), 403, 'TP_CSRF', /x-csrf-token/],
        [change(here, PASSWORD, NEW, { origin: 'https://evil.example' }), 403, 'TP_CSRF', /from a page of https:\/\/evil.example, not of this server/],
        [
          inject('POST', '/api/session/password', admin(), { currentPassword: PASSWORD, newPassword: NEW }),
          401,
          'TP_UNAUTHORIZED',
          /sign in with POST \/api\/session/,
        ],
        [as(here, 'POST', '/api/session/password', { currentPassword: PASSWORD }), 400, 'TP_VALIDATION', /newPassword/],
      ];
      for (const [pending, status, code, message] of refusals) {
        const r = await pending;
        assert.equal(r.statusCode, status, r.body);
        assert.equal(r.json().error.code, code);
        assert.match(r.json().error.message, message);
      }
      assert.equal((await signIn('changer@example.com')).statusCode, 200, 'nothing refused changed the password');
      const changed = await change(here, PASSWORD, NEW);
      assert.equal(changed.statusCode, 200, changed.body);
      // The two signed in above and the one just now: all but the session that asked.
      assert.deepEqual(changed.json(), { changed: true, endedSessions: 2 });
      assert.equal((await as(here, 'GET', '/api/session')).statusCode, 200, 'the session that asked goes on');
      assert.equal((await as(elsewhere, 'GET', '/api/session')).statusCode, 401, 'another session ended');
      assert.equal((await signIn('changer@example.com')).statusCode, 401, 'the old password no longer signs in');
      assert.equal((await signIn('changer@example.com', NEW)).statusCode, 200);
    });

    it('wrong current passwords count toward the lock-out, as failed sign-ins do', async () => {
      await addUser('guessed@example.com', 'marketer');
      const stolen = await signedIn('guessed@example.com');
      // Sent together: each is counted before its password is checked, so no more than five are checked.
      const guesses = await Promise.all(
        Array.from({ length: 8 }, (_, i) => as(stolen, 'POST', '/api/session/password', { currentPassword: `guess ${i}`, newPassword: 'taken over at last' })),
      );
      assert.deepEqual(guesses.map((r) => r.statusCode).sort(), [403, 403, 403, 403, 403, 429, 429, 429]);
      const locked = await as(stolen, 'POST', '/api/session/password', { currentPassword: PASSWORD, newPassword: 'taken over at last' });
      assert.equal(locked.statusCode, 429);
      assert.equal(locked.json().error.code, 'TP_TOO_MANY_ATTEMPTS');
      assert.equal(locked.headers['retry-after'], String(15 * 60));
      assert.equal((await signIn('guessed@example.com')).statusCode, 429, 'sign-in is locked for the address too');
      h.tp.clock.advance(15 * 60_000);
      assert.equal((await signIn('guessed@example.com')).statusCode, 200, 'the right password after the wait');
    });

    it('GET /api/session says who is signed in, or 401', async () => {
      const s = await signedIn('marketer@example.com');
      const r = await as(s, 'GET', '/api/session');
      assert.equal(r.statusCode, 200);
      assert.deepEqual([r.json().user.email, r.json().user.role, r.json().csrfToken], ['marketer@example.com', 'marketer', s.csrf]);
      for (const headers of [{}, { cookie: 'tp_session=made-up' }, admin()]) {
        const none = await inject('GET', '/api/session', headers);
        assert.equal(none.statusCode, 401);
        assert.equal(none.json().error.code, 'TP_UNAUTHORIZED');
      }
    });

    it('a cookie reads; a change needs the x-csrf-token header and no foreign Origin', async () => {
      const s = await signedIn('marketer@example.com');
      assert.equal((await as(s, 'GET', '/api/segments')).statusCode, 200);
      const segment = { name: 'VIP', condition: { trait: 'tier', op: 'eq', value: 'vip' } };
      const noHeader = await inject('POST', '/api/segments', { cookie: s.cookie }, segment);
      assert.equal(noHeader.statusCode, 403);
      assert.deepEqual(noHeader.json().error.code, 'TP_CSRF');
      assert.match(noHeader.json().error.message, /x-csrf-token header from GET \/api\/session/);
      const wrong = await inject('POST', '/api/segments', { cookie: s.cookie, 'x-csrf-token': `${s.csrf}x` }, segment);
      assert.equal(wrong.json().error.code, 'TP_CSRF');
      const other = await signedIn('marketer@example.com');
      assert.equal((await inject('POST', '/api/segments', { cookie: s.cookie, 'x-csrf-token': other.csrf }, segment)).json().error.code, 'TP_CSRF');
      const foreign = await as(s, 'POST', '/api/segments', segment, { origin: 'https://evil.example' });
      assert.equal(foreign.json().error.code, 'TP_CSRF');
      assert.equal((await h.api('GET', '/api/segments')).body.segments.length, 0, 'nothing refused was written');
      const ok = await as(s, 'POST', '/api/segments', segment, { origin: 'http://localhost:80' });
      assert.equal(ok.statusCode, 201, ok.body);
    });

    it('an analyst reads and runs previews and simulations, and may change nothing', async () => {
      await h.identify('ann', { email: 'ann@example.com' });
      await h.settle();
      const profileId = await h.profileOf('ann');
      const s = await signedIn('analyst@example.com');
      assert.equal((await as(s, 'GET', '/api/policy')).statusCode, 200);
      assert.equal((await as(s, 'GET', `/api/profiles/${profileId}`)).statusCode, 200);
      const preview = await as(s, 'POST', '/api/segments/preview', { condition: { trait: 'email', op: 'exists' } });
      assert.equal(preview.statusCode, 200, preview.body);
      assert.equal(preview.json().count, 1);
      const simulate = await as(s, 'POST', '/api/policy/simulate', { profileId, channel: 'email' });
      assert.equal(simulate.statusCode, 200, simulate.body);
      const put = await as(s, 'PUT', '/api/policy', { caps: [] });
      assert.equal(put.statusCode, 403);
      assert.deepEqual(put.json().error, {
        code: 'TP_FORBIDDEN',
        message: 'analyst@example.com is an analyst; PUT /api/policy needs the role marketer or admin. Ask an admin.',
      });
      assert.equal((await as(s, 'GET', '/api/channels/journey-calls/secret')).json().error.code, 'TP_FORBIDDEN');
      assert.equal((await as(s, 'GET', '/api/users')).json().error.code, 'TP_FORBIDDEN');
    });

    it('a marketer pauses a journey but cannot create a source nor erase a profile', async () => {
      await h.content('Hi', { email: { subject: 'Hi', html: 'x' } });
      const journeyId = await h.journey('Welcome', {
        entry: { event: { name: 'Signed Up' } },
        steps: [{ id: 'hello', send: { channel: 'email', content: 'Hi' } }],
      });
      const marketer = await signedIn('marketer@example.com');
      const pause = await as(marketer, 'POST', `/api/journeys/${journeyId}/status`, { status: 'paused' });
      assert.equal(pause.statusCode, 200, pause.body);
      assert.equal(pause.json().status, 'paused');
      const source = await as(marketer, 'POST', '/api/sources', { name: 'POS', channel: 'store' });
      assert.equal(source.statusCode, 403);
      assert.match(source.json().error.message, /is a marketer; POST \/api\/sources needs the role admin/);
      assert.equal((await as(marketer, 'DELETE', `/api/profiles/${await h.profileOf('ann')}`)).json().error.code, 'TP_FORBIDDEN');
      const analyst = await signedIn('analyst@example.com');
      assert.equal((await as(analyst, 'POST', `/api/journeys/${journeyId}/status`, { status: 'live' })).json().error.code, 'TP_FORBIDDEN');
      const adminUser = await signedIn('admin@example.com');
      assert.equal((await as(adminUser, 'POST', '/api/sources', { name: 'POS', channel: 'store' })).statusCode, 201);
      const users = (await as(adminUser, 'GET', '/api/users')).json().users;
      assert.deepEqual(users, (await h.api('GET', '/api/users')).body.users, 'an admin signed in sees the users an admin token does');
      assert.ok(users.some((u: any) => u.email === 'analyst@example.com'));
    });

    it('the admin token still works everywhere, with no CSRF header', async () => {
      const token = admin();
      assert.equal((await inject('POST', '/api/sources', { ...token, origin: 'https://elsewhere.example' }, { name: 'App', channel: 'app' })).statusCode, 201);
      assert.equal((await inject('GET', '/api/users', token)).statusCode, 200);
      assert.equal((await inject('PUT', '/api/policy', token, { caps: [] })).statusCode, 200);
      const missing = await inject('GET', '/api/segments', {});
      assert.equal(missing.statusCode, 401);
      assert.match(missing.json().error.message, /Authorization: Bearer <token>.*or sign in at the console/);
    });

    it('sign-out ends the session and clears the cookie', async () => {
      const s = await signedIn('analyst@example.com');
      const noCsrf = await inject('DELETE', '/api/session', { cookie: s.cookie });
      assert.equal(noCsrf.json().error.code, 'TP_CSRF');
      const out = await as(s, 'DELETE', '/api/session');
      assert.equal(out.statusCode, 204);
      assert.equal(out.headers['set-cookie'], 'tp_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
      assert.equal((await as(s, 'GET', '/api/session')).statusCode, 401);
      assert.equal((await as(s, 'GET', '/api/segments')).statusCode, 401);
      assert.equal((await as(s, 'DELETE', '/api/session')).statusCode, 204, 'signing out twice is harmless');
    });

    it('a new password, a new role or disabling ends the user’s sessions', async () => {
      const id = await addUser('changing@example.com', 'analyst');
      const changes = [{ password: 'a brand new password' }, { role: 'marketer' }, { disabled: true }];
      for (const [i, change] of changes.entries()) {
        const before = await signIn('changing@example.com', i === 0 ? PASSWORD : 'a brand new password');
        assert.equal(before.statusCode, 200, before.body);
        const s = { cookie: cookieOf(before), csrf: before.json().csrfToken };
        assert.equal((await h.api('PUT', `/api/users/${id}`, change)).status, 200);
        assert.equal((await as(s, 'GET', '/api/session')).statusCode, 401, JSON.stringify(change));
      }
      const disabled = await signIn('changing@example.com', 'a brand new password');
      assert.equal(disabled.statusCode, 403);
      assert.equal(disabled.json().error.code, 'TP_USER_DISABLED');
      assert.equal((await h.api('DELETE', `/api/users/${id}`)).status, 204);
      assert.equal((await h.api('GET', `/api/users/${id}`)).body.error.code, 'TP_USER_NOT_FOUND');
    });

    it('ends a session after 12 idle hours, and 7 days after sign-in however busy', async () => {
      const idle = await signedIn('analyst@example.com');
      h.tp.clock.advance(11 * HOUR);
      assert.equal((await as(idle, 'GET', '/api/session')).statusCode, 200);
      h.tp.clock.advance(11 * HOUR);
      assert.equal((await as(idle, 'GET', '/api/session')).statusCode, 200, 'each request moves the idle limit');
      h.tp.clock.advance(12 * HOUR);
      assert.equal((await as(idle, 'GET', '/api/segments')).statusCode, 401);

      const busy = await signedIn('analyst@example.com');
      for (let hours = 11; hours < 7 * 24; hours += 11) {
        h.tp.clock.advance(11 * HOUR);
        assert.equal((await as(busy, 'GET', '/api/session')).statusCode, 200, `after ${hours} hours`);
      }
      h.tp.clock.advance(7 * 24 * HOUR - 165 * HOUR);
      assert.equal((await as(busy, 'GET', '/api/session')).statusCode, 401);
    });

    it('keeps the last admin: no deleting, demoting or disabling them', async () => {
      const users = (await h.api('GET', '/api/users')).body.users as any[];
      const admins = users.filter((u) => u.role === 'admin');
      assert.deepEqual(
        admins.map((u) => u.email),
        ['admin@example.com'],
      );
      const last = admins[0].id;
      for (const [method, payload] of [
        ['DELETE', undefined],
        ['PUT', { role: 'marketer' }],
        ['PUT', { disabled: true }],
      ] as const) {
        const r = await h.api(method, `/api/users/${last}`, payload);
        assert.equal(r.status, 409, JSON.stringify(payload));
        assert.equal(r.body.error.code, 'TP_LAST_ADMIN');
        assert.match(r.body.error.message, /admin@example\.com is the last admin; make another user admin before you/);
      }
      const marketer = users.find((u) => u.email === 'marketer@example.com').id;
      assert.equal((await h.api('PUT', `/api/users/${marketer}`, { role: 'admin' })).status, 200);
      assert.equal((await h.api('PUT', `/api/users/${last}`, { role: 'analyst' })).body.role, 'analyst');
    });
  });
}

describe('Secure cookies behind a trusted proxy', () => {
  it('are Secure when the proxy says https, and not otherwise', async () => {
    const tp = await startTestServer(DIALECTS[0]!, { TOUCHPOINT_TRUST_PROXY: 'true' }, { startPipeline: false });
    try {
      const created = await tp.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin(),
        payload: { email: 'a@example.com', role: 'admin', password: PASSWORD },
      });
      assert.equal(created.statusCode, 201, created.body);
      const signIn = (headers: Record<string, string>) =>
        tp.app.inject({ method: 'POST', url: '/api/session', headers, payload: { email: 'a@example.com', password: PASSWORD } });
      const https = await signIn({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'cx.example.com', origin: 'https://cx.example.com' });
      assert.equal(https.statusCode, 200, https.body);
      assert.match(String(https.headers['set-cookie']), /; Secure$/);
      assert.doesNotMatch(String((await signIn({})).headers['set-cookie']), /Secure/);
    } finally {
      await tp.dispose();
    }
  });
});

it('every route the permission table names exists', async () => {
  const tp = await startTestServer(DIALECTS[0]!, {}, { startPipeline: false });
  try {
    for (const key of Object.keys(ROUTE_PERMISSIONS)) {
      const [method, url] = key.split(' ') as [Method, string];
      assert.ok(tp.app.hasRoute({ method, url }), key);
    }
  } finally {
    await tp.dispose();
  }
});
