import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY_MS, type PlannedEvent } from './activity.js';
import { SOURCES } from './brand.js';
import { createDemoPlan, planDay, trickleEvents, windowEnd } from './plan.js';
import { answer } from './responses.js';

const END = windowEnd(Date.parse('2026-11-23T15:30:00Z'));
const plan = (seed: number, customers = 400, days = 30) => createDemoPlan({ seed, customers, days, end: END });
const allDays = (p: ReturnType<typeof plan>): PlannedEvent[] => Array.from({ length: p.days }, (_, d) => planDay(p, d)).flat();

describe('demo plan', () => {
  it('ends the window at midnight UTC, so a plan made later the same day is the same', () => {
    assert.equal(new Date(END).toISOString(), '2026-11-23T00:00:00.000Z');
    assert.equal(plan(1).start, END - 30 * DAY_MS);
  });

  it('the same seed plans the same customers and days; another seed does not', () => {
    assert.deepEqual(plan(7).people, plan(7).people);
    assert.deepEqual(allDays(plan(7)), allDays(plan(7)));
    assert.notDeepEqual(planDay(plan(8), 5), planDay(plan(7), 5));
  });

  it('a day is planned the same whatever was planned before it', () => {
    const a = plan(3);
    const day12 = planDay(a, 12);
    planDay(a, 3);
    assert.deepEqual(planDay(plan(3), 12), day12);
  });

  it('each day holds its own events, in time order, with message ids of their own', () => {
    const p = plan(1);
    const ids = new Set<string>();
    for (let d = 0; d < p.days; d++) {
      const events = planDay(p, d);
      assert.ok(events.length > 0, `day ${d} has events`);
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        assert.ok(e.at >= p.start + d * DAY_MS && e.at < p.start + (d + 1) * DAY_MS + DAY_MS / 4, `day ${d}: ${e.message.timestamp}`);
        assert.equal(e.message.timestamp, new Date(e.at).toISOString());
        if (i > 0) assert.ok(e.at >= events[i - 1]!.at, 'in time order');
        const id = `${e.source}/${e.message.messageId}`;
        assert.ok(!ids.has(id), `${id} once`);
        ids.add(id);
      }
    }
  });

  it('speaks on every channel of the brand', () => {
    const used = new Set(allDays(plan(1, 1000)).map((e) => e.source));
    assert.deepEqual([...used].sort(), SOURCES.map((s) => s.key).sort());
  });

  it('anonymous browsing becomes known at sign-up, with consent choices', () => {
    const events = allDays(plan(1));
    const signUp = events.find(
      (e) => e.message.event === 'Signed Up' && events.some((x) => x.message.anonymousId === e.message.anonymousId && !x.message.userId),
    )!;
    assert.ok(signUp, 'someone browsed anonymously, then signed up');
    const identify = events.find((e) => e.message.type === 'identify' && e.message.userId === signUp.message.userId)!;
    assert.equal(identify.message.anonymousId, signUp.message.anonymousId, 'the sign-up joins the anonymous visits');
    assert.ok((identify.message.traits as { consent: unknown }).consent, 'with consent choices');
    assert.ok(
      events.some((e) => e.message.context && (e.message.context as { campaign?: unknown }).campaign),
      'visits from campaigns carry UTM parameters',
    );
    assert.ok(
      events.some((e) => e.message.type === 'group'),
      'households',
    );
    assert.ok(
      events.some((e) => e.message.event === 'Race Registered'),
      'marathon runners',
    );
  });

  it('store purchases follow online research of the same product (ROPO)', () => {
    const events = allDays(plan(1, 1000));
    const viewed = new Set(
      events
        .filter((e) => e.message.event === 'Product Viewed')
        .map((e) => `${e.message.userId ?? e.message.anonymousId}:${(e.message.properties as { product_id: string }).product_id}`),
    );
    const owner = new Map(
      events
        .filter((e) => e.message.type === 'identify')
        .map((e) => [(e.message.traits as { loyaltyCard?: string }).loyaltyCard, e.message.userId ?? e.message.anonymousId]),
    );
    const researched = events.filter((e) => {
      if (e.source !== 'pos') return false;
      const p = e.message.properties as { loyalty_card: string; products: { product_id: string }[] };
      const who = owner.get(p.loyalty_card);
      return p.products.some((l) => viewed.has(`${who}:${l.product_id}`));
    });
    assert.ok(researched.length > 10, `${researched.length} store orders researched online`);
  });

  it('the live trickle draws the same events for the same tick', () => {
    const p = plan(1);
    assert.deepEqual(trickleEvents(p, 5, END + 1000), trickleEvents(p, 5, END + 1000));
    const ticks = Array.from({ length: 50 }, (_, t) => trickleEvents(p, t, END + t * 1000)).flat();
    assert.ok(ticks.some((e) => e.message.event === 'Order Completed'));
    assert.ok(ticks.every((e) => e.message.timestamp === new Date(e.at).toISOString()));
    // A restarted demo counts ticks from 0 again: its events must not repeat the earlier run's ids (the log drops duplicates).
    const again = trickleEvents(p, 5, END + 86_400_000);
    assert.notEqual(again[0]!.message.messageId, trickleEvents(p, 5, END + 1000)[0]!.message.messageId);
  });

  it('answers to messages are drawn from the seed and the message', () => {
    const m = { id: 'msg_demo0000042', channel: 'email', sentAt: END };
    assert.deepEqual(answer(1, m), answer(1, m));
    const many = Array.from({ length: 400 }, (_, i) => answer(1, { ...m, id: `msg_${i}` }));
    const opened = many.filter((a) => a.answers.some((x) => x.status === 'opened')).length;
    assert.ok(opened > 120 && opened < 220, `${opened} of 400 opened`);
    for (const a of many) for (const x of a.answers) assert.ok(x.at > m.sentAt);
  });
});
