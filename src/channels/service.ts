/**
 * The channels module as one service: which configured channel takes a
 * message, the queue it waits in, the dispatcher that takes it out, what
 * each try did (in the contact history), the addresses that must not be
 * written to again, and the responses that come back.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Step } from '../history/index.js';
import type { Store } from '../store/index.js';
import { createDispatcher, type Attempted, type DispatcherDeps } from './dispatcher.js';
import { createQueue, type Claimed, type NewDelivery } from './queue.js';
import { createResponses, type ResponseDeps } from './responses.js';
import type { ChannelTables } from './tables.js';
import type { Adapter } from './types.js';

const channelsDb = (db: Kysely<object>) => db.withTables<ChannelTables>();

export type ContentChannel = 'email' | 'sms' | 'push' | 'webhook';

/** A configured channel, its adapter built (main.ts chooses the adapter per kind). */
export interface ConfiguredChannel {
  name: string;
  kind: string;
  /** The content variant it sends. */
  serves: ContentChannel;
  adapter: Adapter;
  ratePerSecond?: number;
  maxAttempts: number;
  concurrency: number;
  /** Signs and checks this channel's delivery callbacks (webhook channels). */
  secret?: string;
}

export interface ChannelsDeps {
  store: Store;
  channels: readonly ConfiguredChannel[];
  now(): number;
  /** A stable id of this process, to claim deliveries with. */
  nodeId: string;
  leaseMs: number;
  pollMs: number;
  batchSize: number;
  retryDelay(attempt: number): number;
  maxRetryMs: number;
  messages: ResponseDeps['messages'] & { advance(trx: Kysely<object>, list: readonly { id: string; step: Step }[]): Promise<void> };
  responses: Omit<ResponseDeps, 'messages' | 'suppress'>;
  callSecret(): Promise<string>;
  /** Of these queued messages, those whose customer has denied consent since they were queued (by message id), read in one go. */
  consentWithdrawn?(deliveries: readonly { messageId: string; profileId: string; channel: string; purpose: string }[]): Promise<Set<string>>;
  /** Of these queued journey messages, those whose enrolment reached its goal since. */
  goalReached?(messageIds: readonly string[]): Promise<Set<string>>;
  /** Results of journeys' webhook calls. */
  onCalls?(trx: Kysely<object>, attempted: readonly Attempted[]): Promise<void>;
  logger?: Logger;
  observe?: DispatcherDeps['observe'];
}

/** How an address is compared: e-mail addresses without case, phone numbers as written (E.164). */
const normalAddress = (channel: string, address: string) => (channel === 'email' ? address.trim().toLowerCase() : address.trim());
const addressKey = (channel: string, address: string) => `${channel}:${normalAddress(channel, address)}`;

/** The step a try adds to its message's life. */
export function stepOf(a: Attempted, channelName: string): Step {
  const { delivery } = a.claimed;
  const base = { channel: channelName, attempt: delivery.attempt, ...(delivery.to && { to: delivery.to }) };
  const r = a.result;
  if (a.screened && r.kind === 'failed') return { status: 'suppressed', at: a.at, reason: r.reason, detail: { channel: channelName, atDelivery: true } };
  if (r.kind === 'sent') return { status: 'sent', at: a.at, detail: { ...base, response: r.response } };
  if (!a.final) return { status: 'queued', at: a.at, detail: { ...base, retry: r.reason, nextTry: new Date(a.nextAt!).toISOString(), response: r.response } };
  return { status: 'failed', at: a.at, reason: r.reason, detail: { ...base, deadLetter: true, response: r.response } };
}

/** A secret Touchpoint keeps for itself under a name, made once and shared by every node (and every restart). */
export async function keyOf(store: Store, name: string, make: () => string = () => randomBytes(32).toString('base64url')): Promise<string> {
  const made = make();
  await store.write((trx) => store.bulk.insert(trx, 'channel_keys', ['name', 'value'], [[name, made]], { conflict: { target: ['name'] } }));
  const row = await channelsDb(store.db).selectFrom('channel_keys').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

/** Of these channel and address pairs, those suppressed (as given), read in the caller's transaction. */
async function suppressedAmong<P extends { channel: string; address: string }>(db: Kysely<object>, pairs: readonly P[]): Promise<P[]> {
  if (pairs.length === 0) return [];
  const addresses = [...new Set(pairs.map((p) => normalAddress(p.channel, p.address)))];
  const rows = await channelsDb(db).selectFrom('address_suppressions').select(['channel', 'address']).where('address', 'in', addresses).execute();
  const keys = new Set(rows.map((r) => `${r.channel}:${r.address}`));
  return pairs.filter((p) => keys.has(addressKey(p.channel, p.address)));
}

export function createChannels(deps: ChannelsDeps) {
  const queue = createQueue(deps.store, { me: deps.nodeId, leaseMs: deps.leaseMs });
  const byName = new Map(deps.channels.map((c) => [c.name, c]));

  async function record(trx: Kysely<object>, attempted: readonly Attempted[]): Promise<void> {
    const messages = attempted.filter((a) => a.claimed.kind === 'message');
    await deps.messages.advance(
      trx,
      messages.map((a) => ({ id: a.claimed.delivery.messageId, step: stepOf(a, a.claimed.delivery.channelName) })),
    );
    const calls = attempted.filter((a) => a.claimed.kind === 'call');
    if (calls.length > 0) await deps.onCalls?.(trx, calls);
  }

  /** A queue may drain for hours: an address that bounced, or a customer who unsubscribed, meanwhile is not written to. */
  async function screen(claimed: readonly Claimed[]): Promise<Map<string, string>> {
    const messages = claimed.filter((c) => c.kind === 'message').map((c) => c.delivery);
    const pairs = messages.flatMap((d) => (d.to ? [{ id: d.messageId, channel: d.channel, address: d.to }] : []));
    const [found, withdrawn, converted] = await Promise.all([
      suppressedAmong(deps.store.db, pairs),
      deps.consentWithdrawn?.(messages) ?? new Set<string>(),
      deps.goalReached?.(messages.filter((d) => d.journeyId !== null).map((d) => d.messageId)) ?? new Set<string>(),
    ]);
    return new Map([
      ...[...converted].map((id) => [id, 'goal_reached'] as const),
      ...[...withdrawn].map((id) => [id, 'consent_denied'] as const),
      ...found.map((p) => [p.id, 'address_suppressed'] as const),
    ]);
  }

  const dispatcher = createDispatcher({
    store: deps.store,
    queue,
    channels: deps.channels,
    now: deps.now,
    retryDelay: deps.retryDelay,
    maxRetryMs: deps.maxRetryMs,
    leaseMs: deps.leaseMs,
    screen,
    record,
    logger: deps.logger,
    observe: deps.observe,
    pollMs: deps.pollMs,
    batchSize: deps.batchSize,
  });

  async function suppress(channel: string, address: string, reason: string, messageId: string | null, at: number): Promise<void> {
    const key = normalAddress(channel, address);
    await deps.store.write((trx) =>
      deps.store.bulk.insert(trx, 'address_suppressions', ['channel', 'address', 'reason', 'message_id', 'at'], [[channel, key, reason, messageId, at]], {
        conflict: { target: ['channel', 'address'] },
      }),
    );
  }

  const responses = createResponses({ ...deps.responses, messages: deps.messages, suppress });

  return {
    responses,
    dispatcher,
    queue,

    /**
     * The configured channel that takes a message of this content channel:
     * the one named `via`, else the one named like the content channel, else
     * the first that sends its variant; the outbox when none is configured.
     */
    routeOf(channel: ContentChannel, via?: string): string {
      const takers = deps.channels.filter((c) => c.kind !== 'call');
      // The outbox may be named too: a step that wants its messages read through the API. A channel
      // named for the variant asked for does not take another the policy rerouted to (a fallback).
      if (via === 'outbox') return 'outbox';
      const named = via === undefined ? undefined : takers.find((c) => c.name === via && c.serves === channel);
      if (named) return named.name;
      return (takers.find((c) => c.name === channel && c.serves === channel) ?? takers.find((c) => c.serves === channel))?.name ?? 'outbox';
    },

    /** Whether a provider's callback (by its webhook-id) was taken before. */
    async seen(channelName: string, webhookId: string): Promise<boolean> {
      const row = await channelsDb(deps.store.db)
        .selectFrom('callback_receipts')
        .select('at')
        .where('channel_name', '=', channelName)
        .where('webhook_id', '=', webhookId)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** A callback was taken: its repeats are dropped for a week (a provider retries for less). */
    async received(channelName: string, webhookId: string, at: number): Promise<void> {
      await deps.store.write(async (trx) => {
        await deps.store.bulk.insert(trx, 'callback_receipts', ['channel_name', 'webhook_id', 'at'], [[channelName, webhookId, at]], {
          conflict: { target: ['channel_name', 'webhook_id'] },
        });
        await channelsDb(trx)
          .deleteFrom('callback_receipts')
          .where('at', '<', at - 7 * 24 * 3_600_000)
          .execute();
      });
    },

    /** The channels messages may go to (not the built-in journey-calls). */
    takers: () => deps.channels.filter((c) => c.kind !== 'call'),
    channel: (name: string) => byName.get(name),
    list: () => [...deps.channels],

    async enqueue(trx: Kysely<object>, list: readonly NewDelivery[], now: number): Promise<void> {
      if (list.length === 0) return;
      await queue.enqueue(trx, list, now);
    },

    suppressedAmong,

    /** The suppressed addresses, newest first. */
    async suppressions(limit: number, before?: number) {
      let query = channelsDb(deps.store.db).selectFrom('address_suppressions').selectAll();
      if (before !== undefined) query = query.where('at', '<', before);
      return (await query.orderBy('at', 'desc').limit(limit).execute()).map((r) => ({
        channel: r.channel,
        address: r.address,
        reason: r.reason,
        messageId: r.message_id,
        at: Number(r.at),
      }));
    },

    /** An address may be written to again (an admin's decision after a bounce was fixed). */
    async unsuppress(channel: string, address: string): Promise<boolean> {
      const key = normalAddress(channel, address);
      const result = await deps.store.write((trx) =>
        channelsDb(trx).deleteFrom('address_suppressions').where('channel', '=', channel).where('address', '=', key).executeTakeFirst(),
      );
      return Number(result.numDeletedRows) > 0;
    },

    /** The secret journeys' webhook calls are signed with. */
    callSecret: () => deps.callSecret(),

    /** Sends a dead letter again, with a fresh count of tries; false when the channel has no such dead letter. */
    async requeue(channelName: string, id: string): Promise<boolean> {
      const now = deps.now();
      const found = await deps.store.write(async (trx) => {
        const row = await queue.requeue(trx, channelName, id, now);
        if (row?.kind === 'message')
          await deps.messages.advance(trx, [{ id, step: { status: 'queued', at: now, detail: { channel: channelName, requeued: true } } }]);
        return row !== undefined;
      });
      if (found) dispatcher.wake();
      return found;
    },

    async forget(trx: Kysely<object>, profileIds: string[]): Promise<void> {
      await queue.forget(trx, profileIds);
    },

    start: () => dispatcher.start(),
    wake: () => dispatcher.wake(),
    async stop(): Promise<void> {
      await dispatcher.stop();
      await Promise.all(deps.channels.map((c) => c.adapter.close()));
    },
  };
}

export type Channels = ReturnType<typeof createChannels>;
