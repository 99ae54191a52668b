/**
 * Ingest: validate and normalize messages for a source, append the good ones to
 * the event log, and report each bad one by its index. Resolves only after the
 * good ones are durable.
 */
import type { Clock } from '../clock.js';
import type { ErrorCode } from '../errors.js';
import type { Ids } from '../ids.js';
import type { EventLog, NewEvent } from '../log/index.js';
import type { Metrics } from '../metrics.js';
import { normalizeMessage, type Envelope, type MessageType, type NormalizedMessage } from './message.js';
import type { Source } from './sources.js';

export interface Rejection {
  index: number;
  code: ErrorCode;
  message: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  /** Messages that carry an erased person's identifier: acknowledged, never stored. */
  erased: number;
  rejected: Rejection[];
}

/** Tells messages that carry an erased person's identifier (the identity module's erasure screen). */
export interface ErasedCheck {
  ready(): Promise<void>;
  erased(message: Record<string, unknown>): boolean;
}

export interface IngestOptions {
  envelope?: Envelope;
  impliedType?: MessageType;
  /** Defaults to the clock's now. */
  receivedAt?: number;
}

export interface Ingest {
  ingest(source: Source, messages: unknown[], options?: IngestOptions): Promise<IngestResult>;
}

export function createIngest(deps: { log: EventLog; clock: Clock; ids: Ids; metrics: Metrics; maxMessageBytes: number; screen?: ErasedCheck }): Ingest {
  return {
    async ingest(source, messages, options = {}) {
      const ctx = {
        receivedAt: options.receivedAt ?? deps.clock.now(),
        sourceChannel: source.channel,
        maxMessageBytes: deps.maxMessageBytes,
        newMessageId: deps.ids.uuid,
        envelope: options.envelope,
        impliedType: options.impliedType,
      };
      const good: NormalizedMessage[] = [];
      const rejected: Rejection[] = [];
      let erased = 0;
      await deps.screen?.ready();
      messages.forEach((raw, index) => {
        const result = normalizeMessage(raw, ctx);
        if (!result.ok) rejected.push({ index, code: result.code, message: result.message });
        else if (deps.screen?.erased(result.value.body)) erased++;
        else good.push(result.value);
      });
      if (erased > 0) deps.metrics.eventsErased.inc(erased);
      const outcomes = await deps.log.append(good.map((m) => toLogEvent(source, m)));
      let duplicates = 0;
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'duplicate') duplicates++;
        else deps.metrics.eventsAccepted.inc({ channel: good[i]!.channel });
      });
      if (duplicates > 0) deps.metrics.eventsDuplicate.inc(duplicates);
      for (const r of rejected) deps.metrics.eventsRejected.inc({ code: r.code });
      return { accepted: good.length - duplicates, duplicates, erased, rejected };
    },
  };
}

function toLogEvent(source: Source, message: NormalizedMessage): NewEvent {
  return {
    sourceId: source.id,
    messageId: message.messageId,
    type: message.type,
    event: message.event,
    channel: message.channel,
    userId: message.userId,
    anonymousId: message.anonymousId,
    timestamp: message.timestamp,
    receivedAt: message.receivedAt,
    partitionKey: message.userId ?? message.anonymousId ?? message.messageId,
    payload: message.payload,
  };
}
