import assert from 'node:assert/strict';
import { it } from 'node:test';
import { permissionFor } from './permissions.js';

it('a GET reads, an unlisted change is for admins, listed routes say what they need', () => {
  const cases: [string, string, string][] = [
    ['GET', '/api/segments/:id', 'read'],
    ['HEAD', '/api/segments/:id', 'read'],
    ['POST', '/api/segments/preview', 'read'],
    ['POST', '/api/policy/simulate', 'read'],
    ['POST', '/api/attribution/paths', 'read'],
    ['POST', '/api/content/:id/preview', 'read'],
    ['PUT', '/api/policy', 'edit'],
    ['POST', '/api/journeys/:id/status', 'edit'],
    ['PUT', '/api/profiles/:id/consent', 'edit'],
    ['POST', '/api/sources', 'administer'],
    ['DELETE', '/api/profiles/:id', 'administer'],
    ['GET', '/api/channels/journey-calls/secret', 'administer'],
    ['HEAD', '/api/users', 'administer'],
    ['PATCH', '/api/some-future-route', 'administer'],
  ];
  for (const [method, url, permission] of cases) assert.equal(permissionFor(method, url), permission, `${method} ${url}`);
});
