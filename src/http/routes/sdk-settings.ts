/**
 * What browser SDKs load before they send anything, so that the unmodified
 * SDKs send their events here:
 * - analytics.js (Segment) reads `{cdnURL}/v1/projects/{writeKey}/settings`;
 * - RudderStack's JavaScript SDK reads `{configUrl}/sourceConfig/?writeKey=…`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Sources } from '../../collect/index.js';
import { authenticateSource, readWriteKey } from '../write-key.js';

export async function sdkSettingsRoutes(app: FastifyInstance, deps: { sources: Sources }): Promise<void> {
  app.get('/v1/projects/:writeKey/settings', {
    schema: { tags: ['tracking'], summary: 'analytics.js settings for a write key (set cdnURL to Touchpoint)' },
  }, async (request) => {
    const { writeKey } = request.params as { writeKey: string };
    await authenticateSource(deps.sources, writeKey);
    return {
      integrations: {
        'Segment.io': { apiKey: writeKey, apiHost: `${hostOf(request)}/v1`, protocol: request.protocol, unbundledIntegrations: [], addBundledMetadata: true },
      },
      plan: { track: { __default: { enabled: true, integrations: {} } }, identify: { __default: { enabled: true } }, group: { __default: { enabled: true } } },
      edgeFunction: {},
      analyticsNextEnabled: true,
      middlewareSettings: {},
      enabledMiddleware: {},
      metrics: { sampleRate: 0 },
      legacyVideoPluginsEnabled: false,
      remotePlugins: [],
    };
  });

  for (const path of ['/sourceConfig', '/sourceConfig/']) {
    app.get(path, {
      schema: { tags: ['tracking'], summary: 'RudderStack JavaScript SDK source config (set configUrl to Touchpoint)', hide: path.endsWith('/') },
    }, async (request) => {
      const query = request.query as { writeKey?: string };
      const writeKey = readWriteKey(request.headers.authorization, query.writeKey);
      const source = await authenticateSource(deps.sources, writeKey);
      return {
        isHosted: false,
        source: {
          id: source.id, name: source.name, writeKey, enabled: true, workspaceId: 'touchpoint',
          config: { statsCollection: { errors: { enabled: false }, metrics: { enabled: false } } },
          destinations: [],
        },
      };
    });
  }
}

function hostOf(request: FastifyRequest): string {
  return request.headers.host ?? request.hostname;
}
