/**
 * Takes queued deliveries out through their channels: one loop per channel,
 * at the channel's rate, a bounded number in flight. Each round claims what
 * the rate allows, delivers it, and records every result in one
 * transaction: delivered rows go, failed ones get another try after a
 * back-off or, out of tries (or failed for good), stay as dead letters.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Store } from '../store/index.js';
import type { Claimed, Queue } from './queue.js';
import { createBucket, type Bucket } from './rate.js';
import type { Adapter, DeliveryResult } from './types.js';

export interface ChannelRuntime {
  name: string;
  adapter: Adapter;
  ratePerSecond?: number;
  maxAttempts: number;
  /** Deliveries in flight at once. */
  concurrency: number;
}

/** One delivery's result as the contact history records it; `final` when no try is left. */
export interface Attempted {
  claimed: Claimed;
  result: DeliveryResult;
  final: boolean;
  nextAt: number | null;
  at: number;
  /** Not sent at all: screened out when its turn came (the reason is the result's). */
  screened?: boolean;
}

export interface DispatcherDeps {
  store: Store;
  queue: Queue;
  channels: readonly ChannelRuntime[];
  now(): number;
  /** The wait before try `attempt + 1` after try `attempt` failed. */
  retryDelay(attempt: number): number;
  /** The longest wait between two tries: a receiver's Retry-After is honoured up to this. */
  maxRetryMs: number;
  /** Records the results in the contact history, in the transaction that settles the queue. */
  record(trx: Kysely<object>, attempted: readonly Attempted[]): Promise<void>;
  logger?: Logger;
  /** How long a claim lasts; it is renewed every third of it while its sends are under way. */
  leaseMs: number;
  /** Deliveries that must not go out any more (an address suppressed while they waited), with the reason. */
  screen?(claimed: readonly Claimed[]): Promise<Map<string, string>>;
  /** Counts each try (metrics). */
  observe?(channel: string, a: Attempted, seconds: number): void;
  pollMs: number;
  /** Claimed per round at most. */
  batchSize: number;
}

/** Runs `work` over the items with at most `limit` at once. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function deliverOne(channel: ChannelRuntime, claimed: Claimed): Promise<DeliveryResult> {
  try {
    return await channel.adapter.deliver(claimed.delivery);
  } catch (error) {
    // An adapter throws only on a bug; the message is tried again rather than lost.
    return { kind: 'retry', reason: 'adapter_error', response: { body: String((error as Error).message).slice(0, 2000) } };
  }
}

export function createDispatcher(deps: DispatcherDeps) {
  let running = false;
  const wakers = new Set<() => void>();
  const loops: Promise<void>[] = [];

  function attempted(channel: ChannelRuntime, claimed: Claimed, result: DeliveryResult, at: number): Attempted {
    const attempt = claimed.delivery.attempt;
    const final = result.kind !== 'retry' || attempt >= channel.maxAttempts;
    // A receiver that says when to come back (Retry-After) is not asked sooner.
    const retryAfter = result.kind === 'retry' ? Number(result.response?.retryAfterMs) : Number.NaN;
    const asked = Number.isFinite(retryAfter) ? Math.min(Math.max(0, retryAfter), deps.maxRetryMs) : 0;
    return { claimed, result, final, nextAt: final ? null : at + Math.max(deps.retryDelay(attempt), asked), at };
  }

  /** One round of a channel: claims what its rate allows, delivers, records. Returns how many it delivered or tried. */
  async function round(channel: ChannelRuntime, bucket: Bucket): Promise<number> {
    const granted = bucket.take(deps.now(), deps.batchSize);
    if (granted === 0) return 0;
    const claimed = await deps.queue.claim(channel.name, deps.now(), granted);
    bucket.refund(granted - claimed.length);
    if (claimed.length === 0) return 0;
    const ids = claimed.map((c) => c.delivery.messageId);
    // Slow providers must not let the claim lapse while its sends are under way: another server would send them again.
    const keep = setInterval(() => void deps.queue.extend(ids, deps.now()).catch(() => {}), deps.leaseMs / 3);
    let tried: Attempted[];
    try {
      const blocked = (await deps.screen?.(claimed)) ?? new Map<string, string>();
      // What is screened out is not sent: it takes none of the channel's rate.
      bucket.refund(blocked.size);
      tried = await pool(claimed, channel.concurrency, async (c) => {
        const started = performance.now();
        const reason = blocked.get(c.delivery.messageId);
        const a = reason
          ? { ...attempted(channel, c, { kind: 'failed', reason }, deps.now()), screened: true }
          : attempted(channel, c, await deliverOne(channel, c), deps.now());
        deps.observe?.(channel.name, a, (performance.now() - started) / 1000);
        return a;
      });
    } finally {
      clearInterval(keep);
    }
    await deps.store.write(async (trx) => {
      // Only what is still this server's claim is settled and recorded: a claim taken over was sent again by its new holder.
      const mine = await deps.queue.mine(trx, ids);
      const results = tried.filter((r) => mine.has(r.claimed.delivery.messageId));
      // Delivered, or screened out: the row goes (a screened message is no dead letter: there is nothing to send again).
      await deps.queue.done(
        trx,
        results.filter((r) => r.result.kind === 'sent' || r.screened).map((r) => r.claimed.delivery.messageId),
      );
      for (const r of results.filter((x) => x.result.kind !== 'sent' && !x.screened)) {
        const reason = r.result.kind === 'sent' ? '' : r.result.reason;
        await deps.queue.retry(trx, r.claimed.delivery.messageId, r.claimed.delivery.attempt, { nextAt: r.nextAt, reason, response: r.result.response }, r.at);
      }
      await deps.record(trx, results);
    });
    return claimed.length;
  }

  async function sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      }
      wakers.add(done);
    });
  }

  async function loop(channel: ChannelRuntime): Promise<void> {
    const bucket = createBucket(channel.ratePerSecond, deps.now());
    while (running) {
      let worked = 0;
      try {
        worked = await round(channel, bucket);
      } catch (error) {
        deps.logger?.error({ err: error, channel: channel.name }, 'delivery round failed; trying again');
        await sleep(deps.pollMs);
        continue;
      }
      if (!running) break;
      const wait = bucket.waitMs(deps.now());
      if (wait > 0) await sleep(wait);
      else if (worked === 0) await sleep(await idleWait(channel));
    }
  }

  async function idleWait(channel: ChannelRuntime): Promise<number> {
    const next = await deps.queue.nextDue([channel.name]);
    return next === null ? deps.pollMs : Math.max(10, Math.min(deps.pollMs, next - deps.now()));
  }

  return {
    /** One round of every channel, for tests that drive time themselves. Returns how many were tried. */
    async step(): Promise<number> {
      let total = 0;
      for (const channel of deps.channels) total += await round(channel, createBucket(undefined, 0));
      return total;
    },
    start(): void {
      if (running) return;
      running = true;
      for (const channel of deps.channels) loops.push(loop(channel));
    },
    /** New deliveries were queued: idle loops look now rather than at their next poll. */
    wake(): void {
      for (const w of [...wakers]) w();
    },
    async stop(): Promise<void> {
      running = false;
      for (const w of [...wakers]) w();
      await Promise.all(loops.splice(0));
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
