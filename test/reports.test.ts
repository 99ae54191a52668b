/**
 * Reports over a year of imported history, on every dialect: each checked
 * against what the generated plan says happened (computed here the plain
 * way), and identical after a rebuild of everything from the log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReportResult } from '../src/analytics/index.js';
import { planYear, type PlannedEvent } from './support/brand-history.js';
import { DIALECTS } from './support/dialects.js';
import { openHarness, type PipelineHarness } from './support/pipeline.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const PERIOD = { from: new Date(NOW - 365 * DAY).toISOString(), to: new Date(NOW).toISOString() };
const CHANNEL = { 'Web shop': 'web', App: 'app', Stores: 'store' } as const;

interface Planned {
  user: string;
  channel: string;
  event: string;
  at: number;
  props: Record<string, unknown>;
}

const plan = planYear(60, NOW);
const planned: Planned[] = plan
  .map((p: PlannedEvent) => ({
    user: p.message.userId as string,
    channel: CHANNEL[p.source],
    event: p.message.event as string,
    at: Date.parse(p.message.timestamp as string),
    props: p.message.properties as Record<string, unknown>,
  }))
  .sort((a, b) => a.at - b.at);
const byUser = new Map<string, Planned[]>();
for (const p of planned) byUser.set(p.user, [...(byUser.get(p.user) ?? []), p]);

/** The plain way: from every start, the furthest a customer gets within the window. */
function expectedFunnel(steps: string[], windowMs: number): number[] {
  const reached = steps.map(() => 0);
  for (const events of byUser.values()) {
    let best = 0;
    events.forEach((start, i) => {
      if (start.event !== steps[0]) return;
      let level = 1;
      for (const e of events.slice(i + 1)) {
        if (level < steps.length && e.event === steps[level] && e.at - start.at <= windowMs && e.at >= start.at) level++;
      }
      best = Math.max(best, level);
    });
    for (let k = 0; k < best; k++) reached[k]!++;
  }
  return reached;
}

const table = (result: ReportResult, name: string) => result.tables.find((t) => t.name === name)!.rows;

for (const dialect of DIALECTS) {
  describe(`reports over a year of history on ${dialect.name}`, () => {
    let h: PipelineHarness;
    // Computed each time (never an answer kept from an earlier run), and compared without the time it was computed at.
    const run = async (name: string, params: Record<string, string> = {}) => {
      const { freshness, ...result } = await h.tp.analytics.run(name, { ...PERIOD, ...params }, { fresh: true });
      assert.equal(freshness?.cached, false);
      return result;
    };

    before(async () => {
      h = await openHarness(dialect);
      h.clock.set(NOW);
      for (const source of ['Web shop', 'App', 'Stores'] as const) {
        const messages = plan.filter((p) => p.source === source).map((p) => p.message);
        for (let i = 0; i < messages.length; i += 500) await h.send(source, CHANNEL[source], ...messages.slice(i, i + 500));
      }
      await h.settle();
    });
    after(() => h.dispose());

    it('funnel: per unified customer, as the plain count from every start', async () => {
      const steps = ['Product Viewed', 'Added to Cart', 'Order Completed'];
      const result = await run('funnel', { steps: steps.join(' > '), window: '7d' });
      const rows = table(result, 'steps');
      assert.deepEqual(
        rows.map((r) => r.customers),
        expectedFunnel(steps, 7 * DAY),
      );
      assert.ok((rows[2]!.customers as number) > 5, 'enough customers convert to mean something');
      assert.ok((rows[1]!.median_seconds_from_previous as number) === 600, 'cart ten minutes after the view');
      const narrow = await run('funnel', { steps: 'Product Viewed > Order Completed', window: '1h' });
      assert.deepEqual(
        table(narrow, 'steps').map((r) => r.customers),
        expectedFunnel(['Product Viewed', 'Order Completed'], 3_600_000),
        'store purchases two days later fall outside a one-hour window',
      );
      const filtered = await run('funnel', { steps: 'Product Viewed[category=Shoes] > Order Completed[revenue>=100]', window: '30d', by: 'channel' });
      const breakdown = table(filtered, 'breakdown');
      assert.equal(
        breakdown.reduce((s, r) => s + (r.step_1 as number), 0),
        table(filtered, 'steps')[0]!.customers,
        'the breakdown by channel adds up',
      );
      assert.ok(breakdown.every((r) => ['web', 'app'].includes(r.group as string)));
    });

    it('cross-channel: customers by channels used, revenue per customer', async () => {
      const result = await run('cross-channel');
      const expected = new Map<string, { customers: number; revenue: number }>();
      for (const events of byUser.values()) {
        const n = new Set(events.map((e) => e.channel)).size;
        const key = n >= 3 ? '3+' : String(n);
        const g = expected.get(key) ?? expected.set(key, { customers: 0, revenue: 0 }).get(key)!;
        g.customers++;
        g.revenue += events.filter((e) => e.event === 'Order Completed').reduce((s, e) => s + (e.props.revenue as number), 0);
      }
      for (const row of table(result, 'by_channel_count')) {
        const g = expected.get(row.channels as string)!;
        assert.equal(row.customers, g.customers);
        assert.equal(row.revenue_per_customer, Math.round((g.revenue / g.customers) * 100) / 100);
        assert.ok((row.revenue_low as number) <= (row.revenue_per_customer as number));
      }
      const combos = table(result, 'by_combination');
      assert.equal(
        combos.reduce((s, r) => s + (r.customers as number), 0),
        byUser.size,
      );
    });

    it('ROPO: store orders researched online, by category', async () => {
      const result = await run('ropo', { lookback: '7d' });
      const all = table(result, 'research_online_purchase_offline').find((r) => r.category === '(all)')!;
      let orders = 0;
      let researched = 0;
      for (const events of byUser.values()) {
        for (const o of events.filter((e) => e.event === 'Order Completed' && e.channel === 'store')) {
          orders++;
          const cat = (o.props.products as { category: string }[])[0]!.category;
          const hit = events.some(
            (v) => v.event === 'Product Viewed' && v.channel !== 'store' && v.at < o.at && v.at >= o.at - 7 * DAY && v.props.category === cat,
          );
          if (hit) researched++;
        }
      }
      assert.equal(all.store_orders, orders);
      assert.equal(all.researched_same_category, researched);
      assert.ok(orders > 3);
    });

    it('the cube: revenue per channel adds up to the orders', async () => {
      const result = await run('cube', { dimensions: 'channel' });
      const revenue = new Map<string, number>();
      for (const e of planned.filter((p) => p.event === 'Order Completed')) revenue.set(e.channel, (revenue.get(e.channel) ?? 0) + (e.props.revenue as number));
      for (const row of table(result, 'cells')) assert.equal(row.revenue, revenue.get(row.channel as string) ?? 0, `${row.channel}`);
      const drill = await run('cube', { dimensions: 'category', channel: 'store' });
      assert.equal(
        table(drill, 'cells').reduce((s, r) => s + (r.revenue as number), 0),
        revenue.get('store'),
      );
    });

    it('attribution: every conversion is shared out whole by every model', async () => {
      const result = await run('attribution', { lookback: '30d' });
      const orders = planned.filter((p) => p.event === 'Order Completed');
      const summary = table(result, 'summary')[0]!;
      assert.equal((summary.conversions as number) + (summary.conversions_without_touch as number), orders.length);
      const credits = table(result, 'credits');
      for (const model of ['first_touch', 'linear', 'markov', 'shapley']) {
        const total = credits.reduce((s, r) => s + (r[`${model}_conversions`] as number), 0);
        assert.ok(Math.abs(total - (summary.conversions as number)) < 0.01, `${model} gives out ${total}`);
      }
      const byCampaign = await run('attribution', { by: 'campaign' });
      assert.ok(table(byCampaign, 'credits').some((r) => r.campaign === 'marathon'));
    });

    it('bad parameters are refused by name', async () => {
      await assert.rejects(run('funnel', { steps: 'Product Viewed' }), /steps: give at least two steps/);
      await assert.rejects(run('funnel', { steps: 'A > B', window: '7 days' }), /window: give a positive duration/);
      await assert.rejects(run('cube', { dimensions: 'segment,shoe' }), /dimensions: "shoe" is not one of/);
      await assert.rejects(run('ropo', { lookbak: '7d' }), /lookbak: this report takes no such parameter/);
      await assert.rejects(run('cross-channel', { from: PERIOD.to, to: PERIOD.from }), /from: must be before to/);
    });

    it('every report gives the same answer after a rebuild', async () => {
      const all = async () =>
        Promise.all([
          run('funnel', { steps: 'Product Viewed > Added to Cart > Order Completed', by: 'source' }),
          run('cross-channel'),
          run('ropo'),
          run('cube'),
          run('attribution'),
          run('lifecycle-flow', { interval: 'month' }),
          run('experiments'),
        ]);
      const before = await all();
      await h.tp.pipeline.rebuild();
      await h.settle();
      assert.deepEqual(await all(), before);
    });
  });
}
