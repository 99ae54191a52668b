/**
 * Who is calling the management API. An admin token (API clients) acts as
 * admin, with no CSRF check: a browser never sends it on its own. Otherwise
 * the console's session cookie names a user, whose changes must carry the
 * CSRF token and whose role must allow the route.
 */
import type { FastifyRequest } from 'fastify';
import { TouchpointError } from '../errors.js';
import { can, rolesWith, type ActiveSession, type Users } from '../users/index.js';
import { parseCookies, SESSION_COOKIE } from './cookies.js';
import { checkCsrfToken, checkOrigin } from './csrf.js';
import { isUnsafe, permissionFor } from './permissions.js';
import type { AdminTokens } from './tokens.js';

export interface AuthDeps {
  adminTokens: AdminTokens;
  users: Users;
}

export const sessionTokenOf = (request: FastifyRequest): string | undefined => parseCookies(request.headers.cookie).get(SESSION_COOKIE) || undefined;

export async function sessionOf(users: Users, request: FastifyRequest): Promise<ActiveSession | undefined> {
  const token = sessionTokenOf(request);
  return token === undefined ? undefined : users.sessions.resolve(token);
}

/** Refuses a change signed in by cookie that another site could have caused. */
export function checkCsrf(request: FastifyRequest, session: ActiveSession): void {
  if (!isUnsafe(request.method)) return;
  checkOrigin({ origin: request.headers.origin, protocol: request.protocol, host: request.host });
  checkCsrfToken(request.headers['x-csrf-token'], session.csrfToken);
}

export function managementAuth(deps: AuthDeps): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i);
    if (bearer && (await deps.adminTokens.verify(bearer[1]!))) return;
    const session = await sessionOf(deps.users, request);
    if (!session) {
      throw new TouchpointError(
        'TP_UNAUTHORIZED',
        'Send an admin token as "Authorization: Bearer <token>" (TOUCHPOINT_ADMIN_TOKEN, or the token printed at first start), or sign in at the console (POST /api/session).',
      );
    }
    checkCsrf(request, session);
    const permission = permissionFor(request.method, request.routeOptions.url ?? request.url);
    const { role, email } = session.user;
    if (!can(role, permission)) {
      throw new TouchpointError(
        'TP_FORBIDDEN',
        `${email} is ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}; ${request.method} ${request.routeOptions.url} needs the role ${rolesWith(permission).join(' or ')}. Ask an admin.`,
      );
    }
  };
}
