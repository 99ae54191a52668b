/**
 * A journey survives SIGKILL: a real server killed while the runner is
 * sending the first messages, then again while the waits fall due, and
 * started each time on the same store, ends with every customer's two
 * messages written exactly once, every enrolment completed and no wait lost.
 * Runs on every dialect.
 *
 * The customers come in two halves: the early half enters before the first
 * kill, the late half after the first restart. A restart may take longer than
 * the wait (a loaded machine), so the early half's waits can all be over
 * before the server answers again; the late half's fall due while the test
 * watches, and the second kill lands among them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIALECTS } from './support/dialects.js';
import { callServer, startServerProcess, type ServerProcess } from './support/process.js';
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

const call = callServer;

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

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

for (const dialect of DIALECTS) {
  describe(`journeys killed mid-work (${dialect.name})`, () => {
    it('sends each step exactly once to every customer and loses no wait across two SIGKILLs', { timeout: 180_000 }, async (t) => {
      const db = await dialect.create();
      // Small runner batches: the sends and the timers are spread over many transactions, so a kill lands between two of them.
      const env = { TOUCHPOINT_DATABASE_URL: db.url, TOUCHPOINT_ADMIN_TOKEN: ADMIN_TOKEN, TOUCHPOINT_LOG_LEVEL: 'warn', TOUCHPOINT_JOURNEY_BATCH_SIZE: '10' };
      let server: ServerProcess | undefined;
      const api = <T>(method: string, path: string, body?: unknown, auth?: string) => {
        assert.ok(server, 'no server is running');
        return call<T>(server, method, path, body, auth);
      };
      const kill = async () => {
        server?.kill();
        await server?.exited;
        server = undefined;
      };
      try {
        server = await startServerProcess(env);
        await api('POST', '/api/content', { name: 'Crash first', variants: { email: { subject: 'One', html: '<p>1</p>' } } });
        await api('POST', '/api/content', { name: 'Crash second', variants: { email: { subject: 'Two', html: '<p>2</p>' } } });
        const { id } = await api<{ id: string }>('POST', '/api/journeys', { name: 'Crash', definition: JOURNEY });
        await api('POST', `/api/journeys/${id}/status`, { status: 'live' });
        const { writeKey } = await api<{ writeKey: string }>('POST', '/api/sources', { name: 'Shop', channel: 'web' });
        const send = (batch: unknown[]) => api('POST', '/v1/batch', { batch }, `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`);
        const go = (userIds: string[]) => send(userIds.map((userId) => ({ type: 'track', userId, event: 'Bench Go', messageId: `go-${userId}` })));
        const stats = async () => (await api<{ stats: Stats }>('GET', `/api/journeys/${id}/stats`)).stats;
        const sent = async (step: string) => (await stats()).steps.find((s) => s.id === step)!.sent;
        const customers = Array.from({ length: CUSTOMERS }, (_, i) => `c${i}`);
        const early = customers.slice(0, CUSTOMERS / 2);
        const late = customers.slice(CUSTOMERS / 2);
        await send(customers.map((userId) => ({ type: 'identify', userId, traits: { email: `${userId}@example.com`, consent: { email: 'granted' } } })));
        await until(
          'the identifies to be processed',
          async () => ((await api<{ pipeline: { lagEvents: number } }>('GET', '/ready')).pipeline.lagEvents === 0 ? true : undefined),
          50,
        );

        await go(early);
        const firstKill = await until('the first messages to be under way', async () => {
          const n = await sent('first');
          return n > 0 ? n : undefined;
        });
        await kill();
        assert.ok(firstKill < early.length, `the first kill came after all ${early.length} first messages: no send was in flight`);

        server = await startServerProcess(env);
        await go(late);
        // More second messages than the early half has: some late waits have fallen due.
        const secondKill = await until('the late waits to fall due', async () => {
          const n = await sent('second');
          return n > early.length ? n : undefined;
        });
        await kill();
        assert.ok(secondKill < CUSTOMERS, `the second kill came after all ${CUSTOMERS} second messages: no wait was in flight`);

        server = await startServerProcess(env);
        // Waiting in vain is no failure of its own: the assertions below say what never came (a lost wait leaves its enrolment active).
        await until(
          'every enrolment to complete',
          async () => {
            const now = await stats();
            return now.active === 0 && (now.ended.completed ?? 0) >= CUSTOMERS ? true : undefined;
          },
          50,
        ).catch(() => undefined);
        const done = await stats();
        const enrolments = await all<Enrolment>(server, `/api/journeys/${id}/enrolments?`, 'enrolments', 'before');
        const messages = await all<Message>(server, `/api/messages?journeyId=${id}`, 'messages', 'before');
        const outbox = await all<Message>(server, '/api/outbox?', 'messages', 'after');
        const where = { active: done.active, ended: done.ended, steps: done.steps.map((s) => `${s.id}: ${s.now} here, ${s.sent} sent`) };
        const context = `killed at ${firstKill} first and ${secondKill} second messages of ${CUSTOMERS}; journey stats ${JSON.stringify(where)}`;
        t.diagnostic(`killed at ${firstKill} of ${early.length} first messages, then at ${secondKill} of ${CUSTOMERS} second messages`);

        const byPair = new Map<string, Message[]>();
        for (const m of messages) byPair.set(`${m.profileId}:${m.stepId}`, [...(byPair.get(`${m.profileId}:${m.stepId}`) ?? []), m]);
        const duplicates = [...byPair].filter(([, ms]) => ms.length > 1).map(([pair, ms]) => `${pair} x${ms.length}`);
        const lostWaits = enrolments.filter((e) => !byPair.has(`${e.profileId}:second`)).map((e) => e.profileId);
        const enrolmentOf = new Map(enrolments.map((e) => [e.profileId, e.id]));
        assert.deepEqual(
          {
            enrolments: countBy(enrolments, (e) => e.status),
            customers: new Set(enrolments.map((e) => e.profileId)).size,
            messages: countBy(messages, (m) => `${m.stepId}:${m.status}`),
            duplicates: duplicates.length,
            lostWaits: lostWaits.length,
            outbox: outbox.length,
            outboxIds: new Set(outbox.map((m) => m.id)).size,
          },
          {
            enrolments: { completed: CUSTOMERS },
            customers: CUSTOMERS,
            messages: { 'first:sent': CUSTOMERS, 'second:sent': CUSTOMERS },
            duplicates: 0,
            lostWaits: 0,
            outbox: 2 * CUSTOMERS,
            outboxIds: 2 * CUSTOMERS,
          },
          context,
        );
        assert.deepEqual(duplicates, [], `no (profile, step) message twice (${context})`);
        assert.deepEqual(lostWaits, [], `every customer's wait ended in the second message (${context})`);
        assert.deepEqual(
          messages.filter((m) => m.enrolmentId !== enrolmentOf.get(m.profileId)).map((m) => m.id),
          [],
          `every message belongs to its customer's one enrolment (${context})`,
        );
        // A timer fires at its due time, not before: a wait cut short by a restart would show here.
        const tooSoon = enrolments.filter((e) => {
          const first = byPair.get(`${e.profileId}:first`)![0]!;
          const second = byPair.get(`${e.profileId}:second`)![0]!;
          return Date.parse(second.requestedAt) - Date.parse(first.requestedAt) < WAIT_MS;
        });
        assert.deepEqual(
          tooSoon.map((e) => e.profileId),
          [],
          `no second message before the wait was over (${context})`,
        );

        assert.deepEqual(new Set(outbox.map((m) => m.id)), new Set(messages.map((m) => m.id)), `the outbox lists the journey's messages (${context})`);
      } finally {
        await kill();
        await db.cleanup();
      }
    });
  });
}
