/** Health, readiness, Prometheus metrics and the OpenAPI document. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TouchpointError } from '../../errors.js';
import type { Metrics } from '../../metrics.js';
import { ErrorSchema } from '../schemas.js';

export interface OpsDeps {
  metrics: Metrics;
  /** Throws when Touchpoint cannot serve (database unreachable, shutting down). */
  checkReady(): Promise<void>;
}

export async function opsRoutes(app: FastifyInstance, deps: OpsDeps): Promise<void> {
  app.get('/health', {
    schema: { tags: ['operations'], summary: 'Liveness: the process answers', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/ready', {
    schema: {
      tags: ['operations'],
      summary: 'Readiness: the store answers and Touchpoint accepts events',
      response: { 200: Type.Object({ status: Type.Literal('ready') }), 503: ErrorSchema },
    },
  }, async () => {
    try {
      await deps.checkReady();
    } catch (error) {
      throw new TouchpointError('TP_NOT_READY', `Not ready: ${(error as Error).message}`);
    }
    return { status: 'ready' as const };
  });

  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics (text format)' } }, async (_request, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
