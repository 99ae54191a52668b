/**
 * The contact history's storage: messages and their status history. A
 * message is written once per idempotency key: asking again (after a crash,
 * a replay) finds the row and writes nothing.
 */
import type { Kysely } from 'kysely';
import { TouchpointError } from '../errors.js';
import type { Store } from '../store/index.js';
import { recentOf, responseCounts, responseTimes } from './contact-reads.js';
import {
  MESSAGE_COLUMNS,
  newMessageOf,
  rowOf,
  stepRows,
  toMessage,
  unreported,
  type Message,
  type MessageFilter,
  type NewMessage,
  type Outcome,
  type Release,
  type Report,
  type Row,
  type Step,
} from './rows.js';
import { furthest, wentOut, type MessageStatus, type ReportedStatus } from './statuses.js';
import { countMessages, summarize, type MessageSummary } from './summary.js';
import type { HistoryTables } from './tables.js';

const historyDb = (db: Kysely<object>) => db.withTables<HistoryTables>();

export function createMessages(store: Store) {
  async function find(db: Kysely<object>, id: string): Promise<Row | undefined> {
    return historyDb(db).selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async function appendSteps(trx: Kysely<object>, id: string, steps: readonly Step[]): Promise<void> {
    await store.bulk.insert(trx, 'message_events', ['message_id', 'status', 'at', 'detail'], stepRows(id, steps));
  }

  async function findAll(db: Kysely<object>, ids: readonly string[]): Promise<Map<string, Row>> {
    const rows = new Map<string, Row>();
    for (let i = 0; i < ids.length; i += 500) {
      const page = await historyDb(db)
        .selectFrom('messages')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const row of page) rows.set(row.id, row);
    }
    return rows;
  }

  /** Reports in the caller's transaction, in order: the status each message reached, and a step each in its history. */
  async function reportIn(trx: Kysely<object>, list: readonly Report[]): Promise<(Message | TouchpointError)[]> {
    const rows = await findAll(trx, [...new Set(list.map((r) => r.id))]);
    const results: (Message | TouchpointError)[] = [];
    const steps: unknown[][] = [];
    for (const { id, status, at, detail } of list) {
      const row = rows.get(id);
      const refused = row ? unreported(row, status) : new TouchpointError('TP_MESSAGE_NOT_FOUND', `No message has the id ${JSON.stringify(id)}.`);
      if (refused) {
        results.push(refused);
        continue;
      }
      const next = { ...row!, status: furthest(row!.status as MessageStatus, status), updated_at: at };
      await store.bulk.update(trx, 'messages', ['status', 'updated_at'], ['id'], [next.status, at, id]);
      rows.set(id, next);
      steps.push(...stepRows(id, [{ status, at, detail }]));
      results.push(toMessage(next));
    }
    await store.bulk.insert(trx, 'message_events', ['message_id', 'status', 'at', 'detail'], steps);
    return results;
  }

  return {
    recentOf,
    responseCounts,
    responseTimes,
    /** Messages asked for in [from, to): sent and held back, by day, channel and reason (the console's overview). */
    summary: async (from: number, to: number): Promise<MessageSummary> => summarize(await countMessages(store.db, from, to), from, to),

    /**
     * Records messages and the steps of their lives so far, in the caller's
     * transaction, in a few multi-row statements; a message already recorded
     * under its idempotency key stays as it is (and gets no steps twice).
     * Returns the ids of those that were new.
     */
    async recordAll(trx: Kysely<object>, list: readonly { message: NewMessage; steps: readonly Step[]; outcome: Outcome }[]): Promise<Set<string>> {
      if (list.length === 0) return new Set();
      const rows = list.map(({ message, steps, outcome }) => rowOf(message, steps, outcome));
      const inserted = await store.bulk.insert(trx, 'messages', MESSAGE_COLUMNS, rows, {
        conflict: { target: ['idempotency_key'] },
        returning: ['id'],
      });
      const fresh = new Set(inserted.map((r) => r.id as string));
      await store.bulk.insert(
        trx,
        'message_events',
        ['message_id', 'status', 'at', 'detail'],
        list.filter((m) => fresh.has(m.message.id)).flatMap((m) => stepRows(m.message.id, m.steps)),
      );
      return fresh;
    },

    /**
     * Deferred messages decided again when due, in the caller's transaction.
     * Their rows are written anew, in the list's order, so that they take new
     * places in the outbox's order (an outbox reader past their first places
     * would not see them); their histories go on. Returns the ids released:
     * not those no longer deferred (another runner released them).
     */
    async releaseAll(trx: Kysely<object>, list: readonly Release[]): Promise<Set<string>> {
      const rows = await findAll(trx, [...new Set(list.map((r) => r.id))]);
      const released = list.filter((r) => rows.get(r.id)?.status === 'deferred');
      await store.bulk.deleteIn(
        trx,
        'messages',
        'seq',
        released.map((r) => rows.get(r.id)!.seq),
      );
      const written = released.map(({ id, steps, outcome }) => {
        const row = rows.get(id)!;
        // A customer merged into another since is recorded as the survivor.
        const message = { ...newMessageOf(toMessage(row), row.idempotency_key), ...(outcome.profileId && { profileId: outcome.profileId }) };
        return rowOf(message, steps, outcome);
      });
      await store.bulk.insert(trx, 'messages', MESSAGE_COLUMNS, written);
      await store.bulk.insert(
        trx,
        'message_events',
        ['message_id', 'status', 'at', 'detail'],
        released.flatMap((r) => stepRows(r.id, r.steps)),
      );
      return new Set(released.map((r) => r.id));
    },

    /**
     * Deferred messages that are due, for the customers waiting longest: all
     * of each customer's due messages (those of one arbitration window compete
     * together), for at most `limit` customers.
     */
    async due(now: number, limit: number): Promise<Message[]> {
      const db = historyDb(store.db);
      const customers = await db
        .selectFrom('messages')
        .select(['profile_id', (eb) => eb.fn.min('deferred_until').as('first')])
        .where('status', '=', 'deferred')
        .where('deferred_until', '<=', now)
        .groupBy('profile_id')
        .orderBy('first')
        .limit(limit)
        .execute();
      if (customers.length === 0) return [];
      const rows = await db
        .selectFrom('messages')
        .selectAll()
        .where('status', '=', 'deferred')
        .where('deferred_until', '<=', now)
        .where(
          'profile_id',
          'in',
          customers.map((c) => c.profile_id),
        )
        .orderBy('deferred_until')
        .orderBy('seq')
        .execute();
      return rows.map(toMessage);
    },

    /** Of messages read as due, those still deferred to the same moment, read in the caller's transaction (another runner may have released them). */
    async stillDue(trx: Kysely<object>, read: readonly Pick<Message, 'id' | 'deferredUntil'>[]): Promise<Set<string>> {
      if (read.length === 0) return new Set();
      const rows = await historyDb(trx)
        .selectFrom('messages')
        .select(['id', 'deferred_until'])
        .where(
          'id',
          'in',
          read.map((m) => m.id),
        )
        .where('status', '=', 'deferred')
        .execute();
      const until = new Map(read.map((m) => [m.id, m.deferredUntil]));
      return new Set(rows.filter((r) => Number(r.deferred_until) === until.get(r.id)).map((r) => r.id));
    },

    /** The enrolment each of these messages belongs to (journey messages only). */
    async enrolmentsOf(ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await historyDb(store.db).selectFrom('messages').select(['id', 'enrolment_id']).where('id', 'in', ids).execute();
      return new Map(rows.flatMap((r) => (r.enrolment_id === null ? [] : [[r.id, r.enrolment_id] as const])));
    },

    /** When the next deferred message is due (null: none is deferred). */
    async nextDue(): Promise<number | null> {
      const row = await historyDb(store.db)
        .selectFrom('messages')
        .select((eb) => eb.fn.min<number>('deferred_until').as('at'))
        .where('status', '=', 'deferred')
        .executeTakeFirst();
      return row?.at === null || row?.at === undefined ? null : Number(row.at);
    },

    /** What a provider reports about a message that went out. */
    async report(id: string, status: ReportedStatus, at: number, detail?: Record<string, unknown>): Promise<Message> {
      const [result] = await store.write((trx) => reportIn(trx, [{ id, status, at, detail }]));
      if (result instanceof TouchpointError) throw result;
      return result!;
    },

    /**
     * Many reports in one transaction, in order (a message reported twice
     * sees its first report): for each, the message as it now is, or why it
     * was not reported (gone, or never sent).
     */
    async reportAll(list: readonly Report[]): Promise<(Message | TouchpointError)[]> {
      if (list.length === 0) return [];
      return store.write((trx) => reportIn(trx, list));
    },

    /**
     * Delivery results, in the caller's transaction: each message shows the
     * furthest status it reached (a delivery receipt that came first stays),
     * a failure its reason, and every step is kept.
     */
    async advance(trx: Kysely<object>, list: readonly { id: string; step: Step }[]): Promise<void> {
      if (list.length === 0) return;
      const rows = await historyDb(trx)
        .selectFrom('messages')
        .select(['id', 'status'])
        .where(
          'id',
          'in',
          list.map((l) => l.id),
        )
        .execute();
      const current = new Map(rows.map((r) => [r.id, r.status as MessageStatus]));
      const kept = list.filter((l) => current.has(l.id));
      // One statement per status and reason reached (a round of deliveries is mostly one: sent), not one per message.
      const groups = new Map<string, { status: MessageStatus; reason?: string; at: number; ids: string[] }>();
      for (const { id, step } of kept) {
        const was = current.get(id)!;
        // A dead letter sent again starts over from queued; a delivery's own failure applies only while it is queued
        // (a provider's receipt that came first stays).
        const again = was === 'failed' && step.status === 'queued' && step.detail?.requeued === true;
        // Failed or suppressed at delivery (screened when its turn came) applies only while the message is still queued.
        const late = step.status === 'failed' || step.status === 'suppressed';
        if (late && was !== 'queued') continue;
        const next = again || late ? step.status : furthest(was, step.status);
        if (next === current.get(id) && !late) continue;
        current.set(id, next);
        const reason = late ? step.reason : undefined;
        const key = `${next}\u0000${reason ?? ''}`;
        const group = groups.get(key) ?? { status: next, reason, at: step.at, ids: [] };
        group.at = Math.max(group.at, step.at);
        group.ids.push(id);
        groups.set(key, group);
      }
      for (const g of groups.values()) {
        await historyDb(trx)
          .updateTable('messages')
          .set({ status: g.status, updated_at: g.at, ...(g.reason && { reason: g.reason }) })
          .where('id', 'in', g.ids)
          .execute();
      }
      await store.bulk.insert(
        trx,
        'message_events',
        ['message_id', 'status', 'at', 'detail'],
        kept.flatMap((l) => stepRows(l.id, [l.step])),
      );
    },

    /** A journey's goal was reached: the enrolment's messages that went out are marked converted, in the caller's transaction. */
    async convertEnrolment(trx: Kysely<object>, enrolmentId: string, at: number, detail: Record<string, unknown>): Promise<number> {
      const rows = await historyDb(trx).selectFrom('messages').select(['id', 'status']).where('enrolment_id', '=', enrolmentId).execute();
      const out = rows.filter((r) => wentOut(r.status as MessageStatus));
      if (out.length === 0) return 0;
      await historyDb(trx)
        .updateTable('messages')
        .set({ status: 'converted', updated_at: at })
        .where(
          'id',
          'in',
          out.map((r) => r.id),
        )
        .execute();
      for (const r of out) await appendSteps(trx, r.id, [{ status: 'converted', at, detail }]);
      return out.length;
    },

    get: async (id: string): Promise<Message | undefined> => {
      const row = await find(store.db, id);
      return row && toMessage(row);
    },

    /** These messages, by id (those not in the history are left out). */
    getAll: async (ids: readonly string[]): Promise<Map<string, Message>> =>
      new Map([...(await findAll(store.db, [...new Set(ids)]))].map(([id, row]) => [id, toMessage(row)])),

    /** The status history of a message, oldest first. */
    async steps(id: string): Promise<{ status: MessageStatus; at: number; detail: Record<string, unknown> | null }[]> {
      const rows = await historyDb(store.db).selectFrom('message_events').selectAll().where('message_id', '=', id).orderBy('id').execute();
      return rows.map((r) => ({ status: r.status as MessageStatus, at: Number(r.at), detail: r.detail === null ? null : JSON.parse(r.detail) }));
    },

    /** Newest first. */
    async list(filter: MessageFilter): Promise<Message[]> {
      let query = historyDb(store.db).selectFrom('messages').selectAll();
      if (filter.profileId) query = query.where('profile_id', '=', filter.profileId);
      if (filter.journeyId) query = query.where('journey_id', '=', filter.journeyId);
      if (filter.channel) query = query.where('channel', '=', filter.channel);
      if (filter.status) query = query.where('status', '=', filter.status);
      if (filter.before !== undefined) query = query.where('seq', '<', filter.before);
      return (await query.orderBy('seq', 'desc').limit(filter.limit).execute()).map(toMessage);
    },

    /** What an outbox-channel reader takes: messages handed to the outbox, oldest first, after a position. */
    async outbox(after: number, limit: number, channel?: string): Promise<Message[]> {
      let query = historyDb(store.db).selectFrom('messages').selectAll().where('delivery', '=', 'outbox').where('seq', '>', after);
      if (channel) query = query.where('channel', '=', channel);
      return (await query.orderBy('seq').limit(limit).execute()).map(toMessage);
    },

    /** A profile's messages around a moment, for its timeline: newest first, before (requestedAt, seq). */
    async ofProfile(profileId: string, before: { at: number; seq: number } | undefined, limit: number, channel?: string): Promise<Message[]> {
      let query = historyDb(store.db).selectFrom('messages').selectAll().where('profile_id', '=', profileId);
      if (channel) query = query.where('channel', '=', channel);
      if (before)
        query = query.where((eb) => eb.or([eb('requested_at', '<', before.at), eb.and([eb('requested_at', '=', before.at), eb('seq', '<', before.seq)])]));
      return (await query.orderBy('requested_at', 'desc').orderBy('seq', 'desc').limit(limit).execute()).map(toMessage);
    },

    /** A journey's messages counted by step, arm, status and reason. */
    async countsOf(journeyId: string): Promise<{ stepId: string | null; arm: string | null; status: string; reason: string | null; count: number }[]> {
      const rows = await historyDb(store.db)
        .selectFrom('messages')
        .select(['step_id', 'arm', 'status', 'reason', (eb) => eb.fn.countAll<number>().as('n')])
        .where('journey_id', '=', journeyId)
        .groupBy(['step_id', 'arm', 'status', 'reason'])
        .execute();
      return rows.map((r) => ({ stepId: r.step_id, arm: r.arm, status: r.status, reason: r.reason, count: Number(r.n) }));
    },

    /** Erasure: a person's messages and their histories go with them. */
    async forget(trx: Kysely<object>, profileIds: string[]): Promise<void> {
      if (profileIds.length === 0) return;
      const ids = await historyDb(trx).selectFrom('messages').select('id').where('profile_id', 'in', profileIds).execute();
      await store.bulk.deleteIn(
        trx,
        'message_events',
        'message_id',
        ids.map((r) => r.id),
      );
      await store.bulk.deleteIn(trx, 'messages', 'profile_id', profileIds);
    },
  };
}

export type Messages = ReturnType<typeof createMessages>;
