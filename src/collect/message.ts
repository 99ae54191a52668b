/**
 * Segment-spec messages: validation and normalization, with no I/O. Unknown
 * fields are kept as they came; only the fields Touchpoint relies on are
 * checked and normalized.
 */
import { inferChannel, type Channel } from './channels.js';
import { MAX_DEPTH, tooDeepField } from './depth.js';
import { ok, reject, type Result } from './result.js';
import { correctSkew, MAX_FUTURE_MS, parseIsoTimestamp } from './timestamps.js';

export const MESSAGE_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

type Json = Record<string, unknown>;

/** The shared parts of a batch envelope that apply to each of its messages. */
export interface Envelope {
  context?: Json;
  integrations?: Json;
  sentAt?: unknown;
}

export interface NormalizeContext {
  receivedAt: number;
  sourceChannel: Channel;
  maxMessageBytes: number;
  newMessageId(): string;
  envelope?: Envelope;
  /** Set by the single-type endpoints (/v1/track, ...): the type the path implies. */
  impliedType?: MessageType;
}

export interface NormalizedMessage {
  type: MessageType;
  messageId: string;
  userId: string | null;
  anonymousId: string | null;
  /** The track event name or the page/screen name. */
  event: string | null;
  channel: Channel;
  timestamp: number;
  receivedAt: number;
  /** The message as stored: the client's fields plus normalized ones. */
  body: Json;
  /** `body` as JSON, made once: it is both measured and stored. */
  payload: string;
}

const OBJECT_FIELDS = ['properties', 'traits', 'context', 'integrations'] as const;
const ID_MAX_LENGTH = 1024;

export function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function normalizeMessage(raw: unknown, ctx: NormalizeContext): Result<NormalizedMessage> {
  if (!isPlainObject(raw)) return reject('TP_INVALID_EVENT', 'Each message must be a JSON object.');
  // First: everything after this may serialize the message, which recurses on its depth.
  const deep = tooDeepField(raw);
  if (deep !== undefined) return reject('TP_TOO_DEEP', tooDeepMessage(deep));
  const type = readType(raw, ctx.impliedType);
  if (!type.ok) return type;
  for (const field of OBJECT_FIELDS) {
    if (raw[field] !== undefined && raw[field] !== null && !isPlainObject(raw[field])) {
      return reject('TP_INVALID_EVENT', `${field} must be a JSON object, got ${describe(raw[field])}.`);
    }
  }
  const ids = readIdentity(raw, type.value);
  if (!ids.ok) return ids;
  const fields = readTypeFields(raw, type.value);
  if (!fields.ok) return fields;
  const times = readTimes(raw, ctx);
  if (!times.ok) return times;
  const messageId = readId(raw, 'messageId');
  if (!messageId.ok) return messageId;

  const context = { ...(ctx.envelope?.context ?? {}), ...((raw.context as Json | undefined) ?? {}) };
  const integrations = { ...(ctx.envelope?.integrations ?? {}), ...((raw.integrations as Json | undefined) ?? {}) };
  const { writeKey: _secret, ...kept } = raw;
  const id = messageId.value ?? ctx.newMessageId();
  const { timestamp, originalTimestamp, sentAt, receivedAt } = times.value;
  const body: Json = {
    ...kept,
    type: type.value,
    messageId: id,
    ...(ids.value.userId !== null && { userId: ids.value.userId }),
    ...(ids.value.anonymousId !== null && { anonymousId: ids.value.anonymousId }),
    context,
    integrations,
    timestamp: new Date(timestamp).toISOString(),
    receivedAt: new Date(receivedAt).toISOString(),
    ...(originalTimestamp !== undefined && { originalTimestamp: new Date(originalTimestamp).toISOString() }),
    ...(sentAt !== undefined && { sentAt: new Date(sentAt).toISOString() }),
  };
  const payload = JSON.stringify(body);
  // The limit applies to the message as stored; a string of n UTF-16 units is at most 3n bytes.
  const size = payload.length * 3 <= ctx.maxMessageBytes ? payload.length : Buffer.byteLength(payload);
  if (size > ctx.maxMessageBytes) {
    return reject('TP_MESSAGE_TOO_LARGE', `The message is ${size} bytes; the limit is ${ctx.maxMessageBytes} bytes. Send less in properties or traits.`);
  }
  return ok({
    type: type.value,
    messageId: id,
    userId: ids.value.userId,
    anonymousId: ids.value.anonymousId,
    event: fields.value,
    channel: inferChannel(context.channel, ctx.sourceChannel),
    timestamp,
    receivedAt,
    body,
    payload,
  });
}

function readType(raw: Json, implied: MessageType | undefined): Result<MessageType> {
  if (implied) return ok(implied);
  if (raw.type === undefined || raw.type === null || raw.type === '') {
    return reject('TP_MISSING_TYPE', `The message has no type; give one of ${MESSAGE_TYPES.join(', ')}.`);
  }
  const type = typeof raw.type === 'string' ? raw.type.trim().toLowerCase() : '';
  if (!(MESSAGE_TYPES as readonly string[]).includes(type)) {
    return reject('TP_UNKNOWN_TYPE', `type ${JSON.stringify(raw.type)} is not one of ${MESSAGE_TYPES.join(', ')}.`);
  }
  return ok(type as MessageType);
}

function readId(raw: Json, field: string): Result<string | null> {
  const value = raw[field];
  if (value === undefined || value === null || value === '') return ok(null);
  if (typeof value === 'number' && Number.isFinite(value)) return ok(String(value));
  if (typeof value !== 'string') return reject('TP_INVALID_EVENT', `${field} must be a string, got ${describe(value)}.`);
  const trimmed = value.trim();
  if (trimmed.length > ID_MAX_LENGTH) return reject('TP_INVALID_EVENT', `${field} is longer than ${ID_MAX_LENGTH} characters.`);
  return ok(trimmed === '' ? null : trimmed);
}

function readIdentity(raw: Json, type: MessageType): Result<{ userId: string | null; anonymousId: string | null }> {
  const userId = readId(raw, 'userId');
  if (!userId.ok) return userId;
  const anonymousId = readId(raw, 'anonymousId');
  if (!anonymousId.ok) return anonymousId;
  if (type === 'alias') {
    if (userId.value === null) return reject('TP_MISSING_FIELD', 'An alias message needs userId (the new id).');
  } else if (userId.value === null && anonymousId.value === null) {
    return reject('TP_MISSING_IDENTITY', `A ${type} message needs a userId or an anonymousId.`);
  }
  return ok({ userId: userId.value, anonymousId: anonymousId.value });
}

/** Checks what each type requires; returns the event or page/screen name. */
function readTypeFields(raw: Json, type: MessageType): Result<string | null> {
  switch (type) {
    case 'track': {
      if (typeof raw.event !== 'string' || raw.event.trim() === '') {
        return reject('TP_MISSING_FIELD', 'A track message needs event: the name of the action, e.g. "Order Completed".');
      }
      return ok(raw.event.trim());
    }
    case 'page':
    case 'screen': {
      if (raw.name === undefined || raw.name === null) return ok(null);
      if (typeof raw.name !== 'string') return reject('TP_INVALID_EVENT', `name must be a string, got ${describe(raw.name)}.`);
      return ok(raw.name);
    }
    case 'group': {
      const groupId = readId(raw, 'groupId');
      if (!groupId.ok) return groupId;
      return groupId.value === null ? reject('TP_MISSING_FIELD', 'A group message needs groupId.') : ok(null);
    }
    case 'alias': {
      const previousId = readId(raw, 'previousId');
      if (!previousId.ok) return previousId;
      return previousId.value === null ? reject('TP_MISSING_FIELD', 'An alias message needs previousId (the old id).') : ok(null);
    }
    default:
      return ok(null);
  }
}

function readTimes(raw: Json, ctx: NormalizeContext): Result<ReturnType<typeof correctSkew>> {
  const original = readTime(raw, raw.timestamp !== undefined && raw.timestamp !== null ? 'timestamp' : 'originalTimestamp');
  if (!original.ok) return original;
  const sentAt = readTime(raw.sentAt !== undefined && raw.sentAt !== null ? raw : { sentAt: ctx.envelope?.sentAt }, 'sentAt');
  if (!sentAt.ok) return sentAt;
  const times = correctSkew(original.value, sentAt.value, ctx.receivedAt);
  if (times.timestamp - times.receivedAt > MAX_FUTURE_MS) return reject('TP_FUTURE_TIMESTAMP', futureMessage(times));
  return ok(times);
}

function futureMessage({ timestamp, sentAt, receivedAt }: ReturnType<typeof correctSkew>): string {
  const hours = Math.round((timestamp - receivedAt) / 3_600_000);
  const fix =
    sentAt === undefined
      ? 'Check the clock that stamped it, or send sentAt so that its skew is corrected.'
      : 'The timestamp is that far after sentAt: check the clock that stamped it.';
  return `The event is dated ${new Date(timestamp).toISOString()} (after skew correction), ${hours} hours after Touchpoint received it; events may be at most ${MAX_FUTURE_MS / 3_600_000} hours in the future. ${fix}`;
}

function readTime(raw: Json, field: string): Result<number | undefined> {
  const value = raw[field];
  if (value === undefined || value === null) return ok(undefined);
  const ms = parseIsoTimestamp(value);
  if (ms === undefined) {
    return reject('TP_INVALID_TIMESTAMP', `${field} must be an ISO 8601 date such as "2026-11-23T10:15:00.000Z", got ${JSON.stringify(value)}.`);
  }
  return ok(ms);
}

export function tooDeepMessage(field: string): string {
  return `${field} nests objects or arrays more than ${MAX_DEPTH} levels deep (the message itself is level 1); send flatter properties or traits.`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
