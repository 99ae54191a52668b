/**
 * What analytics.js (Segment's browser SDK) loads before it sends anything:
 * `{cdnURL}/v1/projects/{writeKey}/settings`. Pointing cdnURL at Touchpoint
 * makes the unmodified SDK send its events here.
 */
import type { FastifyInstance } from 'fastify';
import type { Sources } from '../../collect/index.js';
import { authenticateSource } from '../write-key.js';

export async function segmentSettingsRoutes(app: FastifyInstance, deps: { sources: Sources }): Promise<void> {
  app.get('/v1/projects/:writeKey/settings', {
    schema: { tags: ['tracking'], summary: 'analytics.js settings for a write key (set cdnURL to Touchpoint)' },
  }, async (request) => {
    const { writeKey } = request.params as { writeKey: string };
    await authenticateSource(deps.sources, writeKey);
    const protocol = request.protocol;
    const host = request.headers.host ?? `${request.hostname}`;
    return {
      integrations: { 'Segment.io': { apiKey: writeKey, apiHost: `${host}/v1`, protocol, unbundledIntegrations: [], addBundledMetadata: true } },
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
}
