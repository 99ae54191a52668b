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
import { ROLES } from '../../users/index.js';

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
        case 'locked': {
          const seconds = Math.ceil(result.retryAfterMs / 1000);
          reply.header('retry-after', String(seconds));
          return sendError(
            reply,
            new TouchpointError(
              'TP_TOO_MANY_ATTEMPTS',
              `Too many failed sign-ins for this email; try again in ${seconds} seconds, or ask an admin to set a new password.`,
            ),
          );
        }
      }
    },
  );

  app.get(
    '/api/session',
    { schema: { tags: ['users'], summary: 'Who is signed in, and the CSRF token to send with changes', response: { 200: SessionSchema, ...errors } } },
    async (request) => {
      const session = await sessionOf(deps.users, request);
      if (!session) throw new TouchpointError('TP_UNAUTHORIZED', 'No one is signed in here: sign in with POST /api/session {email, password}.');
      return present(session);
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
