/** Health, readiness, Prometheus metrics and the OpenAPI document. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TouchpointError } from '../../errors.js';
import type { Metrics } from '../../metrics.js';
import { ErrorSchema } from '../schemas.js';

export interface OpsDeps {
  metrics: Metrics;
  /** Throws when Touchpoint cannot serve (database unreachable, shutting down); else tells how far processing is. */
  checkReady(): Promise<Record<string, unknown>>;
}

export async function opsRoutes(app: FastifyInstance, deps: OpsDeps): Promise<void> {
  app.get(
    '/health',
    {
      schema: { tags: ['operations'], summary: 'Liveness: the process answers', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the store answers and Touchpoint accepts events',
        response: {
          200: Type.Object({
            status: Type.Literal('ready'),
            pipeline: Type.Object({
              position: Type.Integer(),
              head: Type.Integer(),
              lagEvents: Type.Integer({ description: 'Events not yet processed.' }),
              lagSeconds: Type.Number({ description: 'Age of the oldest event not yet processed.' }),
              deadLetters: Type.Integer(),
              running: Type.Boolean(),
            }),
          }),
          503: ErrorSchema,
        },
      },
    },
    async () => {
      try {
        return { status: 'ready' as const, ...(await deps.checkReady()) };
      } catch (error) {
        throw new TouchpointError('TP_NOT_READY', `Not ready: ${(error as Error).message}`);
      }
    },
  );

  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics (text format)' } }, async (_request, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
