/** The Segment-compatible HTTP Tracking API under /v1. */
import cors from '@fastify/cors';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readBatch, readSingle, type Ingest, type IngestResult, type MessageType, type SourceRejections, type Sources } from '../../collect/index.js';
import { TouchpointError } from '../../errors.js';
import type { Metrics } from '../../metrics.js';
import { acceptTrackingBodies } from '../body.js';
import { sendError } from '../error-handler.js';
import { RejectionSchema, responses } from '../schemas.js';
import { authenticateSource, readWriteKey } from '../write-key.js';

export interface TrackingDeps {
  sources: Sources;
  ingest: Ingest;
  /** Where refused messages are kept for the console (the source's recent rejections). */
  rejections: SourceRejections;
  metrics: Metrics;
  maxBatchBytes: number;
  maxMessageBytes: number;
}

/** Single-message endpoints, with the one-letter paths analytics.js posts to. */
const SINGLE: [MessageType, string][] = [
  ['identify', 'i'],
  ['track', 't'],
  ['page', 'p'],
  ['screen', 's'],
  ['group', 'g'],
  ['alias', 'a'],
];

const AcceptedSchema = Type.Object({
  success: Type.Boolean(),
  accepted: Type.Integer({ description: 'Messages stored now.' }),
  duplicates: Type.Integer({ description: 'Messages whose messageId was stored before: acknowledged, not stored twice.' }),
  erased: Type.Integer({ description: 'Messages that carry an identifier of an erased person: acknowledged, never stored.' }),
  rejected: Type.Array(RejectionSchema, { description: 'Messages refused, by index; the others were stored.' }),
});

const MessageBody = Type.Object(
  {},
  {
    additionalProperties: true,
    description: 'A Segment message (https://segment.com/docs/connections/spec/). The write key goes in HTTP Basic auth or in "writeKey".',
  },
);
const BatchBody = Type.Object({ batch: Type.Array(MessageBody) }, { additionalProperties: true });

export async function trackingRoutes(app: FastifyInstance, deps: TrackingDeps): Promise<void> {
  await app.register(cors, { origin: '*', methods: ['GET', 'POST', 'OPTIONS'], maxAge: 86400 });
  acceptTrackingBodies(app);
  // Messages are validated one by one in collect, so that one bad message does not sink a batch.
  const noSchemaValidation = () => () => true;

  const handle = (kind: 'batch' | MessageType) => async (request: FastifyRequest, reply: FastifyReply) => {
    const parsed = kind === 'batch' ? readBatch(request.body) : readSingle(request.body);
    const source = await authenticateSource(deps.sources, readWriteKey(request.headers.authorization, parsed.writeKey));
    const result = await deps.ingest.ingest(source, parsed.messages, {
      envelope: parsed.envelope,
      impliedType: kind === 'batch' ? undefined : kind,
    });
    deps.metrics.ackLatency.observe(reply.elapsedTime / 1000);
    await deps.rejections.record(source.id, result.rejected);
    return respond(reply, result, parsed.messages.length);
  };

  for (const path of ['batch', 'import', 'b']) {
    app.post(
      `/v1/${path}`,
      {
        bodyLimit: deps.maxBatchBytes,
        validatorCompiler: noSchemaValidation,
        schema: {
          tags: ['tracking'],
          summary: path === 'batch' ? 'Send a batch of messages' : `Alias of /v1/batch`,
          body: BatchBody,
          response: responses({ 200: AcceptedSchema }),
        },
      },
      handle('batch'),
    );
  }
  for (const [type, letter] of SINGLE) {
    for (const path of [type, letter]) {
      app.post(
        `/v1/${path}`,
        {
          bodyLimit: deps.maxMessageBytes,
          validatorCompiler: noSchemaValidation,
          schema: {
            tags: ['tracking'],
            summary: path === type ? `Send one ${type} message` : `Alias of /v1/${type} (analytics.js)`,
            body: MessageBody,
            response: responses({ 200: AcceptedSchema }),
          },
        },
        handle(type),
      );
    }
  }
}

function respond(reply: FastifyReply, result: IngestResult, sent: number) {
  if (result.rejected.length < sent) return reply.send({ success: true, ...result });
  if (sent === 1) {
    const only = result.rejected[0]!;
    return sendError(reply, new TouchpointError(only.code, only.message));
  }
  const message = `All ${sent} messages were rejected; "rejected" gives the reason for each.`;
  return reply.status(400).send({ success: false, error: { code: 'TP_BATCH_REJECTED', message }, ...result });
}
