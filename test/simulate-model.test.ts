/**
 * The pure parts of the contact-pressure simulation (bench/simulate, npm run
 * simulate): seeded draws, the customer model's fatigue and unsubscribe
 * curves, and the report's arithmetic. The test runner reads dist/src and
 * dist/test only, so they live here rather than beside the bench.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCustomer } from '../bench/simulate/customers.js';
import { DAY, HOUR, PARAMETERS, WEEK } from '../bench/simulate/parameters.js';
import { createQueue } from '../bench/simulate/queue.js';
import { createRng, hashSeed } from '../bench/simulate/random.js';
import { fatigue, react, recentCount, unsubscribeChance } from '../bench/simulate/responses.js';
import { newShopper, shopHour } from '../bench/simulate/shopping.js';
import { mean, percentile, proportionDifference } from '../bench/simulate/stats.js';

const START = Date.parse('2026-01-05T00:00:00Z');
const draws = (n: number, ...seed: (string | number)[]) => {
  const rng = createRng(...seed);
  return Array.from({ length: n }, () => rng.next());
};

describe('seeded draws', () => {
  it('give the same sequence for the same seed, and another for another seed or stream', () => {
    assert.deepEqual(draws(100, 1, 'activity', 7), draws(100, 1, 'activity', 7));
    assert.notDeepEqual(draws(100, 1, 'activity', 7), draws(100, 2, 'activity', 7));
    assert.notDeepEqual(draws(100, 1, 'activity', 7), draws(100, 1, 'responses', 7));
    assert.notEqual(hashSeed(1, 'a'), hashSeed('1a'));
  });

  it('are uniform in [0, 1)', () => {
    const values = draws(100_000, 42);
    assert.ok(values.every((v) => v >= 0 && v < 1));
    assert.ok(Math.abs(mean(values) - 0.5) < 0.005, `mean ${mean(values)}`);
    const tenths = new Array(10).fill(0);
    for (const v of values) tenths[Math.floor(v * 10)]++;
    for (const n of tenths) assert.ok(Math.abs(n - 10_000) < 400, `decile of ${n}`);
  });
});

describe('the customer model', () => {
  it('draws the same customer from the same seed and number', () => {
    const [a, b] = [createCustomer(3, 17, 1000, START, 8), createCustomer(3, 17, 1000, START, 8)];
    const hidden = (c: typeof a) => ({ ...c, activity: undefined, responses: undefined });
    assert.deepEqual(hidden(a), hidden(b));
    assert.notDeepEqual(hidden(a), hidden(createCustomer(4, 17, 1000, START, 8)));
  });

  it('signs newcomers up during the run, evenly, and existing customers before it', () => {
    const customers = Array.from({ length: 1000 }, (_, i) => createCustomer(1, i, 1000, START, 8));
    const existing = customers.filter((c) => c.signUpAt < START);
    assert.equal(existing.length, 1000 * PARAMETERS.existingShare);
    const newcomers = customers.filter((c) => c.signUpAt >= START).map((c) => c.signUpAt);
    assert.ok(newcomers.every((at) => at < START + 8 * WEEK));
    const firstHalf = newcomers.filter((at) => at < START + 4 * WEEK).length;
    assert.ok(Math.abs(firstHalf - newcomers.length / 2) <= 2, `${firstHalf} of ${newcomers.length} in the first half`);
    assert.ok(existing.every((c) => c.pastOrders.every((at) => at < START && at > c.signUpAt)));
  });

  it('shops the same hours whatever messages did in between (common random numbers for the two runs)', () => {
    // Messages change what the simulation knows of the customer: carts bought, events sent.
    const sessions = (messagesToo: boolean) => {
      const c = createCustomer(5, 3, 10, START, 8);
      const shopper = newShopper();
      const seen: unknown[] = [];
      for (let h = 1; h <= 24 * 7 * 8; h++) {
        if (messagesToo && h % 50 === 0) {
          shopper.openCarts = [];
          shopper.events += 3;
        }
        const { events, later } = shopHour(c, shopper, START + h * HOUR, true);
        seen.push(...events.map((e) => [e.event, e.timestamp, e.properties]), later);
      }
      return seen.filter((x) => x !== undefined);
    };
    assert.ok(sessions(false).length > 0);
    assert.deepEqual(sessions(false), sessions(true));
  });

  it('tires: the chance to notice falls and the chance to unsubscribe rises with the messages of the last 7 days', () => {
    assert.equal(fatigue(0), 1);
    assert.ok(Math.abs(fatigue(PARAMETERS.fatigueScale) - Math.exp(-1)) < 1e-12);
    for (let n = 0; n < 20; n++) {
      assert.ok(fatigue(n + 1) < fatigue(n));
      assert.ok(unsubscribeChance('email', n + 1, false) > unsubscribeChance('email', n, false));
    }
    assert.equal(unsubscribeChance('email', 0, false), PARAMETERS.unsubscribe.email);
    assert.equal(unsubscribeChance('email', PARAMETERS.unsubscribeKnee, false), 2 * PARAMETERS.unsubscribe.email);
    // Night annoys on the phone, not in the mailbox.
    assert.equal(unsubscribeChance('sms', 3, true), PARAMETERS.night.unsubscribe * unsubscribeChance('sms', 3, false));
    assert.equal(unsubscribeChance('email', 3, true), unsubscribeChance('email', 3, false));
  });

  it('counts the messages received in the 7 days before a moment', () => {
    const now = START + 30 * DAY;
    const received = [now - 8 * DAY, now - 7 * DAY, now - 7 * DAY + 1, now - DAY, now - HOUR, now];
    assert.equal(recentCount(received, now), 4);
    assert.equal(recentCount([], now), 0);
  });

  it('notices fewer messages when tired, in the proportion of the fatigue curve', () => {
    const noticed = (recent: number) => {
      const c = createCustomer(9, 1, 10, START, 8);
      let n = 0;
      const sentAt = Date.parse('2026-01-07T11:00:00Z');
      for (let i = 0; i < 20_000; i++) {
        const reactions = react(c, { messageId: `m${i}`, channel: 'push', kind: 'newsletter', sentAt }, recent);
        if (reactions.some((r) => r.kind === 'report' && r.status === 'opened')) n++;
      }
      return n;
    };
    const [rested, tired] = [noticed(0), noticed(10)];
    const ratio = tired / rested;
    assert.ok(Math.abs(ratio - fatigue(10)) < 0.03, `tired / rested ${ratio.toFixed(3)}, curve ${fatigue(10).toFixed(3)}`);
  });
});

describe('the report', () => {
  it('takes the nearest-rank percentile', () => {
    const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    assert.equal(percentile(oneTo(100), 95), 95);
    assert.equal(percentile(oneTo(20).reverse(), 95), 19);
    assert.equal(percentile([0, 0, 0, 7], 95), 7);
    assert.equal(percentile([], 95), 0);
    assert.equal(mean([1, 2, 3, 6]), 3);
  });

  it('gives the difference of two proportions with its 95% interval (normal approximation, unpooled)', () => {
    const d = proportionDifference(60, 100, 40, 100);
    assert.equal(d.treated, 0.6);
    assert.equal(d.control, 0.4);
    assert.ok(Math.abs(d.difference - 0.2) < 1e-12);
    const half = 1.959964 * Math.sqrt((0.6 * 0.4) / 100 + (0.4 * 0.6) / 100);
    assert.ok(Math.abs(d.low - (0.2 - half)) < 1e-12 && Math.abs(d.high - (0.2 + half)) < 1e-12);
    assert.ok(Math.abs(d.low - 0.0642) < 1e-4 && Math.abs(d.high - 0.3358) < 1e-4);
    // Unbalanced groups: the small control group sets the width.
    const wide = proportionDifference(4500, 9000, 480, 1000);
    assert.ok(wide.high - wide.low > 0.06 && wide.high - wide.low < 0.07, `width ${wide.high - wide.low}`);
    assert.ok(Number.isNaN(proportionDifference(1, 2, 0, 0).low));
  });

  it('hands back what is due in time order, ties by customer then by when it was planned', () => {
    const queue = createQueue<{ at: number; customer: number; what: string }>();
    for (const [at, customer, what] of [
      [5, 2, 'c'],
      [1, 9, 'a'],
      [5, 1, 'b'],
      [9, 0, 'e'],
      [5, 2, 'd'],
    ] as const)
      queue.push({ at, customer, what });
    assert.deepEqual(
      queue.popUntil(5).map((x) => x.what),
      ['a', 'b', 'c', 'd'],
    );
    assert.equal(queue.size, 1);
    assert.deepEqual(
      queue.popUntil(100).map((x) => x.what),
      ['e'],
    );
  });
});
