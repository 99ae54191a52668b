/**
 * Pagination cursors. A page's `next` is opaque to clients: base64url of
 * `{"l": listing, "p": position}`. A cursor names the listing it belongs to,
 * so one given to another listing is refused instead of being misread as a
 * position there, and its position is checked against that listing's schema
 * before any query sees it: a malformed cursor, or one whose parts are no
 * position of the listing, is a 400, never a database error (PostgreSQL) or a
 * silently empty page (SQLite). Cursors are not signed: a well-formed edited
 * cursor is just another position, which the caller could ask for anyway.
 */
import { Type, type Static, type TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { TouchpointError } from '../errors.js';

export interface CursorCodec<P> {
  encode(position: P): string;
  /** The position a cursor holds; TP_INVALID_CURSOR when it is not a cursor of this listing. */
  decode(cursor: string, parameter: string): P;
  /** The error for a cursor that decodes but points at nothing the listing has (a job id that no job has). */
  refuse(parameter: string): TouchpointError;
}

/** Longer than any cursor Touchpoint makes; a longer one is refused before it is decoded. */
const MAX_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function cursorCodec<S extends TObject>(listing: string, position: S): CursorCodec<Static<S>> {
  const invalid = (parameter: string, why: string) =>
    new TouchpointError('TP_INVALID_CURSOR', `${parameter} ${why}: pass the "next" value of a previous page of this listing, unchanged.`);
  return {
    encode: (p) => Buffer.from(JSON.stringify({ l: listing, p })).toString('base64url'),
    decode(cursor, parameter) {
      if (cursor.length > MAX_LENGTH || !BASE64URL.test(cursor)) throw invalid(parameter, 'is not a cursor');
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw invalid(parameter, 'is not a cursor');
      }
      if (!Value.Check(Envelope, parsed)) throw invalid(parameter, 'is not a cursor');
      if (parsed.l !== listing) throw invalid(parameter, `is a cursor of another listing (${parsed.l})`);
      if (!Value.Check(position, parsed.p)) throw invalid(parameter, 'holds no position of this listing');
      return parsed.p as Static<S>;
    },
    refuse: (parameter) => invalid(parameter, 'points at nothing in this listing'),
  };
}

const Envelope = Type.Object({ l: Type.String({ maxLength: 64 }), p: Type.Unknown() }, { additionalProperties: false });

/** Position parts: log positions and ids as the database holds them. */
export const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
export const Millis = Type.Integer({ minimum: -8.64e15, maximum: 8.64e15 });
export const Id = Type.String({ minLength: 1, maxLength: 512 });

/** Every paginated listing of the API, each with the position its cursor holds. */
export const cursors = {
  events: cursorCodec('events', Type.Object({ seq: Seq }, { additionalProperties: false })),
  profiles: cursorCodec('profiles', Type.Object({ lastSeen: Millis, id: Id }, { additionalProperties: false })),
  timeline: cursorCodec(
    'timeline',
    Type.Object({ timestamp: Millis, seq: Seq, kind: Type.Union([Type.Literal('event'), Type.Literal('message')]) }, { additionalProperties: false }),
  ),
  messages: cursorCodec('messages', Type.Object({ seq: Seq }, { additionalProperties: false })),
  outbox: cursorCodec('outbox', Type.Object({ seq: Seq }, { additionalProperties: false })),
  enrolments: cursorCodec('enrolments', Type.Object({ enteredAt: Millis, id: Id }, { additionalProperties: false })),
  segmentMembers: cursorCodec('segment-members', Type.Object({ profileId: Id }, { additionalProperties: false })),
  segmentChanges: cursorCodec('segment-changes', Type.Object({ id: Seq }, { additionalProperties: false })),
  deadLetters: cursorCodec('dead-letters', Type.Object({ seq: Seq }, { additionalProperties: false })),
  deliveryDead: cursorCodec('delivery-dead', Type.Object({ channel: Type.String({ maxLength: 100 }), seq: Seq }, { additionalProperties: false })),
  dropped: cursorCodec('dropped', Type.Object({ seq: Seq }, { additionalProperties: false })),
  jobs: cursorCodec('jobs', Type.Object({ id: Id }, { additionalProperties: false })),
  content: cursorCodec('content', Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false })),
};

/** The cursor of the page after `items` when the page is full; null at the end. */
export function nextCursor<T, P>(codec: CursorCodec<P>, items: readonly T[], limit: number, position: (last: T) => P): string | null {
  const last = items[items.length - 1];
  return items.length === limit && last !== undefined ? codec.encode(position(last)) : null;
}
