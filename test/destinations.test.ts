/** Audience sync over the real pipeline and standing, on every dialect; delivery is a scripted receiver. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { DeliveryResult } from '../src/channels/index.js';
import type { BatchBody, BatchDelivery, DestinationsDeps } from '../src/destinations/index.js';
import { DIALECTS, type TestDialect } from './support/dialects.js';
import { openDestinationsHarness, type DestinationsHarness } from './support/destinations.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const SENT: DeliveryResult = { kind: 'sent', response: { status: 200 } };
const ERROR_500: DeliveryResult = { kind: 'retry', reason: 'HTTP 500', response: { status: 500, body: 'oops' } };
const FAILED_400: DeliveryResult = { kind: 'failed', reason: 'HTTP 400', response: { status: 400 } };
const GOLD = { trait: 'tier', op: 'eq', value: 'gold' };
const URL = 'https://ads.example.com/audience';

/** Takes every delivery and answers from a script (then "sent"). */
function receiver(script: DeliveryResult[] = []) {
  const got: (BatchDelivery & { parsed: BatchBody })[] = [];
  return {
    got,
    script,
    send: async (d: BatchDelivery) => {
      got.push({ ...d, parsed: JSON.parse(d.body) as BatchBody });
      return script.shift() ?? SENT;
    },
  };
}

async function withHarness(
  dialect: TestDialect,
  r: ReturnType<typeof receiver>,
  options: DestinationsDeps['options'],
  test: (h: DestinationsHarness, r: ReturnType<typeof receiver>) => Promise<void>,
) {
  const h = await openDestinationsHarness(dialect, r.send, options);
  try {
    await test(h, r);
  } finally {
    await h.dispose();
  }
}

const identify = (h: DestinationsHarness, userId: string, traits: Record<string, unknown>) => h.send('Shop', 'web', { type: 'identify', userId, traits });

for (const dialect of DIALECTS) {
  describe(`destinations on ${dialect.name}`, () => {
    it('an entry then an exit send an add then a remove with the same hashes, whatever the profile became meanwhile', () =>
      withHarness(dialect, receiver(), {}, async (h, r) => {
        await h.segment('Gold', GOLD);
        await h.destinations.create({ name: 'Google Ads', segment: 'Gold', url: URL });
        await h.drain();
        assert.equal((await h.destinations.status('Google Ads')).status, 'active', 'an empty segment back-fills at once');
        await identify(h, 'ada', { tier: 'gold', email: ' Ada.Lovelace@GMail.com', phone: '(415) 555-2671' });
        await h.drain();
        const ada = (await h.profileOf('userId', 'ada'))!;
        const added = { profileId: ada, emailSha256: sha('adalovelace@gmail.com'), phoneSha256: sha('+14155552671') };
        assert.deepEqual(
          r.got.map((g) => g.parsed),
          [{ type: 'audience.sync', destination: 'Google Ads', segment: 'Gold', batchId: r.got[0]!.id, add: [added], remove: [] }],
        );
        await identify(h, 'ada', { email: 'ada@example.org' });
        await h.drain();
        assert.equal(r.got.length, 1, 'a member changing her email is not sent again');
        await identify(h, 'ada', { tier: 'silver' });
        await h.drain();
        assert.deepEqual(r.got[1]!.parsed.remove, [added], 'removed with the hashes she was added with');
        assert.deepEqual(r.got[1]!.parsed.add, []);
        assert.equal(r.got[1]!.parsed.batchId, r.got[1]!.id, 'the body names the batch by its webhook id');
        const status = await h.destinations.status('Google Ads');
        assert.deepEqual([status.members, status.added, status.removed, status.sentBatches, status.pendingBatches], [0, 1, 1, 2, 0]);
        assert.equal(status.lastSyncAt, h.clock.now());
      }));

    it('a new destination adds the members its segment has already, a page at a time, skipping those with nothing to match', () =>
      withHarness(dialect, receiver(), { memberPage: 2 }, async (h) => {
        await identify(h, 'a', { tier: 'gold', email: 'a@example.com' });
        await identify(h, 'b', { tier: 'gold', phone: '+44 20 7946 0958' });
        await identify(h, 'c', { tier: 'gold', email: 'c@example.com', phone: '+1 415 555 2671' });
        await identify(h, 'd', { tier: 'gold' });
        await identify(h, 'e', { tier: 'gold', email: 'e@example.com' });
        await identify(h, 'f', { tier: 'silver', email: 'f@example.com' });
        await h.segment('Gold', GOLD);
        const r = receiver();
        h.reopen(r.send);
        const { destination } = await h.destinations.create({ name: 'Emails', segment: 'Gold', url: URL, batchSize: 2, identifiers: ['email'] });
        assert.equal(destination.status, 'backfilling');
        await h.drain();
        const adds = r.got.flatMap((g) => g.parsed.add);
        assert.deepEqual(adds.map((a) => a.emailSha256).sort(), [sha('a@example.com'), sha('c@example.com'), sha('e@example.com')].sort());
        assert.ok(
          adds.every((a) => a.phoneSha256 === null),
          'only the identifiers the destination sends',
        );
        assert.ok(
          r.got.every((g) => g.parsed.add.length <= 2),
          'batches of at most batchSize',
        );
        const status = await h.destinations.status('Emails');
        assert.deepEqual([status.status, status.members, status.added, status.skipped], ['active', 3, 3, 2], 'b has a phone only, d nothing');
      }));

    it('a batch the receiver fails twice with 500 goes through on the third try, after its back-offs; the batches behind it wait', () =>
      withHarness(dialect, receiver([ERROR_500, ERROR_500]), { backoffMs: 10_000, maxAttempts: 5 }, async (h, r) => {
        await h.segment('Gold', GOLD);
        await h.destinations.create({ name: 'Meta', segment: 'Gold', url: URL, hashing: 'meta' });
        await h.drain();
        await identify(h, 'ada', { tier: 'gold', email: 'ada@example.com', phone: '+1 415 555 2671' });
        await h.drain();
        await identify(h, 'bo', { tier: 'gold', email: 'bo@example.com' });
        await h.drain();
        assert.equal(r.got.length, 1, 'one try, then a back-off of 10 s; bo waits behind ada');
        assert.match((await h.destinations.status('Meta')).lastError ?? '', /try 1: HTTP 500/);
        h.clock.advance(9000); // bo's identify moved the clock 1 s
        await h.drain();
        assert.equal(r.got.length, 2);
        h.clock.advance(19_999);
        await h.drain();
        assert.equal(r.got.length, 2, 'the second back-off is 20 s');
        h.clock.advance(1);
        await h.drain();
        assert.deepEqual(
          r.got.map((g) => g.parsed.add.map((a) => a.emailSha256)),
          [[sha('ada@example.com')], [sha('ada@example.com')], [sha('ada@example.com')], [sha('bo@example.com')]],
        );
        assert.equal(new Set(r.got.slice(0, 3).map((g) => g.id)).size, 1, 'every try under the same id');
        assert.equal(r.got[0]!.parsed.add[0]!.phoneSha256, sha('14155552671'), 'Meta hashes phone digits without "+"');
        const status = await h.destinations.status('Meta');
        assert.deepEqual([status.added, status.sentBatches, status.deadBatches], [2, 2, 0]);
      }));

    it('a receiver asking to be left alone longer (Retry-After) is tried again no sooner', () =>
      withHarness(
        dialect,
        receiver([{ kind: 'retry', reason: 'http_429', response: { status: 429, retryAfterMs: 120_000 } }]),
        { backoffMs: 1000 },
        async (h, r) => {
          await h.segment('Gold', GOLD);
          await h.destinations.create({ name: 'Busy', segment: 'Gold', url: URL });
          await identify(h, 'ada', { tier: 'gold', email: 'ada@example.com' });
          await h.drain();
          h.clock.advance(119_999);
          await h.drain();
          assert.equal(r.got.length, 1, 'the back-off alone would have allowed a try after 1 s');
          h.clock.advance(1);
          await h.drain();
          assert.equal(r.got.length, 2);
        },
      ));

    it('a batch that keeps failing ends dead and is counted; one refused for good dies at once; the ones behind go on', () =>
      withHarness(dialect, receiver([ERROR_500, ERROR_500, ERROR_500, FAILED_400]), { backoffMs: 10, maxAttempts: 3 }, async (h, r) => {
        await h.segment('Gold', GOLD);
        await h.destinations.create({ name: 'Flaky', segment: 'Gold', url: URL });
        await h.drain();
        for (const user of ['ada', 'bo', 'cy']) {
          await identify(h, user, { tier: 'gold', email: `${user}@example.com` });
          await h.drain();
        }
        for (let i = 0; i < 5; i++) {
          h.clock.advance(100);
          await h.drain();
        }
        assert.deepEqual(
          r.got.map((g) => g.parsed.add[0]!.emailSha256),
          [sha('ada@example.com'), sha('ada@example.com'), sha('ada@example.com'), sha('bo@example.com'), sha('cy@example.com')],
        );
        const status = await h.destinations.status('Flaky');
        assert.deepEqual([status.deadBatches, status.sentBatches, status.pendingBatches, status.added], [2, 1, 0, 1]);
        assert.match(status.lastError ?? '', /try 1: HTTP 400/);
      }));

    it('a new instance on the same store goes on from the stored position and cursor, and sends nothing twice', () =>
      withHarness(dialect, receiver(), { memberPage: 1 }, async (h) => {
        for (const user of ['a', 'b', 'c']) await identify(h, user, { tier: 'gold', email: `${user}@example.com` });
        await h.segment('Gold', GOLD);
        const first = receiver();
        h.reopen(first.send);
        await h.destinations.create({ name: 'Sync', segment: 'Gold', url: URL });
        await h.destinations.step(h.clock.now());
        assert.equal(first.got.length, 1, 'one page of the back-fill, then the "restart"');
        const second = receiver();
        h.reopen(second.send);
        await h.drain();
        await identify(h, 'd', { tier: 'gold', email: 'd@example.com' });
        await h.drain();
        const third = receiver();
        h.reopen(third.send);
        await identify(h, 'a', { tier: 'silver' });
        await h.drain();
        const emails = (rr: ReturnType<typeof receiver>, side: 'add' | 'remove') => rr.got.flatMap((g) => g.parsed[side].map((m) => m.emailSha256));
        assert.deepEqual([...emails(first, 'add'), ...emails(second, 'add')].sort(), ['a', 'b', 'c', 'd'].map((u) => sha(`${u}@example.com`)).sort());
        assert.deepEqual([emails(third, 'add'), emails(third, 'remove')], [[], [sha('a@example.com')]]);
        const status = await h.destinations.status('Sync');
        assert.deepEqual([status.members, status.added, status.removed, status.sentBatches], [3, 4, 1, 5]);
      }));

    it('a try cut short by a crash is made again, under the same id, once its lease has run out', () =>
      withHarness(dialect, receiver(), { leaseMs: 60_000 }, async (h) => {
        await h.segment('Gold', GOLD);
        const stuck: string[] = [];
        h.reopen(async (d) => {
          stuck.push(d.id);
          return new Promise<DeliveryResult>(() => {});
        });
        await h.destinations.create({ name: 'Sync', segment: 'Gold', url: URL });
        await h.drain();
        await identify(h, 'ada', { tier: 'gold', email: 'ada@example.com' });
        void h.destinations.step(h.clock.now());
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(stuck.length, 1, 'the first runner is stuck in its try');
        const r = receiver();
        h.reopen(r.send);
        await h.drain();
        assert.equal(r.got.length, 0, 'not while the lease holds');
        h.clock.advance(60_001);
        await h.drain();
        assert.deepEqual(
          r.got.map((g) => g.id),
          stuck,
        );
      }));

    it('a paused destination holds its changes and batches until it is resumed', () =>
      withHarness(dialect, receiver(), {}, async (h, r) => {
        await h.segment('Gold', GOLD);
        await h.destinations.create({ name: 'Later', segment: 'Gold', url: URL });
        await h.drain();
        await h.destinations.update('Later', { status: 'paused' });
        await identify(h, 'ada', { tier: 'gold', email: 'ada@example.com' });
        await h.drain();
        assert.equal(r.got.length, 0);
        assert.equal((await h.destinations.status('Later')).status, 'paused');
        await h.destinations.update('Later', { status: 'active' });
        await h.drain();
        assert.equal(r.got.length, 1);
      }));

    it('erasure tells the platform to remove the profile, with the hashes it was added with, and keeps nothing of it', () =>
      withHarness(dialect, receiver(), {}, async (h, r) => {
        await h.segment('Gold', GOLD);
        await h.destinations.create({ name: 'Ads', segment: 'Gold', url: URL });
        await h.drain();
        await identify(h, 'ada', { tier: 'gold', email: 'ada@example.com' });
        await h.drain();
        const ada = (await h.profileOf('userId', 'ada'))!;
        await h.tp.store.write((trx) => h.destinations.forget(trx, [ada]));
        await h.drain();
        assert.deepEqual(r.got[1]!.parsed.remove, [{ profileId: ada, emailSha256: sha('ada@example.com'), phoneSha256: null }]);
        assert.equal((await h.destinations.status('Ads')).members, 0);
        const bodies = await h.tp.store.db
          .withTables<{ destination_batches: { body: string | null } }>()
          .selectFrom('destination_batches')
          .select('body')
          .execute();
        assert.deepEqual(
          bodies.map((b) => b.body),
          [null, null],
          'sent bodies are not kept',
        );
      }));
  });
}
