/**
 * What each management route needs (users/roles.ts says which roles hold
 * it), decided by the route as Fastify matched it, not by the URL. A GET
 * reads; every route that takes another method is listed here, and one that
 * is not (a route added without a decision) is for admins only.
 */
import type { Permission } from '../users/index.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export const ROUTE_PERMISSIONS: Readonly<Record<string, Permission>> = {
  // Routes that compute an answer and write nothing.
  'POST /api/segments/preview': 'read',
  'POST /api/policy/simulate': 'read',
  'POST /api/attribution/paths': 'read',
  'POST /api/content/:id/preview': 'read',
  // What marketers own.
  'POST /api/segments': 'edit',
  'PUT /api/segments/:id': 'edit',
  'DELETE /api/segments/:id': 'edit',
  'PUT /api/lifecycle': 'edit',
  'POST /api/content': 'edit',
  'PUT /api/content/:id': 'edit',
  'DELETE /api/content/:id': 'edit',
  'POST /api/journeys': 'edit',
  'PUT /api/journeys/:id': 'edit',
  'POST /api/journeys/:id/status': 'edit',
  'PUT /api/policy': 'edit',
  'POST /api/computed-traits': 'edit',
  'DELETE /api/computed-traits/:id': 'edit',
  'PUT /api/profiles/:id/consent': 'edit',
  'POST /api/messages/:id/events': 'edit',
  // Credentials, wiring to other systems, what destroys customer data, users.
  'POST /api/sources': 'administer',
  'POST /api/sources/:id/rotate-key': 'administer',
  'POST /api/channels/:name/dead/:id/retry': 'administer',
  'DELETE /api/channels/suppressions/:channel/:address': 'administer',
  'GET /api/channels/journey-calls/secret': 'administer',
  'POST /api/email/bounces': 'administer',
  'POST /api/destinations': 'administer',
  'PUT /api/destinations/:id': 'administer',
  'DELETE /api/destinations/:id': 'administer',
  'DELETE /api/profiles/:id': 'administer',
  'POST /api/profiles/:id/unmerge': 'administer',
  'GET /api/users': 'administer',
  'GET /api/users/:id': 'administer',
  'POST /api/users': 'administer',
  'PUT /api/users/:id': 'administer',
  'DELETE /api/users/:id': 'administer',
};

export const routeKey = (method: string, url: string) => `${method === 'HEAD' ? 'GET' : method} ${url}`;

/** The permission a request needs, by its method and the route's URL pattern (e.g. /api/segments/:id). */
export function permissionFor(method: string, routeUrl: string): Permission {
  return ROUTE_PERMISSIONS[routeKey(method, routeUrl)] ?? (SAFE.has(method) ? 'read' : 'administer');
}

export const isUnsafe = (method: string) => !SAFE.has(method);
