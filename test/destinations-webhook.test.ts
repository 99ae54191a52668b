/**
 * Audience sync end to end over a real socket: batches signed by the
 * channels' sendSigned through the guarded outbound client, received on a
 * loopback server and verified with the Standard Webhooks reference library.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createOutbound, type Outbound } from '../src/channels/outbound.js';
import { sendSigned } from '../src/channels/webhook/send.js';
import type { BatchBody } from '../src/destinations/index.js';
import { DIALECTS } from './support/dialects.js';
import { openDestinationsHarness, type DestinationsHarness } from './support/destinations.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers each path from its script of statuses (then 200), and keeps every request. */
function startReceiver(scripts: Record<string, number[]>): Promise<{ server: Server; base: string; got: Received[] }> {
  const got: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const path = request.url ?? '';
      got.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = scripts[path]?.shift() ?? 200;
      response.end(response.statusCode === 200 ? 'ok' : 'try later');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got })),
  );
}

for (const dialect of DIALECTS) {
  describe(`destinations over signed webhooks on ${dialect.name}`, () => {
    let h: DestinationsHarness;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let outbound: Outbound;
    const to = (path: string) => receiver.got.filter((r) => r.path === path);
    const verified = (r: Received, secret: string) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as BatchBody;

    before(async () => {
      receiver = await startReceiver({ '/flaky': [500, 500], '/down': [500, 500, 500, 500] });
      outbound = createOutbound({ allow: ['127.0.0.1'] });
      // Signed with the wall clock: the receiver refuses timestamps more than 5 minutes off its own.
      const send = (d: Parameters<typeof sendSigned>[1]) => sendSigned(outbound, d, Date.now());
      h = await openDestinationsHarness(dialect, (d) => send({ ...d, timeoutMs: 5000 }), { backoffMs: 1000, maxAttempts: 3 });
      await h.segment('Gold', { trait: 'tier', op: 'eq', value: 'gold' });
      await h.send('Shop', 'web', { type: 'identify', userId: 'ada', traits: { tier: 'gold', email: 'Ada@Example.com', phone: '+1 415 555 2671' } });
    });
    after(async () => {
      outbound.close();
      await new Promise((resolve) => receiver.server.close(resolve));
      await h.dispose();
    });

    it('a receiver failing with 500 twice then 200 gets the batch, signed and verifiable on every try', async () => {
      const { secret } = await h.destinations.create({ name: 'Flaky', segment: 'Gold', url: `${receiver.base}/flaky` });
      await h.drain();
      assert.equal(to('/flaky').length, 1);
      h.clock.advance(1000);
      await h.drain();
      h.clock.advance(2000);
      await h.drain();
      const tries = to('/flaky');
      assert.equal(tries.length, 3);
      const bodies = tries.map((t) => verified(t, secret!));
      assert.equal(new Set(tries.map((t) => t.headers['webhook-id'])).size, 1, 'one webhook-id for every try');
      assert.equal(bodies[2]!.batchId, tries[2]!.headers['webhook-id']);
      const ada = (await h.profileOf('userId', 'ada'))!;
      const member = { profileId: ada, emailSha256: sha('ada@example.com'), phoneSha256: sha('+14155552671') };
      assert.deepEqual(bodies[2], { type: 'audience.sync', destination: 'Flaky', segment: 'Gold', batchId: bodies[2]!.batchId, add: [member], remove: [] });
      const status = await h.destinations.status('Flaky');
      assert.deepEqual([status.added, status.sentBatches, status.deadBatches], [1, 1, 0]);
      assert.match(status.lastError ?? '', /try 2: http_500/);

      await h.send('Shop', 'web', { type: 'identify', userId: 'ada', traits: { tier: 'silver' } });
      await h.drain();
      const removal = verified(to('/flaky')[3]!, secret!);
      assert.deepEqual([removal.add, removal.remove], [[], [member]], 'removed with the hashes she was added with');
    });

    it('a receiver that keeps failing leaves the batch dead, counted, after the last try', async () => {
      await h.send('Shop', 'web', { type: 'identify', userId: 'bo', traits: { tier: 'gold', email: 'bo@example.com' } });
      await h.destinations.create({ name: 'Down', segment: 'Gold', url: `${receiver.base}/down` });
      for (let i = 0; i < 4; i++) {
        await h.drain();
        h.clock.advance(5000);
      }
      assert.equal(to('/down').length, 3, 'maxAttempts tries');
      const status = await h.destinations.status('Down');
      assert.deepEqual([status.deadBatches, status.pendingBatches, status.added, status.members], [1, 0, 0, 1]);
      assert.match(status.lastError ?? '', /try 3: http_500/);
    });
  });
}
