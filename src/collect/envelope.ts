/** Reading request bodies: a batch envelope, or one message for the single-type endpoints. */
import { TouchpointError } from '../errors.js';
import { tooDeepField } from './depth.js';
import { isPlainObject, tooDeepMessage, type Envelope } from './message.js';

export interface ParsedBatch {
  messages: unknown[];
  envelope: Envelope;
  writeKey?: string;
}

/** `{batch: [...], context?, integrations?, sentAt?, writeKey?}` as Segment and RudderStack send it. */
export function readBatch(body: unknown): ParsedBatch {
  if (!isPlainObject(body)) throw new TouchpointError('TP_INVALID_BATCH', 'The body must be a JSON object {"batch": [...]}.');
  if (!Array.isArray(body.batch)) {
    throw new TouchpointError('TP_INVALID_BATCH', 'The body must have a "batch" array of messages.');
  }
  if (body.batch.length === 0) throw new TouchpointError('TP_EMPTY_BATCH', 'The batch array is empty; send at least one message.');
  return {
    messages: body.batch,
    envelope: readEnvelope(body),
    writeKey: typeof body.writeKey === 'string' ? body.writeKey : undefined,
  };
}

/** One message sent to /v1/track and its siblings. */
export function readSingle(body: unknown): ParsedBatch {
  if (!isPlainObject(body)) throw new TouchpointError('TP_INVALID_EVENT', 'The body must be a JSON object: one message.');
  return { messages: [body], envelope: {}, writeKey: typeof body.writeKey === 'string' ? body.writeKey : undefined };
}

/** The envelope's fields go into every message, so a deep one refuses the whole batch. */
function readEnvelope(body: Record<string, unknown>): Envelope {
  const deep = tooDeepField({ context: body.context, integrations: body.integrations, sentAt: body.sentAt });
  if (deep !== undefined) throw new TouchpointError('TP_TOO_DEEP', `The batch's ${tooDeepMessage(deep)}`);
  return {
    context: isPlainObject(body.context) ? body.context : undefined,
    integrations: isPlainObject(body.integrations) ? body.integrations : undefined,
    sentAt: body.sentAt,
  };
}
