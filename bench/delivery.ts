/**
 * npm run bench:delivery — how fast do messages leave through a channel? On
 * SQLite (or on PostgreSQL when TOUCHPOINT_TEST_DATABASE_URL is set), for
 * each kind of channel: BENCH_MESSAGES (BENCH_SMTP_MESSAGES by SMTP)
 * messages recorded in the contact history and queued for the channel in
 * one go, through the channels module's door as a journey queues them; then
 * the dispatcher started as the server starts it (channels.start()) and
 * timed until the queue is empty:
 * every message claimed, handed to the channel's adapter, taken by a
 * receiver on loopback, and its result recorded in the history. Beside it,
 * the same receiver driven directly by the same client with as many in
 * flight (deliveryConcurrency): the ratio is what the queue and the history
 * cost.
 *
 * - webhook: the channel `sms` (kind webhook) to an HTTP receiver answering
 *   200 at once; directly: createOutbound + sendSigned, the adapter's own
 *   request (the same envelope, signed).
 * - smtp: the channel `email` (kind smtp) to an SMTP server that accepts
 *   every message; directly: nodemailer's pooled transport with the
 *   channel's connections, sending the same emails (buildEmail: the
 *   adapter's MIME, links tracked).
 *
 * The receivers run in a worker thread, as another machine would: answering
 * costs the sending thread nothing. How busy each thread's event loop was
 * says which side set the pace.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import nodemailer from 'nodemailer';
import { buildEmail, createLinkSigner, type EmailOptions } from '../src/channels/email/index.js';
import type { Delivery, DeliveryResult, NewDelivery } from '../src/channels/index.js';
import { createOutbound } from '../src/channels/outbound.js';
import { pool } from '../src/channels/dispatcher.js';
import { webhookEnvelope } from '../src/channels/webhook/adapter.js';
import { sendSigned } from '../src/channels/webhook/send.js';
import { loadConfig } from '../src/config.js';
import type { Step } from '../src/history/index.js';
import { openTouchpoint, type Touchpoint } from '../src/main.js';
import { startSinks, type SinkKind, type Sinks } from './lib/sinks.js';
import { freshStore, rate, removeStores, storeKind } from './lib/stores.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
/** Fewer by SMTP, a conversation of several round trips a message: the rate settles as soon. */
const SMTP_MESSAGES = Number(process.env.BENCH_SMTP_MESSAGES ?? 5_000);
/** Sent directly before anything is timed: the JIT and the receivers' first connections. */
const WARM_UP = 1_000;
const QUEUED_A_TRANSACTION = 1_000;
const DRAIN_TIMEOUT_MS = 120_000;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const LINK_SECRET = 'bench-link-secret-0123456789abcdef';
const PUBLIC_URL = 'https://t.shop.example';
const FROM = 'Shop <news@shop.example>';
const kind = storeKind();

const SMS = { text: 'Shop: the spring sale starts now, up to 40% off in store and online until Sunday. See you soon! Reply STOP to opt out.' };
const EMAIL = {
  subject: 'The spring sale starts now',
  preheader: 'Up to 40% off in store and online until Sunday',
  html:
    '<html><body><h1>The spring sale starts now</h1><p>Up to 40% off in store and online until Sunday.</p>' +
    '<p><a href="https://shop.example/sale?utm_source=email">Shop the sale</a> or <a href="https://shop.example/stores">find a store</a>.</p>' +
    `<p>${'New arrivals for spring: jackets, shoes and bags. '.repeat(20)}</p>` +
    '<p><a href="https://shop.example/account">Your account</a></p></body></html>',
  text: `The spring sale starts now\n\nUp to 40% off in store and online until Sunday: https://shop.example/sale\n\n${'New arrivals for spring. '.repeat(20)}\n`,
};

/** One kind of channel: how Touchpoint is configured to reach its receiver, and how the receiver is driven directly. */
interface Part {
  sink: SinkKind;
  /** The configured channel's name, which is also the content channel it sends. */
  channel: 'sms' | 'email';
  messages: number;
  receiver: string;
  /** The channel's configuration (TOUCHPOINT_CHANNELS). */
  config(sinks: Sinks): Record<string, unknown>;
  rendered: Record<string, unknown>;
  to(i: number): string;
  direct: { label: string; send(sinks: Sinks, deliveries: readonly Delivery[], concurrency: number): Promise<DeliveryResult[]> };
}

const webhook: Part = {
  sink: 'webhook',
  channel: 'sms',
  messages: MESSAGES,
  receiver: 'an HTTP receiver answering 200 at once',
  config: (sinks) => ({ kind: 'webhook', url: sinks.webhookUrl, secret: SECRET }),
  rendered: SMS,
  to: (i) => `+336${String(i).padStart(8, '0')}`,
  direct: {
    label: 'createOutbound + sendSigned',
    async send(sinks, deliveries, concurrency) {
      const outbound = createOutbound({ allow: ['127.0.0.1'], userAgent: 'Touchpoint' });
      try {
        return await pool(deliveries, concurrency, (d) => {
          const now = Date.now();
          return sendSigned(outbound, { url: sinks.webhookUrl, secret: SECRET, id: d.messageId, body: webhookEnvelope(d, now), timeoutMs: 10_000 }, now);
        });
      } finally {
        outbound.close();
      }
    },
  },
};

/** The SMTP channel's pooled connections (its maxConnections default), on both sides. */
const SMTP_CONNECTIONS = 5;

const smtp: Part = {
  sink: 'smtp',
  channel: 'email',
  messages: SMTP_MESSAGES,
  receiver: 'an SMTP server accepting every message (no login, no STARTTLS)',
  config: (sinks) => ({ kind: 'smtp', host: '127.0.0.1', port: sinks.smtpPort, from: FROM, maxConnections: SMTP_CONNECTIONS }),
  rendered: EMAIL,
  to: (i) => `customer${i}@example.com`,
  direct: {
    label: `nodemailer pooled transport (${SMTP_CONNECTIONS} connections), buildEmail`,
    async send(sinks, deliveries, concurrency) {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sinks.smtpPort, secure: false, pool: true, maxConnections: SMTP_CONNECTIONS });
      const options: EmailOptions = { from: FROM, unsubscribeMailto: 'unsubscribe@shop.example', publicUrl: PUBLIC_URL, signer: createLinkSigner(LINK_SECRET) };
      try {
        return await pool(deliveries, concurrency, async (d): Promise<DeliveryResult> => {
          try {
            const info = await transport.sendMail(buildEmail(d, options));
            return info.accepted.length > 0 ? { kind: 'sent', response: { smtp: info.response } } : { kind: 'failed', reason: 'smtp_rejected' };
          } catch (error) {
            return { kind: 'retry', reason: (error as Error).message };
          }
        });
      } finally {
        transport.close();
      }
    },
  },
};

function deliveriesOf(part: Part, run: string, count: number): Delivery[] {
  return Array.from({ length: count }, (_, i) => ({
    messageId: `msg_bench_${run}_${i}`,
    profileId: `prf_bench_${i}`,
    channelName: part.channel,
    channel: part.channel,
    to: part.to(i),
    purpose: 'marketing',
    rendered: part.rendered,
    journeyId: null,
    stepId: null,
    contentId: null,
    attempt: 1,
  }));
}

/** The messages as a journey leaves them: in the history (requested ... queued for the channel) and in the channel's queue, in one transaction. */
async function queue(tp: Touchpoint, deliveries: readonly Delivery[], now: number): Promise<void> {
  for (let i = 0; i < deliveries.length; i += QUEUED_A_TRANSACTION) {
    const chunk = deliveries.slice(i, i + QUEUED_A_TRANSACTION);
    await tp.store.write(async (trx) => {
      await tp.messages.recordAll(
        trx,
        chunk.map((d) => {
          const steps: Step[] = [
            { status: 'requested', at: now },
            { status: 'allowed', at: now },
            { status: 'rendered', at: now },
            { status: 'queued', at: now, detail: { channel: d.channelName } },
          ];
          return {
            message: {
              id: d.messageId,
              idempotencyKey: `bench:${d.messageId}`,
              profileId: d.profileId,
              channel: d.channel,
              contentId: null,
              purpose: d.purpose,
              requestedAt: now,
            },
            steps,
            outcome: { delivery: d.channelName, rendered: d.rendered, channel: d.channel, sentAt: now },
          };
        }),
      );
      await tp.channels.enqueue(
        trx,
        chunk.map(({ attempt: _attempt, ...d }): NewDelivery => d),
        now,
      );
    });
  }
}

async function waiting(tp: Touchpoint, channel: string): Promise<{ waiting: number; dead: number }> {
  return (await tp.channels.queue.counts()).get(channel) ?? { waiting: 0, dead: 0 };
}

/** How busy the sending thread and the receivers' thread were from now to the call of what it returns. */
function busyMeter(sinks: Sinks): () => { sender: number; receiver: number } {
  const sender = performance.eventLoopUtilization();
  const receiver = sinks.busy();
  return () => ({ sender: performance.eventLoopUtilization(sender).utilization, receiver: sinks.busy(receiver).utilization });
}

/** Touchpoint's figure: from channels.start() until the queue is empty, every result in the history. */
async function throughTouchpoint(part: Part, sinks: Sinks) {
  const store = await freshStore(`delivery-${part.sink}`);
  const config = loadConfig({
    TOUCHPOINT_DATABASE_URL: store.url,
    TOUCHPOINT_LOG_LEVEL: 'silent',
    TOUCHPOINT_CHANNELS: JSON.stringify({ [part.channel]: part.config(sinks) }),
    TOUCHPOINT_OUTBOUND_ALLOW_LIST: '["127.0.0.1"]',
    TOUCHPOINT_PUBLIC_URL: PUBLIC_URL,
    TOUCHPOINT_LINK_SECRET: LINK_SECRET,
  });
  const tp = await openTouchpoint(config);
  const n = part.messages;
  try {
    let started = performance.now();
    await queue(tp, deliveriesOf(part, 'tp', n), Date.now());
    const queueSeconds = (performance.now() - started) / 1000;
    await sinks.reset();
    const busy = busyMeter(sinks);
    started = performance.now();
    tp.channels.start();
    const reached = await sinks.until(part.sink, n, DRAIN_TIMEOUT_MS);
    // The last round's results are recorded after its messages were taken.
    while (reached && (await waiting(tp, part.channel)).waiting > 0) await sleep(2);
    const seconds = (performance.now() - started) / 1000;
    const threads = busy();
    const left = await waiting(tp, part.channel);
    if (!reached) throw new Error(`${part.channel}: ${sinks.taken(part.sink)} of ${n} taken in ${DRAIN_TIMEOUT_MS / 1000} s (${JSON.stringify(left)})`);
    const sent = (await tp.messages.list({ channel: part.channel, status: 'sent', limit: n + 1 })).length;
    return {
      perSecond: n / seconds,
      seconds,
      queueSeconds,
      sent,
      ...left,
      taken: sinks.taken(part.sink),
      distinct: await sinks.distinct(part.sink),
      ...threads,
    };
  } finally {
    await tp.close();
    await store.cleanup();
  }
}

/** The baseline: the same receiver, the same client, as many in flight; no queue, no history. */
async function direct(part: Part, sinks: Sinks, concurrency: number) {
  const n = part.messages;
  await part.direct.send(sinks, deliveriesOf(part, 'warm', WARM_UP), concurrency);
  const deliveries = deliveriesOf(part, 'direct', n);
  await sinks.reset();
  const busy = busyMeter(sinks);
  const started = performance.now();
  const results = await part.direct.send(sinks, deliveries, concurrency);
  const seconds = (performance.now() - started) / 1000;
  const threads = busy();
  const sent = results.filter((r) => r.kind === 'sent').length;
  if (sent !== n) throw new Error(`${part.channel} directly: ${sent} of ${n} sent: ${JSON.stringify(results.find((r) => r.kind !== 'sent'))}`);
  return { perSecond: n / seconds, seconds, distinct: await sinks.distinct(part.sink), ...threads };
}

/** Whether the configuration takes a channel of this kind. */
function configurable(part: Part, sinks: Sinks): boolean {
  try {
    loadConfig({ TOUCHPOINT_CHANNELS: JSON.stringify({ [part.channel]: part.config(sinks) }) });
    return true;
  } catch {
    return false;
  }
}

const figure = (perSecond: number) => `${rate(perSecond).padStart(8)} messages/s`;
const pct = (share: number) => `${Math.round(share * 100)}%`;
const threads = (t: { sender: number; receiver: number }) => `sending thread busy ${pct(t.sender)}, receivers' ${pct(t.receiver)}`;
const WIDTH = 72;

async function report(part: Part, sinks: Sinks, concurrency: number): Promise<void> {
  const n = part.messages;
  console.log(`  ${part.sink}: ${rate(n)} messages, channel ${part.channel} (kind ${part.sink}) to ${part.receiver}`);
  const baseline = await direct(part, sinks, concurrency);
  const directLine = `${`    directly: ${part.direct.label}, ${concurrency} at once`.padEnd(WIDTH)}${figure(baseline.perSecond)}   (${baseline.seconds.toFixed(1)} s; ${threads(baseline)})`;
  if (!configurable(part, sinks)) {
    console.log(directLine);
    console.log(`    Touchpoint: not measured, the configuration takes no channel of kind ${part.sink}`);
    return;
  }
  const tp = await throughTouchpoint(part, sinks);
  console.log(
    `    setup: recorded in the history and queued in ${tp.queueSeconds.toFixed(1)} s (${rate(n / tp.queueSeconds)}/s, ${rate(QUEUED_A_TRANSACTION)} a transaction)`,
  );
  console.log(
    `${'    Touchpoint: queue -> dispatcher -> adapter -> history'.padEnd(WIDTH)}${figure(tp.perSecond)}   ` +
      `(${tp.seconds.toFixed(1)} s from channels.start() to an empty queue; ${threads(tp)}; ` +
      `${rate(tp.sent)} sent in the history, ${rate(tp.distinct)} distinct ids taken of ${rate(tp.taken)}, ${tp.waiting} waiting, ${tp.dead} dead)`,
  );
  console.log(directLine);
  console.log(`    Touchpoint / direct ${(tp.perSecond / baseline.perSecond).toFixed(2)}`);
}

const began = performance.now();
const sinks = await startSinks();
try {
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const defaults = loadConfig({});
  console.log(
    `delivery benchmark on ${kind} (load average ${load()}): ${defaults.deliveryConcurrency} in flight (deliveryConcurrency), ` +
      `up to ${defaults.deliveryBatchSize} claimed a round (deliveryBatchSize), no rate limit; receivers on 127.0.0.1 in a worker thread`,
  );
  for (const part of [webhook, smtp]) await report(part, sinks, defaults.deliveryConcurrency);
  console.log(`  (ran ${((performance.now() - began) / 1000).toFixed(0)} s; load average ${load()})`);
} finally {
  await sinks.close();
  removeStores();
}
