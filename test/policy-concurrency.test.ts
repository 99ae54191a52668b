/**
 * Caps hold when requests for one customer are decided at the same moment:
 * two Touchpoints on one database (two processes' worth of connections)
 * decide many requests for the same customer concurrently, each in its own
 * write transaction that records what it allowed; no more than the cap may
 * go out. Runs on every dialect (on PostgreSQL the transactions truly
 * overlap; SQLite serialises writers).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { openTouchpoint, type Touchpoint } from '../src/main.js';
import { createSharedLock } from '../src/store/index.js';
import type { Customer } from '../src/policy/index.js';
import { DIALECTS } from './support/dialects.js';

const customer: Customer = { gone: false, consent: () => ({ status: 'granted', allowed: true }), address: () => 'c@example.com', zone: 'UTC' };

async function decideAndRecord(tp: Touchpoint, profileId: string, n: number, now: number): Promise<string> {
  return tp.store.write(
    async (trx) => {
      const request = { profileId, channel: 'email' as const, purpose: 'marketing', consentChannel: 'email', requestedAt: now };
      const [decided] = await tp.policy.decide(trx, [{ request, customer }], now);
      const kind = decided!.decision.kind;
      const sent = kind === 'allow';
      await tp.messages.recordAll(trx, [
        {
          message: {
            id: `m-${profileId}-${n}`,
            idempotencyKey: `k-${profileId}-${n}`,
            profileId,
            channel: 'email',
            contentId: null,
            purpose: 'marketing',
            requestedAt: now,
          },
          steps: [{ status: 'requested', at: now }, sent ? { status: 'sent', at: now } : { status: 'suppressed', at: now, reason: decided!.decision.reason }],
          outcome: { delivery: sent ? 'outbox' : null, rendered: null, sentAt: sent ? now : null },
        },
      ]);
      return kind;
    },
    // No lane: a lane would serialise these writers by itself; the guard must hold without one.
  );
}

for (const dialect of DIALECTS) {
  describe(`caps under concurrent decisions (${dialect.name})`, () => {
    it('two deciders never both spend the last place under a cap', async () => {
      const db = await dialect.create();
      const clock = createManualClock(Date.parse('2026-11-23T12:00:00.000Z'));
      const config = loadConfig({ TOUCHPOINT_DATABASE_URL: db.url, TOUCHPOINT_SQLITE_SYNCHRONOUS: 'normal', TOUCHPOINT_PG_POOL_SIZE: '8' });
      // Two Touchpoints as the server and its worker thread are: SQLite writers share a lock, PostgreSQL ones only the database.
      const locks = { store: createSharedLock(0), log: createSharedLock(0) };
      const a = await openTouchpoint(config, { clock, locks });
      const b = await openTouchpoint(config, { clock, locks: { store: createSharedLock(1, locks.store.buffer), log: createSharedLock(1, locks.log.buffer) } });
      try {
        await a.policy.put({ caps: [{ max: 3, withinHours: 24 }] });
        const now = clock.now();
        for (const profileId of ['p1', 'p2', 'p3']) {
          const outcomes = await Promise.all(Array.from({ length: 16 }, (_, n) => decideAndRecord(n % 2 === 0 ? a : b, profileId, n, now)));
          assert.equal(outcomes.filter((k) => k === 'allow').length, 3, `${profileId}: ${outcomes.join(' ')}`);
        }
        const sent = await a.messages.list({ status: 'sent', limit: 100 });
        assert.equal(sent.length, 9);
      } finally {
        await a.close();
        await b.close();
        await db.cleanup();
      }
    });
  });
}
