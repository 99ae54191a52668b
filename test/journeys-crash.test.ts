/**
 * A journey survives SIGKILL: a real server killed while the runner is
 * sending the first messages, then again while the waits fall due, and
 * started each time on the same store, ends with every customer's two
 * messages written exactly once, every enrolment completed and no wait lost.
 * Runs on every dialect.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIALECTS } from './support/dialects.js';
import { startServerProcess, type ServerProcess } from './support/process.js';
import { ADMIN_TOKEN } from './support/touchpoint.js';

const CUSTOMERS = 300;
const WAIT_MS = 3000;

const JOURNEY = {
  entry: { event: { name: 'Bench Go' } },
  steps: [
    { id: 'first', send: { channel: 'email', content: 'Crash first' }, next: 'pause' },
    { id: 'pause', wait: { minutes: WAIT_MS / 60_000 }, next: 'second' },
    { id: 'second', send: { channel: 'email', content: 'Crash second' } },
  ],
};

interface Stats {
  active: number;
  ended: Record<string, number>;
  steps: { id: string; now: number; sent: number }[];
}
interface Message {
  id: string;
  profileId: string;
  stepId: string | null;
  enrolmentId: string | null;
  status: string;
  requestedAt: string;
}
interface Enrolment {
  id: string;
  profileId: string;
  status: string;
}

async function call<T>(server: ServerProcess, method: string, path: string, body?: unknown, auth = `Bearer ${ADMIN_TOKEN}`): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Polls often enough to catch the runner between two of its transactions. */
async function until<T>(what: string, check: () => Promise<T | undefined>, everyMs = 5, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Every item of a listing, following its "next" cursor. */
async function all<T>(server: ServerProcess, path: string, field: string, cursor: 'before' | 'after'): Promise<T[]> {
  const items: T[] = [];
  for (let next: string | null = null; ; ) {
    const page: Record<string, unknown> & { next: string | null } = await call(
      server,
      'GET',
      `${path}&limit=500${next === null ? '' : `&${cursor}=${encodeURIComponent(next)}`}`,
    );
    const got = page[field] as T[];
    items.push(...got);
    // The outbox always gives a cursor to read on from: an empty page is its end.
    if (page.next === null || got.length === 0) return items;
    next = page.next;
  }
}

const sentAt = (stats: Stats, step: string) => stats.steps.find((s) => s.id === step)!.sent;

for (const dialect of DIALECTS) {
  describe(`journeys killed mid-work (${dialect.name})`, () => {
    it('sends each step exactly once to every customer and loses no wait across two SIGKILLs', { timeout: 180_000 }, async () => {
      const db = await dialect.create();
      // Small runner batches: the sends and the timers are spread over many transactions, so a kill lands between two of them.
      const env = { TOUCHPOINT_DATABASE_URL: db.url, TOUCHPOINT_ADMIN_TOKEN: ADMIN_TOKEN, TOUCHPOINT_LOG_LEVEL: 'warn', TOUCHPOINT_JOURNEY_BATCH_SIZE: '10' };
      let server: ServerProcess | undefined;
      const kill = async () => {
        server?.kill();
        await server?.exited;
        server = undefined;
      };
      try {
        server = await startServerProcess(env);
        const s = server;
        await call(s, 'POST', '/api/content', { name: 'Crash first', variants: { email: { subject: 'One', html: '<p>1</p>' } } });
        await call(s, 'POST', '/api/content', { name: 'Crash second', variants: { email: { subject: 'Two', html: '<p>2</p>' } } });
        const { id } = await call<{ id: string }>(s, 'POST', '/api/journeys', { name: 'Crash', definition: JOURNEY });
        await call(s, 'POST', `/api/journeys/${id}/status`, { status: 'live' });
        const stats = async () => (await call<{ stats: Stats }>(server!, 'GET', `/api/journeys/${id}/stats`)).stats;
        const { writeKey } = await call<{ writeKey: string }>(s, 'POST', '/api/sources', { name: 'Shop', channel: 'web' });
        const track = (batch: unknown[]) => call(s, 'POST', '/v1/batch', { batch }, `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`);
        const customers = Array.from({ length: CUSTOMERS }, (_, i) => `c${i}`);
        await track(customers.map((userId) => ({ type: 'identify', userId, traits: { email: `${userId}@example.com`, consent: { email: 'granted' } } })));
        await until(
          'the identifies to be processed',
          async () => ((await call<{ pipeline: { lagEvents: number } }>(s, 'GET', '/ready')).pipeline.lagEvents === 0 ? true : undefined),
          50,
        );
        await track(customers.map((userId) => ({ type: 'track', userId, event: 'Bench Go', messageId: `go-${userId}` })));

        const firstKill = await until('the first messages to be under way', async () => {
          const sent = sentAt(await stats(), 'first');
          return sent > 0 ? sent : undefined;
        });
        await kill();
        assert.ok(firstKill < CUSTOMERS, `the first kill came after all ${CUSTOMERS} first messages: no work was in flight`);

        server = await startServerProcess(env);
        const secondKill = await until('the waits to fall due', async () => {
          const sent = sentAt(await stats(), 'second');
          return sent > 0 ? sent : undefined;
        });
        await kill();
        assert.ok(secondKill < CUSTOMERS, `the second kill came after all ${CUSTOMERS} second messages: no wait was in flight`);

        server = await startServerProcess(env);
        const done = await until(
          'every enrolment to complete',
          async () => {
            const now = await stats();
            return now.active === 0 && (now.ended.completed ?? 0) >= CUSTOMERS ? now : undefined;
          },
          50,
        );
        const t = server;
        const enrolments = await all<Enrolment>(t, `/api/journeys/${id}/enrolments?`, 'enrolments', 'before');
        const messages = await all<Message>(t, `/api/messages?journeyId=${id}`, 'messages', 'before');
        const outbox = await all<Message>(t, '/api/outbox?', 'messages', 'after');
        const context = `killed at ${firstKill} first and ${secondKill} second messages of ${CUSTOMERS}; stats ${JSON.stringify(done)}`;

        assert.equal(enrolments.length, CUSTOMERS, `one enrolment per customer (${context})`);
        assert.equal(new Set(enrolments.map((e) => e.profileId)).size, CUSTOMERS, `enrolments of ${CUSTOMERS} distinct customers (${context})`);
        assert.deepEqual(
          enrolments.filter((e) => e.status !== 'completed').map((e) => `${e.id}:${e.status}`),
          [],
          `every enrolment completed (${context})`,
        );

        const byPair = new Map<string, Message[]>();
        for (const m of messages) byPair.set(`${m.profileId}:${m.stepId}`, [...(byPair.get(`${m.profileId}:${m.stepId}`) ?? []), m]);
        const duplicates = [...byPair].filter(([, ms]) => ms.length > 1).map(([pair, ms]) => `${pair} x${ms.length}`);
        assert.deepEqual(duplicates, [], `no (profile, step) message twice (${context})`);
        const count = (step: string) => messages.filter((m) => m.stepId === step).length;
        assert.deepEqual(
          { first: count('first'), second: count('second'), total: messages.length },
          { first: CUSTOMERS, second: CUSTOMERS, total: 2 * CUSTOMERS },
          context,
        );
        const lostWaits = enrolments.filter((e) => !byPair.has(`${e.profileId}:second`)).map((e) => e.profileId);
        assert.deepEqual(lostWaits, [], `every customer's wait ended in the second message (${context})`);
        assert.deepEqual(
          messages.filter((m) => m.status !== 'sent').map((m) => `${m.id}:${m.stepId}:${m.status}`),
          [],
          `every message sent (${context})`,
        );
        const enrolmentOf = new Map(enrolments.map((e) => [e.profileId, e.id]));
        assert.deepEqual(
          messages.filter((m) => m.enrolmentId !== enrolmentOf.get(m.profileId)).map((m) => m.id),
          [],
          'every message belongs to its customer’s one enrolment',
        );
        // The timer fires at its due time, not before: a wait cut short by a restart would show here.
        const early = enrolments.filter((e) => {
          const first = byPair.get(`${e.profileId}:first`)![0]!;
          const second = byPair.get(`${e.profileId}:second`)![0]!;
          return Date.parse(second.requestedAt) - Date.parse(first.requestedAt) < WAIT_MS;
        });
        assert.deepEqual(
          early.map((e) => e.profileId),
          [],
          `no second message before the wait was over (${context})`,
        );

        assert.equal(outbox.length, 2 * CUSTOMERS, `the outbox holds both messages of every customer (${context})`);
        assert.equal(new Set(outbox.map((m) => m.id)).size, 2 * CUSTOMERS, `no message twice in the outbox (${context})`);
        assert.deepEqual(new Set(outbox.map((m) => m.id)), new Set(messages.map((m) => m.id)), 'the outbox lists the journey’s messages');
      } finally {
        await kill();
        await db.cleanup();
      }
    });
  });
}
