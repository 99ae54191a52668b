/** Signing in and out of the console: /api/session. Outside the management API's auth: it is how a user gets in. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TouchpointError } from '../../errors.js';
import type { ActiveSession, Users } from '../../users/index.js';
import { typed } from '../api.js';
import { checkCsrf, sessionOf, sessionTokenOf } from '../auth.js';
import { clearedSessionCookie, sessionCookie } from '../cookies.js';
import { checkOrigin } from '../csrf.js';
import { sendError } from '../error-handler.js';
import { ErrorSchema, StringEnum } from '../schemas.js';
import { MIN_PASSWORD_LENGTH, ROLES } from '../../users/index.js';

const SessionSchema = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.Union([Type.String(), Type.Null()]), role: StringEnum(ROLES) }),
  csrfToken: Type.String({ description: 'Send it as the x-csrf-token header with every request that changes something.' }),
});
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 429: ErrorSchema };

const present = (session: Pick<ActiveSession, 'user' | 'csrfToken'>) => ({
  user: { id: session.user.id, email: session.user.email, name: session.user.name, role: session.user.role },
  csrfToken: session.csrfToken,
});

const secure = (request: FastifyRequest) => request.protocol === 'https';
const notSignedIn = () => new TouchpointError('TP_UNAUTHORIZED', 'No one is signed in here: sign in with POST /api/session {email, password}.');

function tooMany(reply: FastifyReply, retryAfterMs: number): FastifyReply {
  const seconds = Math.ceil(retryAfterMs / 1000);
  reply.header('retry-after', String(seconds));
  return sendError(
    reply,
    new TouchpointError(
      'TP_TOO_MANY_ATTEMPTS',
      `Too many failed password checks for this email; try again in ${seconds} seconds, or ask an admin to set a new password.`,
    ),
  );
}

const invalid = () => new TouchpointError('TP_INVALID_CREDENTIALS', 'The email or the password is wrong.');

export async function sessionRoutes(instance: FastifyInstance, deps: { users: Users }): Promise<void> {
  // A plain HTML form posts its fields this way.
  instance.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  const app = typed(instance);

  app.post(
    '/api/session',
    {
      schema: {
        tags: ['users'],
        summary: 'Sign in: sets the tp_session cookie (JSON or a form body)',
        body: Type.Object({ email: Type.String({ minLength: 1, maxLength: 320 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }),
        response: { 200: SessionSchema, ...errors },
      },
    },
    async (request, reply) => {
      // A foreign page must not sign the browser in as someone else.
      checkOrigin({ origin: request.headers.origin, protocol: request.protocol, host: request.host });
      const result = await deps.users.signIn(request.body.email, request.body.password);
      switch (result.kind) {
        case 'signed-in':
          reply.header('set-cookie', sessionCookie(result.session.token, secure(request)));
          return present(result.session);
        case 'wrong':
          throw invalid();
        case 'disabled':
          throw new TouchpointError('TP_USER_DISABLED', `${result.user.email} is disabled; ask an admin to enable the user.`);
        case 'locked':
          return tooMany(reply, result.retryAfterMs);
      }
    },
  );

  app.get(
    '/api/session',
    { schema: { tags: ['users'], summary: 'Who is signed in, and the CSRF token to send with changes', response: { 200: SessionSchema, ...errors } } },
    async (request) => {
      const session = await sessionOf(deps.users, request);
      if (!session) throw notSignedIn();
      return present(session);
    },
  );

  app.post(
    '/api/session/password',
    {
      schema: {
        tags: ['users'],
        summary: "The signed-in user changes their own password: the current one, then the new one; the user's other sessions end",
        body: Type.Object({
          currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
          // No maxLength here: the password rule answers with TP_INVALID_PASSWORD (the body limit bounds it).
          newPassword: Type.String({ minLength: 1, description: `At least ${MIN_PASSWORD_LENGTH} characters, at most 1024.` }),
        }),
        response: { 200: Type.Object({ changed: Type.Literal(true), endedSessions: Type.Integer() }), ...errors },
      },
    },
    async (request, reply) => {
      const session = await sessionOf(deps.users, request);
      if (!session) throw notSignedIn();
      checkCsrf(request, session);
      const asking = { token: sessionTokenOf(request)!, user: session.user };
      const result = await deps.users.changeOwnPassword(asking, request.body.currentPassword, request.body.newPassword);
      switch (result.kind) {
        case 'changed':
          return { changed: true as const, endedSessions: result.endedSessions };
        case 'signed-out':
          throw notSignedIn();
        case 'wrong':
          throw new TouchpointError('TP_WRONG_PASSWORD', 'The current password is wrong.');
        case 'locked':
          return tooMany(reply, result.retryAfterMs);
      }
    },
  );

  app.delete(
    '/api/session',
    { schema: { tags: ['users'], summary: 'Sign out: ends the session and clears the cookie', response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => signOut(deps.users, request, reply),
  );
}

async function signOut(users: Users, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const session = await sessionOf(users, request);
  if (session) {
    checkCsrf(request, session);
    await users.sessions.close(sessionTokenOf(request)!);
  }
  return reply
    .code(204)
    .header('set-cookie', clearedSessionCookie(secure(request)))
    .send(null);
}
