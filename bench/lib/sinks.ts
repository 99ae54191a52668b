/**
 * The loopback receivers the delivery bench sends to, in a worker thread of
 * their own: answering costs the sending thread nothing, as a receiver on
 * another machine would. What they took is read from a shared counter, with
 * no round trip to the worker.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

export type SinkKind = 'webhook' | 'smtp';
export const SINK_SLOTS: Record<SinkKind, number> = { webhook: 0, smtp: 1 };
export type SinkCommand = { do: 'ids'; kind: SinkKind } | { do: 'reset' };

export interface Sinks {
  /** The HTTP receiver: answers 200 once a request's body is in. */
  webhookUrl: string;
  /** The SMTP server on 127.0.0.1: no login, no STARTTLS, every message accepted. */
  smtpPort: number;
  /** Requests (messages) taken since the last reset. */
  taken(kind: SinkKind): number;
  /** Waits until `count` were taken; false after `timeoutMs`. */
  until(kind: SinkKind, count: number, timeoutMs: number): Promise<boolean>;
  /** Distinct message ids taken since the last reset. */
  distinct(kind: SinkKind): Promise<number>;
  reset(): Promise<void>;
  /** The receivers' thread: how busy its event loop was since `since` (from an earlier call). */
  busy(since?: EventLoopUtilization): EventLoopUtilization;
  close(): Promise<void>;
}

export async function startSinks(): Promise<Sinks> {
  const counters = new SharedArrayBuffer(4 * Object.keys(SINK_SLOTS).length);
  const counts = new Int32Array(counters);
  const worker = new Worker(new URL('./sink-worker.js', import.meta.url), { workerData: counters });
  const ask = <T>(command: SinkCommand) =>
    new Promise<T>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage(command);
    });
  const ports = await new Promise<{ webhook: number; smtp: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const taken = (kind: SinkKind) => Atomics.load(counts, SINK_SLOTS[kind]);
  return {
    webhookUrl: `http://127.0.0.1:${ports.webhook}/sms`,
    smtpPort: ports.smtp,
    taken,
    async until(kind, count, timeoutMs) {
      const end = performance.now() + timeoutMs;
      while (taken(kind) < count) {
        if (performance.now() > end) return false;
        await sleep(2);
      }
      return true;
    },
    distinct: async (kind) => (await ask<{ distinct: number }>({ do: 'ids', kind })).distinct,
    reset: async () => void (await ask({ do: 'reset' })),
    busy: (since) => worker.performance.eventLoopUtilization(since),
    close: async () => void (await worker.terminate()),
  };
}
