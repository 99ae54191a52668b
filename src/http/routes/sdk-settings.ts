/**
 * What browser SDKs load before they send anything, so that the unmodified
 * SDKs send their events here:
 * - analytics.js (Segment) reads `{cdnURL}/v1/projects/{writeKey}/settings`;
 * - RudderStack's JavaScript SDK reads `{configUrl}/sourceConfig/?writeKey=…`.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { typed } from '../api.js';
import type { Sources } from '../../collect/index.js';
import { authenticateSource, readWriteKey } from '../write-key.js';

export async function sdkSettingsRoutes(instance: FastifyInstance, deps: { sources: Sources }): Promise<void> {
  const app = typed(instance);
  // The SDK sends its events where it loaded its settings from: the host and scheme the browser used,
  // which behind a proxy (TOUCHPOINT_TRUST_PROXY) are X-Forwarded-Host and X-Forwarded-Proto.
  app.get(
    '/v1/projects/:writeKey/settings',
    {
      schema: {
        tags: ['tracking'],
        summary: 'analytics.js settings for a write key (set cdnURL to Touchpoint)',
        params: Type.Object({ writeKey: Type.String() }),
      },
    },
    async (request) => {
      const { writeKey } = request.params;
      await authenticateSource(deps.sources, writeKey);
      return {
        integrations: {
          'Segment.io': { apiKey: writeKey, apiHost: `${request.host}/v1`, protocol: request.protocol, unbundledIntegrations: [], addBundledMetadata: true },
        },
        plan: {
          track: { __default: { enabled: true, integrations: {} } },
          identify: { __default: { enabled: true } },
          group: { __default: { enabled: true } },
        },
        edgeFunction: {},
        analyticsNextEnabled: true,
        middlewareSettings: {},
        enabledMiddleware: {},
        metrics: { sampleRate: 0 },
        legacyVideoPluginsEnabled: false,
        remotePlugins: [],
      };
    },
  );

  for (const path of ['/sourceConfig', '/sourceConfig/']) {
    app.get(
      path,
      {
        schema: {
          tags: ['tracking'],
          summary: 'RudderStack JavaScript SDK source config (set configUrl to Touchpoint)',
          hide: path.endsWith('/'),
          querystring: Type.Object({ writeKey: Type.Optional(Type.String()) }, { additionalProperties: true }),
        },
      },
      async (request) => {
        const writeKey = readWriteKey(request.headers.authorization, request.query.writeKey);
        const source = await authenticateSource(deps.sources, writeKey);
        return {
          isHosted: false,
          source: {
            id: source.id,
            name: source.name,
            writeKey,
            enabled: true,
            workspaceId: 'touchpoint',
            config: { statsCollection: { errors: { enabled: false }, metrics: { enabled: false } } },
            destinations: [],
          },
        };
      },
    );
  }
}
