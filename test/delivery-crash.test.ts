/**
 * A rate-limited send drains through a restart: a real server sends one SMS
 * to each of 5,000 customers through a webhook channel at 1,000 a second,
 * is killed (SIGKILL) halfway through the drain, and once started again on
 * the same store every customer has exactly one message. A message that was in
 * flight at the kill may reach the receiver twice with the same webhook-id
 * (the receiver drops the repeat: that is what the id is for); no customer
 * gets two different messages and none gets none. Runs on every dialect.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIALECTS } from './support/dialects.js';
import { callServer, startServerProcess, type ServerProcess } from './support/process.js';
import { ADMIN_TOKEN } from './support/touchpoint.js';

const CUSTOMERS = 5_000;
const RATE = 1000;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

interface Receipt {
  id: string;
  profileId: string;
  at: number;
}

async function startCountingReceiver(): Promise<{ url: string; receipts: Receipt[]; close(): Promise<void> }> {
  const receipts: Receipt[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { profileId: string } };
      receipts.push({ id: String(req.headers['webhook-id']), profileId: body.data.profileId, at: Date.now() });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    receipts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, everyMs = 20, ms = 180_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

const distinct = (receipts: readonly Receipt[]) => new Set(receipts.map((r) => r.id)).size;

for (const dialect of DIALECTS) {
  describe(`a rate-limited send killed while it drains (${dialect.name})`, () => {
    it('reaches every one of 5,000 customers exactly once after a SIGKILL', { timeout: 300_000 }, async (t) => {
      const receiver = await startCountingReceiver();
      const db = await dialect.create();
      const env = {
        TOUCHPOINT_DATABASE_URL: db.url,
        TOUCHPOINT_ADMIN_TOKEN: ADMIN_TOKEN,
        TOUCHPOINT_LOG_LEVEL: 'warn',
        TOUCHPOINT_CHANNELS: JSON.stringify({ sms: { kind: 'webhook', url: receiver.url, secret: SECRET, ratePerSecond: RATE } }),
        TOUCHPOINT_OUTBOUND_ALLOW_LIST: '["127.0.0.1"]',
        // A delivery claimed by the killed server is taken again after this.
        TOUCHPOINT_DELIVERY_LEASE_MS: '2000',
        TOUCHPOINT_DELIVERY_POLL_MS: '100',
      };
      let server: ServerProcess | undefined;
      const api = <T>(method: string, path: string, body?: unknown, auth?: string) => callServer<T>(server!, method, path, body, auth);
      try {
        server = await startServerProcess(env);
        await api('POST', '/api/content', { name: 'Sale', variants: { sms: { text: 'The sale starts now, {{ traits.name }}' } } });
        const definition = { entry: { event: { name: 'Sale Announced' } }, steps: [{ id: 'send', send: { channel: 'sms', content: 'Sale' } }] };
        const { id } = await api<{ id: string }>('POST', '/api/journeys', { name: 'Sale', definition });
        await api('POST', `/api/journeys/${id}/status`, { status: 'live' });
        const { writeKey } = await api<{ writeKey: string }>('POST', '/api/sources', { name: 'CRM', channel: 'other' });
        const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
        for (let i = 0; i < CUSTOMERS; i += 500) {
          const batch = Array.from({ length: Math.min(500, CUSTOMERS - i) }, (_, k) => `c${i + k}`).flatMap((userId) => [
            {
              type: 'identify',
              userId,
              messageId: `id-${userId}`,
              traits: { name: userId, phone: `+3361${String(i).padStart(7, '0')}`, consent: { sms: 'granted' } },
            },
            { type: 'track', userId, event: 'Sale Announced', messageId: `go-${userId}` },
          ]);
          await api('POST', '/v1/batch', { batch }, auth);
        }
        const started = Date.now();
        const atKill = await until('the drain to be under way', () => (distinct(receiver.receipts) >= 2500 ? distinct(receiver.receipts) : undefined));
        const seconds = (Date.now() - receiver.receipts[0]!.at) / 1000;
        server.kill();
        await server.exited;
        server = undefined;
        assert.ok(atKill < CUSTOMERS, `the kill came after all ${CUSTOMERS} were sent: nothing was left to drain`);
        // The channel's pace: at most a second's worth ahead of the rate.
        const firstRun = receiver.receipts.length;
        assert.ok(firstRun <= RATE * seconds + 2 * RATE, `${firstRun} requests in ${seconds.toFixed(1)} s at ${RATE}/s`);

        server = await startServerProcess(env);
        await until('every customer to get their message', () => (distinct(receiver.receipts) >= CUSTOMERS ? true : undefined), 100);
        await until('the queue to be empty', async () => {
          const [sms] = await api<{ waiting: number; dead: number }[]>('GET', '/api/channels');
          return sms!.waiting === 0 ? sms : undefined;
        });
        const byCustomer = new Map<string, Set<string>>();
        for (const r of receiver.receipts) byCustomer.set(r.profileId, (byCustomer.get(r.profileId) ?? new Set()).add(r.id));
        const repeats = receiver.receipts.length - distinct(receiver.receipts);
        t.diagnostic(
          `killed at ${atKill} of ${CUSTOMERS} after ${((Date.now() - started) / 1000).toFixed(1)} s; ${repeats} repeats of in-flight messages after the restart`,
        );
        assert.deepEqual(
          {
            customers: byCustomer.size,
            twoMessages: [...byCustomer.values()].filter((ids) => ids.size > 1).length,
            messages: distinct(receiver.receipts),
          },
          { customers: CUSTOMERS, twoMessages: 0, messages: CUSTOMERS },
        );
        // Only what was in flight at the kill can come twice: one batch at most.
        assert.ok(repeats <= 200, `${repeats} repeats`);
        const [sms] = await api<{ waiting: number; dead: number }[]>('GET', '/api/channels');
        assert.deepEqual([sms!.waiting, sms!.dead], [0, 0]);
      } finally {
        server?.kill();
        await server?.exited;
        await receiver.close();
        await db.cleanup();
      }
    });
  });
}
