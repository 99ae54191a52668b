/**
 * How a message is stored: its row, its steps, and what the rest of
 * Touchpoint sees of it (Message). Pure shapes and conversions, no I/O.
 */
import type { Selectable } from 'kysely';
import { TouchpointError } from '../errors.js';
import { wentOut, type MessageStatus, type ReportedStatus } from './statuses.js';
import type { HistoryTables } from './tables.js';

export type Row = Selectable<HistoryTables['messages']>;

export interface NewMessage {
  id: string;
  idempotencyKey: string;
  profileId: string;
  journey?: { id: string; version: number; stepId: string; enrolmentId: string; arm: string | null };
  channel: string;
  contentId: string | null;
  purpose: string;
  requestedAt: number;
  /** The customer's lifecycle stage when asked for. */
  stage?: string | null;
}

/** A step of the message's life: the status it reached, when, and why. */
export interface Step {
  status: MessageStatus;
  at: number;
  reason?: string;
  deferredUntil?: number;
  detail?: Record<string, unknown>;
}

/** A deferred message decided again: its new steps and outcome (and the survivor, when its customer was merged since). */
export interface Release {
  id: string;
  steps: readonly Step[];
  outcome: Outcome & { profileId?: string };
}

/** What a provider reports about one message. */
export interface Report {
  id: string;
  status: ReportedStatus;
  at: number;
  detail?: Record<string, unknown>;
}

/** Why a message cannot be reported (undefined: it can). A provider may report before its acceptance is recorded (the message still queued). */
export function unreported(row: { id: string; status: string }, status: ReportedStatus): TouchpointError | undefined {
  const current = row.status as MessageStatus;
  if (wentOut(current) || current === 'queued') return undefined;
  return new TouchpointError('TP_MESSAGE_NOT_SENT', `Message ${row.id} is ${current}: only a message that was sent can be reported ${status}.`);
}

export interface Message {
  id: string;
  seq: number;
  profileId: string;
  journeyId: string | null;
  journeyVersion: number | null;
  stepId: string | null;
  enrolmentId: string | null;
  arm: string | null;
  channel: string;
  delivery: string | null;
  contentId: string | null;
  purpose: string;
  status: MessageStatus;
  reason: string | null;
  deferredUntil: number | null;
  rendered: Record<string, unknown> | null;
  requestedAt: number;
  updatedAt: number;
  stage: string | null;
  sentAt: number | null;
  /** While deferred: the request to decide again when due. */
  request: Record<string, unknown> | null;
}

export interface MessageFilter {
  profileId?: string;
  journeyId?: string;
  channel?: string;
  status?: string;
  /** Newest first: messages before this seq (the cursor). */
  before?: number;
  limit: number;
}

export const toMessage = (r: Row): Message => ({
  id: r.id,
  seq: Number(r.seq),
  profileId: r.profile_id,
  journeyId: r.journey_id,
  journeyVersion: r.journey_version,
  stepId: r.step_id,
  enrolmentId: r.enrolment_id,
  arm: r.arm,
  channel: r.channel,
  delivery: r.delivery,
  contentId: r.content_id,
  purpose: r.purpose,
  status: r.status as MessageStatus,
  reason: r.reason,
  deferredUntil: r.deferred_until === null ? null : Number(r.deferred_until),
  rendered: r.rendered === null ? null : (JSON.parse(r.rendered) as Record<string, unknown>),
  requestedAt: Number(r.requested_at),
  updatedAt: Number(r.updated_at),
  stage: r.stage,
  sentAt: r.sent_at === null ? null : Number(r.sent_at),
  request: r.request === null ? null : (JSON.parse(r.request) as Record<string, unknown>),
});

export interface Outcome {
  delivery: string | null;
  rendered: Record<string, unknown> | null;
  /** The channel it goes out on (the policy may reroute it); the request's when absent. */
  channel?: string;
  sentAt?: number | null;
  /** Kept while the message is deferred. */
  request?: Record<string, unknown> | null;
}

export const MESSAGE_COLUMNS = [
  'id',
  'idempotency_key',
  'profile_id',
  'journey_id',
  'journey_version',
  'step_id',
  'enrolment_id',
  'arm',
  'channel',
  'delivery',
  'content_id',
  'purpose',
  'status',
  'reason',
  'deferred_until',
  'rendered',
  'requested_at',
  'updated_at',
  'stage',
  'sent_at',
  'request',
] as const;

export function stepRows(id: string, steps: readonly Step[]): unknown[][] {
  return steps.map((s) => {
    const detail = {
      ...(s.reason && { reason: s.reason }),
      ...(s.deferredUntil !== undefined && { until: new Date(s.deferredUntil).toISOString() }),
      ...s.detail,
    };
    return [id, s.status, s.at, Object.keys(detail).length > 0 ? JSON.stringify(detail) : null];
  });
}

export function rowOf(message: NewMessage, steps: readonly Step[], outcome: Outcome): unknown[] {
  const last = steps[steps.length - 1]!;
  const j = message.journey;
  return [
    message.id,
    message.idempotencyKey,
    message.profileId,
    j?.id ?? null,
    j?.version ?? null,
    j?.stepId ?? null,
    j?.enrolmentId ?? null,
    j?.arm ?? null,
    outcome.channel ?? message.channel,
    outcome.delivery,
    message.contentId,
    message.purpose,
    last.status,
    // The latest reason and deferral: a message deferred, then suppressed, shows why it was suppressed.
    [...steps].reverse().find((s) => s.reason)?.reason ?? null,
    last.status === 'deferred' ? (last.deferredUntil ?? null) : null,
    outcome.rendered && JSON.stringify(outcome.rendered),
    message.requestedAt,
    last.at,
    message.stage ?? null,
    outcome.sentAt ?? null,
    outcome.request ? JSON.stringify(outcome.request) : null,
  ];
}

export const newMessageOf = (m: Message, idempotencyKey: string): NewMessage => ({
  id: m.id,
  idempotencyKey,
  profileId: m.profileId,
  journey: m.journeyId === null ? undefined : { id: m.journeyId, version: m.journeyVersion!, stepId: m.stepId!, enrolmentId: m.enrolmentId!, arm: m.arm },
  channel: m.channel,
  contentId: m.contentId,
  purpose: m.purpose,
  requestedAt: m.requestedAt,
  stage: m.stage,
});
