import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeMessage, type NormalizeContext } from './message.js';

/** `levels` objects inside each other around 1. */
const nested = (levels: number): unknown => (levels === 0 ? 1 : { a: nested(levels - 1) });

const RECEIVED = Date.parse('2026-11-23T12:00:00.000Z');
const ctx: NormalizeContext = { receivedAt: RECEIVED, sourceChannel: 'web', maxMessageBytes: 32 * 1024, newMessageId: () => 'generated-id' };

describe('normalizeMessage rejects bad messages with a code', () => {
  const cases: { description: string; raw: unknown; code: string; extra?: Partial<NormalizeContext> }[] = [
    { description: 'not an object', raw: [1, 2], code: 'TP_INVALID_EVENT' },
    { description: 'null', raw: null, code: 'TP_INVALID_EVENT' },
    { description: 'no type', raw: { userId: 'u' }, code: 'TP_MISSING_TYPE' },
    { description: 'unknown type', raw: { type: 'purchase', userId: 'u' }, code: 'TP_UNKNOWN_TYPE' },
    { description: 'no identity', raw: { type: 'track', event: 'E' }, code: 'TP_MISSING_IDENTITY' },
    { description: 'blank identity', raw: { type: 'identify', userId: '  ', anonymousId: '' }, code: 'TP_MISSING_IDENTITY' },
    { description: 'object userId', raw: { type: 'identify', userId: { id: 1 } }, code: 'TP_INVALID_EVENT' },
    { description: 'track without event', raw: { type: 'track', userId: 'u' }, code: 'TP_MISSING_FIELD' },
    { description: 'group without groupId', raw: { type: 'group', userId: 'u' }, code: 'TP_MISSING_FIELD' },
    { description: 'alias without previousId', raw: { type: 'alias', userId: 'u' }, code: 'TP_MISSING_FIELD' },
    { description: 'alias without userId', raw: { type: 'alias', previousId: 'p' }, code: 'TP_MISSING_FIELD' },
    { description: 'string properties', raw: { type: 'track', userId: 'u', event: 'E', properties: 'big' }, code: 'TP_INVALID_EVENT' },
    { description: 'array traits', raw: { type: 'identify', userId: 'u', traits: [1] }, code: 'TP_INVALID_EVENT' },
    { description: 'numeric context', raw: { type: 'identify', userId: 'u', context: 3 }, code: 'TP_INVALID_EVENT' },
    { description: 'invalid timestamp', raw: { type: 'identify', userId: 'u', timestamp: 'yesterday' }, code: 'TP_INVALID_TIMESTAMP' },
    { description: 'epoch timestamp', raw: { type: 'identify', userId: 'u', timestamp: 1700000000000 }, code: 'TP_INVALID_TIMESTAMP' },
    { description: 'impossible date', raw: { type: 'identify', userId: 'u', timestamp: '2026-13-45T00:00:00Z' }, code: 'TP_INVALID_TIMESTAMP' },
    { description: 'invalid sentAt', raw: { type: 'identify', userId: 'u', sentAt: 'now' }, code: 'TP_INVALID_TIMESTAMP' },
    { description: 'too large', raw: { type: 'track', userId: 'u', event: 'E', properties: { blob: 'x'.repeat(40_000) } }, code: 'TP_MESSAGE_TOO_LARGE' },
    { description: 'nested 65 levels deep', raw: { type: 'track', userId: 'u', event: 'E', properties: nested(64) }, code: 'TP_TOO_DEEP' },
    { description: 'nested 5,000 levels deep with an object type', raw: { type: nested(5000), userId: 'u' }, code: 'TP_TOO_DEEP' },
    { description: 'dated two days ahead', raw: { type: 'identify', userId: 'u', timestamp: '2026-11-25T12:00:00.000Z' }, code: 'TP_FUTURE_TIMESTAMP' },
    {
      description: 'dated two days after its sentAt',
      raw: { type: 'identify', userId: 'u', timestamp: '2026-11-25T12:00:00.000Z', sentAt: '2026-11-23T12:00:00.000Z' },
      code: 'TP_FUTURE_TIMESTAMP',
    },
    {
      description: 'dated a day and a second ahead',
      raw: { type: 'identify', userId: 'u', originalTimestamp: '2026-11-24T12:00:01.000Z' },
      code: 'TP_FUTURE_TIMESTAMP',
    },
    { description: 'invalid envelope sentAt', raw: { type: 'identify', userId: 'u' }, code: 'TP_INVALID_TIMESTAMP', extra: { envelope: { sentAt: 12 } } },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const result = normalizeMessage(c.raw, { ...ctx, ...c.extra });
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.code, c.code);
        assert.ok(result.message.length > 10, 'the message says what to fix');
      }
    });
  }
});

describe('normalizeMessage', () => {
  it('keeps unknown fields and drops the write key', () => {
    const result = normalizeMessage({ type: 'TRACK', userId: 42, event: ' Signed Up ', custom: { a: 1 }, writeKey: 'secret' }, ctx);
    assert.ok(result.ok);
    assert.equal(result.value.type, 'track');
    assert.equal(result.value.userId, '42');
    assert.equal(result.value.event, 'Signed Up');
    assert.deepEqual(result.value.body.custom, { a: 1 });
    assert.equal(result.value.body.writeKey, undefined);
    assert.equal(result.value.messageId, 'generated-id');
  });

  it('corrects clock skew and keeps originalTimestamp', () => {
    // The client clock is one hour fast: it says the event was 5 s before sending.
    const result = normalizeMessage(
      { type: 'track', anonymousId: 'a', event: 'E', timestamp: '2026-11-23T12:59:55.000Z', sentAt: '2026-11-23T13:00:00.000Z' },
      ctx,
    );
    assert.ok(result.ok);
    assert.equal(new Date(result.value.timestamp).toISOString(), '2026-11-23T11:59:55.000Z');
    assert.equal(result.value.body.originalTimestamp, '2026-11-23T12:59:55.000Z');
    assert.equal(result.value.body.receivedAt, '2026-11-23T12:00:00.000Z');
  });

  it('takes RudderStack originalTimestamp and the envelope sentAt', () => {
    const result = normalizeMessage(
      { type: 'page', anonymousId: 'a', originalTimestamp: '2026-11-23T10:00:00.000Z' },
      { ...ctx, envelope: { sentAt: '2026-11-23T10:00:10.000Z', context: { library: { name: 'x' } } } },
    );
    assert.ok(result.ok);
    assert.equal(new Date(result.value.timestamp).toISOString(), '2026-11-23T11:59:50.000Z');
    assert.deepEqual(result.value.body.context, { library: { name: 'x' } });
  });

  it('takes a time up to a day ahead, and a fast clock that sentAt corrects', () => {
    const aDayAhead = normalizeMessage({ type: 'identify', userId: 'u', timestamp: '2026-11-24T12:00:00.000Z' }, ctx);
    assert.ok(aDayAhead.ok);
    // The device clock is a year fast, but the event came 5 s before the send on that same clock.
    const fastClock = normalizeMessage({ type: 'identify', userId: 'u', timestamp: '2027-11-23T11:59:55.000Z', sentAt: '2027-11-23T12:00:00.000Z' }, ctx);
    assert.ok(fastClock.ok);
    assert.equal(new Date(fastClock.value.timestamp).toISOString(), '2026-11-23T11:59:55.000Z');
  });

  it('says how far ahead a future event is and what to check', () => {
    const result = normalizeMessage({ type: 'identify', userId: 'u', timestamp: '2026-11-25T12:00:00.000Z' }, ctx);
    assert.deepEqual(result.ok ? undefined : result.message.match(/dated (\S+) \(after skew correction\), (\d+) hours/)?.slice(1), [
      '2026-11-25T12:00:00.000Z',
      '48',
    ]);
  });

  it('uses the receipt time when the client gives none', () => {
    const result = normalizeMessage({ type: 'identify', userId: 'u' }, ctx);
    assert.ok(result.ok);
    assert.equal(result.value.timestamp, RECEIVED);
  });

  it('accepts 64 levels of nesting, counting the message', () => {
    const result = normalizeMessage({ type: 'track', userId: 'u', event: 'E', properties: nested(63) }, ctx);
    assert.ok(result.ok, JSON.stringify(result).slice(0, 200));
  });

  it('lets the endpoint imply the type', () => {
    const result = normalizeMessage({ userId: 'u', event: 'E' }, { ...ctx, impliedType: 'track' });
    assert.ok(result.ok);
    assert.equal(result.value.type, 'track');
  });

  it('takes the channel from context.channel, else from the source', () => {
    const fromContext = normalizeMessage({ type: 'identify', userId: 'u', context: { channel: 'call_center' } }, ctx);
    const fromSource = normalizeMessage({ type: 'identify', userId: 'u', context: { channel: 'server' } }, { ...ctx, sourceChannel: 'store' });
    assert.ok(fromContext.ok && fromSource.ok);
    assert.equal(fromContext.value.channel, 'call_center');
    assert.equal(fromSource.value.channel, 'store');
  });

  it('accepts alias with previousId and userId only', () => {
    const result = normalizeMessage({ type: 'alias', previousId: 'anon-1', userId: 'u-1' }, ctx);
    assert.ok(result.ok);
  });
});
