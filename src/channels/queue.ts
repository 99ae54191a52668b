/**
 * The delivery queue's storage. Rows are written in the transaction that
 * let their message through (so a message is queued exactly when its
 * decision is recorded), claimed for a lease by a dispatcher, and then
 * deleted (delivered), put back with a later time (another try) or left
 * dead. Claiming marks the rows with the claimant and re-reads them, which
 * works alike on SQLite and PostgreSQL: two dispatchers never hold a row at
 * once.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Store } from '../store/index.js';
import type { ChannelTables } from './tables.js';
import type { Delivery, DeliveryResponse } from './types.js';

const channelsDb = (db: Kysely<object>) => db.withTables<ChannelTables>();
type Row = Selectable<ChannelTables['deliveries']>;

/** What goes into the queue: a delivery without its try count. */
export type NewDelivery = Omit<Delivery, 'attempt'> & { kind?: 'message' | 'call' };

export interface Claimed {
  delivery: Delivery;
  kind: 'message' | 'call';
  leaseUntil: number;
}

export interface DeadLetter {
  id: string;
  seq: number;
  kind: string;
  channelName: string;
  profileId: string;
  attempts: number;
  reason: string | null;
  response: DeliveryResponse | null;
  at: number;
}

const claimedOf = (r: Row): Claimed => ({
  delivery: { ...(JSON.parse(r.payload) as Omit<Delivery, 'attempt'>), attempt: r.attempts + 1 },
  kind: r.kind as Claimed['kind'],
  leaseUntil: Number(r.lease_until),
});

const deadOf = (r: Row): DeadLetter => ({
  id: r.id,
  seq: Number(r.seq),
  kind: r.kind,
  channelName: r.channel_name,
  profileId: r.profile_id,
  attempts: r.attempts,
  reason: r.last_reason,
  response: r.last_response === null ? null : (JSON.parse(r.last_response) as DeliveryResponse),
  at: Number(r.updated_at),
});

export function createQueue(store: Store, options: { me: string; leaseMs: number }) {
  return {
    /** Queues deliveries in the caller's transaction; one already queued under its id stays as it is. */
    async enqueue(trx: Kysely<object>, list: readonly NewDelivery[], now: number): Promise<void> {
      const rows = list.map(({ kind = 'message', ...d }) => [d.messageId, kind, d.profileId, d.channelName, 'pending', 0, now, JSON.stringify(d), now, now]);
      await store.bulk.insert(
        trx,
        'deliveries',
        ['id', 'kind', 'profile_id', 'channel_name', 'status', 'attempts', 'next_at', 'payload', 'created_at', 'updated_at'],
        rows,
        {
          conflict: { target: ['id'] },
        },
      );
    },

    /** Claims up to `limit` due deliveries of a channel, oldest first, for a lease: pending ones, and claimed ones whose claimant's lease ran out. */
    async claim(channelName: string, now: number, limit: number): Promise<Claimed[]> {
      if (limit <= 0) return [];
      const leaseUntil = now + options.leaseMs;
      return store.write(async (trx) => {
        const db = channelsDb(trx);
        const due = await db
          .selectFrom('deliveries')
          .select('id')
          .where('channel_name', '=', channelName)
          .where((eb) =>
            eb.or([eb.and([eb('status', '=', 'pending'), eb('next_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)])]),
          )
          .orderBy('next_at')
          .orderBy('seq')
          .limit(limit)
          .execute();
        if (due.length === 0) return [];
        const ids = due.map((r) => r.id);
        await db
          .updateTable('deliveries')
          .set({ status: 'sending', claimed_by: options.me, lease_until: leaseUntil, updated_at: now })
          .where('id', 'in', ids)
          .where((eb) =>
            eb.or([eb.and([eb('status', '=', 'pending'), eb('next_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)])]),
          )
          .execute();
        const rows = await db
          .selectFrom('deliveries')
          .selectAll()
          .where('id', 'in', ids)
          .where('claimed_by', '=', options.me)
          .where('lease_until', '=', leaseUntil)
          .orderBy('seq')
          .execute();
        return rows.map(claimedOf);
      });
    },

    /** Of these claimed rows, those still this claimant's (another server takes a claim whose lease ran out), in the caller's transaction. */
    async mine(trx: Kysely<object>, ids: readonly string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await channelsDb(trx)
        .selectFrom('deliveries')
        .select('id')
        .where('id', 'in', ids)
        .where('status', '=', 'sending')
        .where('claimed_by', '=', options.me)
        .execute();
      return new Set(rows.map((r) => r.id));
    },

    /** Keeps claimed rows this claimant's for another lease, while their sends are still under way. */
    async extend(ids: readonly string[], now: number): Promise<void> {
      if (ids.length === 0) return;
      await store.write((trx) =>
        channelsDb(trx)
          .updateTable('deliveries')
          .set({ lease_until: now + options.leaseMs })
          .where('id', 'in', ids)
          .where('status', '=', 'sending')
          .where('claimed_by', '=', options.me)
          .execute(),
      );
    },

    /** Delivered: the row goes (the contact history keeps the message). Only the claimant's own claim is settled. */
    async done(trx: Kysely<object>, ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await channelsDb(trx).deleteFrom('deliveries').where('id', 'in', ids).where('claimed_by', '=', options.me).execute();
    },

    /** Another try at `nextAt`, or none left (dead): the reason and the response are kept. */
    async retry(
      trx: Kysely<object>,
      id: string,
      attempts: number,
      outcome: { nextAt: number | null; reason: string; response?: DeliveryResponse },
      now: number,
    ) {
      await channelsDb(trx)
        .updateTable('deliveries')
        .set({
          status: outcome.nextAt === null ? 'dead' : 'pending',
          attempts,
          next_at: outcome.nextAt ?? now,
          claimed_by: null,
          lease_until: null,
          last_reason: outcome.reason,
          last_response: outcome.response ? JSON.stringify(outcome.response) : null,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('claimed_by', '=', options.me)
        .execute();
    },

    /** Deliveries waiting (pending or being sent) and dead, per channel. */
    async counts(): Promise<Map<string, { waiting: number; dead: number }>> {
      const rows = await channelsDb(store.db)
        .selectFrom('deliveries')
        .select(['channel_name', 'status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['channel_name', 'status'])
        .execute();
      const counts = new Map<string, { waiting: number; dead: number }>();
      for (const r of rows) {
        const c = counts.get(r.channel_name) ?? { waiting: 0, dead: 0 };
        if (r.status === 'dead') c.dead += Number(r.n);
        else c.waiting += Number(r.n);
        counts.set(r.channel_name, c);
      }
      return counts;
    },

    /** When a delivery of these channels may next be claimed: the next pending one's time, or a claim's lease end (null: none). */
    async nextDue(channelNames: readonly string[]): Promise<number | null> {
      if (channelNames.length === 0) return null;
      const db = channelsDb(store.db);
      const [pending, claimed] = await Promise.all([
        db
          .selectFrom('deliveries')
          .select((eb) => eb.fn.min<number>('next_at').as('at'))
          .where('channel_name', 'in', channelNames)
          .where('status', '=', 'pending')
          .executeTakeFirst(),
        db
          .selectFrom('deliveries')
          .select((eb) => eb.fn.min<number>('lease_until').as('at'))
          .where('channel_name', 'in', channelNames)
          .where('status', '=', 'sending')
          .executeTakeFirst(),
      ]);
      const times = [pending?.at, claimed?.at].filter((t) => t !== null && t !== undefined).map(Number);
      return times.length === 0 ? null : Math.min(...times);
    },

    /** A channel's dead letters, newest first, before a seq. */
    async dead(channelName: string, before: number | undefined, limit: number): Promise<DeadLetter[]> {
      let query = channelsDb(store.db).selectFrom('deliveries').selectAll().where('channel_name', '=', channelName).where('status', '=', 'dead');
      if (before !== undefined) query = query.where('seq', '<', before);
      return (await query.orderBy('seq', 'desc').limit(limit).execute()).map(deadOf);
    },

    /** A dead letter queued again with fresh tries, in the caller's transaction; false when there is no such dead letter. */
    async requeue(trx: Kysely<object>, channelName: string, id: string, now: number): Promise<{ kind: string } | undefined> {
      const db = channelsDb(trx);
      const row = await db
        .selectFrom('deliveries')
        .select('kind')
        .where('id', '=', id)
        .where('channel_name', '=', channelName)
        .where('status', '=', 'dead')
        .executeTakeFirst();
      if (!row) return undefined;
      await db.updateTable('deliveries').set({ status: 'pending', attempts: 0, next_at: now, updated_at: now }).where('id', '=', id).execute();
      return row;
    },

    /** Erasure: a person's queued deliveries go with them. */
    async forget(trx: Kysely<object>, profileIds: readonly string[]): Promise<void> {
      await store.bulk.deleteIn(trx, 'deliveries', 'profile_id', [...profileIds]);
    },
  };
}

export type Queue = ReturnType<typeof createQueue>;
