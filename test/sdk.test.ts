/**
 * The official server SDKs, unmodified, pointed at a listening Touchpoint:
 * Segment's @segment/analytics-node and RudderStack's @rudderstack/rudder-sdk-node
 * (which gzips its batches and sends originalTimestamp/sentAt).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { DIALECTS } from './support/dialects.js';
import { startTestServer, type TestServer } from './support/touchpoint.js';

describe('official SDKs', () => {
  let tp: TestServer;
  let url: string;
  before(async () => {
    tp = await startTestServer(DIALECTS[0]!);
    url = await tp.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => tp.dispose());

  it('@segment/analytics-node delivers every call type', async () => {
    const { id, writeKey } = await tp.createSource('Segment backend', 'web');
    const errors: unknown[] = [];
    const analytics = new SegmentAnalytics({ writeKey, host: url, flushAt: 3, maxRetries: 0 });
    analytics.on('error', (error) => errors.push(error));
    analytics.identify({ userId: 'seg-1', traits: { email: 'ann@example.com', plan: 'gold' } });
    analytics.track({ userId: 'seg-1', event: 'Order Completed', properties: { order_id: 'o-1', total: 42.5 } });
    analytics.page({ anonymousId: 'anon-seg', name: 'Home', properties: { path: '/' } });
    analytics.screen({ userId: 'seg-1', name: 'Cart' });
    analytics.group({ userId: 'seg-1', groupId: 'household-1', traits: { type: 'household' } });
    analytics.alias({ userId: 'seg-1', previousId: 'anon-seg' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    assert.deepEqual(errors, []);
    const events = await tp.touchpoint.log.query({ sourceId: id, limit: 100 });
    assert.deepEqual(events.map((e) => e.type).sort(), ['alias', 'group', 'identify', 'page', 'screen', 'track']);
    const track = events.find((e) => e.type === 'track')!;
    const message = JSON.parse(track.payload);
    assert.equal(message.properties.total, 42.5);
    assert.equal(message.context.library.name, '@segment/analytics-node');
    assert.ok(message.originalTimestamp, 'the client timestamp is kept');
  });

  it('@rudderstack/rudder-sdk-node delivers gzipped batches', async () => {
    const { id, writeKey } = await tp.createSource('Rudder backend', 'store');
    const errors: unknown[] = [];
    const client = new RudderAnalytics(writeKey, {
      dataPlaneUrl: url,
      flushAt: 100,
      flushInterval: 60_000,
      logLevel: 'error',
      errorHandler: (e?: unknown) => errors.push(e),
    } as ConstructorParameters<typeof RudderAnalytics>[1]);
    client.identify({ userId: 'rud-1', traits: { loyaltyCard: 'L-100' } });
    client.track({ userId: 'rud-1', event: 'Store Purchase', properties: { amount: 19.9 } });
    client.page({ anonymousId: 'anon-rud', name: 'Landing' });
    client.group({ userId: 'rud-1', groupId: 'g-1' });
    client.alias({ userId: 'rud-1', previousId: 'anon-rud' });
    await client.flush();
    assert.deepEqual(errors, []);
    const events = await tp.touchpoint.log.query({ sourceId: id, limit: 100 });
    assert.deepEqual(events.map((e) => e.type).sort(), ['alias', 'group', 'identify', 'page', 'track']);
    assert.ok(
      events.every((e) => e.channel === 'store'),
      'the SDK says channel "server": the source channel stands',
    );
  });
});
