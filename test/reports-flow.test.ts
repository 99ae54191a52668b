/**
 * The lifecycle-flow and experiments reports over a whole Touchpoint: events
 * sent through the tracking API with past timestamps and a file of store
 * history imported today give the stage history at event time, a renamed stage keeps its own column, a journey split and
 * the policy's global control group are measured from the history and the
 * customers' orders, and bad parameters are refused by name. Every dialect.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ReportParameterError, type ReportResult } from '../src/analytics/index.js';
import { readNdjson, runImport } from '../src/collect/index.js';
import { controlDraw } from '../src/policy/index.js';
import { compareRates, sampleRatio } from '../src/analytics/reports/stats.js';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (day: string) => Date.parse(`${day}T10:00:00Z`);
const granted = { email: 'granted' };
const MAIL = (subject: string) => ({ email: { subject, html: `<p>${subject}</p>` } });

const table = (result: ReportResult, name: string) => result.tables.find((t) => t.name === name)!;
const pairs = (result: ReportResult, name: string, count: string) => table(result, name).rows.map((r) => `${r.from_stage}>${r.to_stage}=${r[count]}`);

/** Customers' visits and orders in November 2026, each customer's in time order (the clock stands at Monday 23 November, 12:00). */
const VISITS: [string, string, string][] = [
  ['u1', '2026-10-20', 'Page Viewed'],
  ['u1', '2026-11-04', 'Order Completed'],
  ['u2', '2026-11-10', 'Page Viewed'],
  ['u3', '2026-10-25', 'Order Completed'],
  ['u4', '2026-11-18', 'Page Viewed'],
  ['u4', '2026-11-19', 'Order Completed'],
];

/** Store history imported on the day: a first order and an old visit. */
const IMPORTED: [string, string, string][] = [
  ['s1', '2026-11-05', 'Order Completed'],
  ['s2', '2026-10-01', 'Page Viewed'],
];

async function importHistory(h: Harness): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'touchpoint-reports-'));
  try {
    const file = join(dir, 'history.ndjson');
    const lines = IMPORTED.map(([userId, day, event]) => JSON.stringify({ type: 'track', userId, event, timestamp: new Date(at(day)).toISOString() }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const source = await h.tp.touchpoint.sources.create({ name: 'Stores', channel: 'store' });
    const summary = await runImport({
      ingest: h.tp.touchpoint.ingest,
      source,
      file,
      reader: readNdjson(file),
      batchSize: 50,
      rejectsPath: join(dir, 'rejects'),
    });
    assert.equal(summary.imported, IMPORTED.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PROMO = {
  entry: { event: { name: 'Browsed' } },
  goal: { event: 'Order Completed', within: { days: 3 } },
  steps: [
    {
      id: 'ab',
      split: [
        { arm: 'Control', weight: 1, next: 'plain' },
        { arm: 'discount', weight: 1, next: 'deal' },
      ],
    },
    { id: 'plain', send: { channel: 'email', content: 'Hello' }, next: 'linger' },
    { id: 'deal', send: { channel: 'email', content: 'Deal' }, next: 'linger' },
    { id: 'linger', wait: { days: 2 } },
  ],
};

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

for (const dialect of DIALECTS) {
  describe(`reports: lifecycle flow and experiments (${dialect.name})`, () => {
    let h: Harness;
    const run = (name: string, params: Record<string, string>) => h.tp.touchpoint.analytics.run(name, params);

    before(async () => {
      h = await startHarness(dialect);
      const model = await h.api('PUT', '/api/lifecycle', {
        stages: [
          { name: 'buyer', condition: { profile: 'orders.count', op: 'gte', value: 1 } },
          { name: 'visitor', condition: { profile: 'eventCount', op: 'gte', value: 1 } },
        ],
      });
      assert.equal(model.status, 200, JSON.stringify(model.body));
      await h.settle();
      for (const [user, day, event] of VISITS) await h.track(user, event, event === 'Order Completed' ? { revenue: 20 } : {}, at(day));
      await importHistory(h);
      await h.settle();
    });
    after(() => h.dispose());

    it('lifecycle-flow: stages at the end of each week, transitions and moves, from the history at event time', async () => {
      const result = await run('lifecycle-flow', { from: '2026-11-02', to: '2026-11-23' });
      assert.deepEqual(result.parameters, { from: '2026-11-02T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', interval: 'week' });
      assert.deepEqual(table(result, 'stages_over_time').rows, [
        { bucket: '2026-11-02', buyer: 3, visitor: 1, '(none)': 0 },
        { bucket: '2026-11-09', buyer: 3, visitor: 2, '(none)': 0 },
        { bucket: '2026-11-16', buyer: 4, visitor: 2, '(none)': 0 },
      ]);
      assert.deepEqual(pairs(result, 'transitions', 'customers'), [
        'buyer>buyer=1',
        'visitor>buyer=1',
        'visitor>visitor=1',
        '(none)>buyer=2',
        '(none)>visitor=1',
      ]);
      assert.deepEqual(pairs(result, 'moves', 'changes'), ['visitor>buyer=2', '(none)>buyer=1', '(none)>visitor=2']);
      const days = await run('lifecycle-flow', { from: '2026-11-18', to: '2026-11-20', interval: 'day' });
      assert.deepEqual(
        table(days, 'stages_over_time').rows.map((r) => [r.bucket, r.buyer, r.visitor]),
        [
          ['2026-11-18', 3, 3],
          ['2026-11-19', 4, 2],
        ],
      );
    });

    it('lifecycle-flow: a stage renamed in the model keeps its history as its own column', async () => {
      const model = await h.api('PUT', '/api/lifecycle', {
        stages: [
          { name: 'buyer', condition: { profile: 'orders.count', op: 'gte', value: 1 } },
          { name: 'browser', condition: { profile: 'eventCount', op: 'gte', value: 1 } },
        ],
      });
      assert.equal(model.status, 200, JSON.stringify(model.body));
      await h.settle();
      const result = await run('lifecycle-flow', { from: '2026-11-02', to: '2026-11-24' });
      const over = table(result, 'stages_over_time');
      assert.deepEqual(over.columns, ['bucket', 'buyer', 'browser', 'visitor', '(none)']);
      // The model changed at 12:00 on the 23rd: the visitors moved to browser then.
      assert.deepEqual(over.rows[3], { bucket: '2026-11-23', buyer: 4, browser: 2, visitor: 0, '(none)': 0 });
      assert.deepEqual(pairs(result, 'moves', 'customers'), ['visitor>buyer=2', 'visitor>browser=2', '(none)>buyer=1', '(none)>visitor=2']);
      assert.ok(result.notes.some((n) => n.includes('no longer has') && n.includes('visitor')));
    });

    it('experiments: the split arms and the global control group, counted as assigned', async () => {
      assert.equal((await h.api('PUT', '/api/policy', { controlGroup: { share: 0.3, salt: 'holdout' } })).status, 200);
      await h.content('Hello', MAIL('Hello'));
      await h.content('Deal', MAIL('Deal'));
      const journeyId = await h.journey('Promo', PROMO);
      const users = Array.from({ length: 40 }, (_, i) => `c${i}`);
      for (const u of users) await h.identify(u, { email: `${u}@example.com`, consent: granted });
      // Two who opted out: stopped before the draw, in neither arm.
      for (const u of ['x0', 'x1']) await h.identify(u, { email: `${u}@example.com`, consent: { email: 'denied' } });
      // An order before any request: no conversion.
      await h.track('c1', 'Order Completed', { revenue: 500 }, h.tp.clock.now() - DAY);
      for (const u of [...users, 'x0', 'x1']) await h.track(u, 'Browsed');
      await h.settle();
      await h.advance(HOUR);
      const buyers = users.filter((_, i) => i % 3 === 0);
      const revenue = (u: string) => 10 + Number(u.slice(1));
      for (const u of buyers) await h.track(u, 'Order Completed', { revenue: revenue(u) });
      await h.settle();

      const messages: { profileId: string; arm: string; reason: string | null }[] = await h.messages();
      assert.equal(messages.length, 42);
      const ids = new Map<string, string>();
      for (const u of users) ids.set(u, await h.profileOf(u));
      const held = new Set(messages.filter((m) => m.reason === 'control_group').map((m) => m.profileId));
      assert.deepEqual(held, new Set(users.map((u) => ids.get(u)!).filter((id) => controlDraw(id, 'holdout') < 0.3)));

      const result = await run('experiments', { from: '2026-11-22', to: '2026-11-25' });
      assert.deepEqual(result.parameters, {
        from: '2026-11-22T00:00:00.000Z',
        to: '2026-11-25T00:00:00.000Z',
        journey: null,
        conversion: 'Order Completed',
        value: 'revenue',
      });

      // The control group: held back against the other reachable customers.
      const arms = { control: users.filter((u) => held.has(ids.get(u)!)), treated: users.filter((u) => !held.has(ids.get(u)!)) };
      const rows = table(result, 'control_group').rows;
      const expected = Object.entries(arms).map(([arm, members]) => {
        const bought = members.filter((u) => buyers.includes(u));
        return { arm, customers: members.length, converted: bought.length, value: bought.reduce((s, u) => s + revenue(u), 0) };
      });
      assert.deepEqual(
        rows.map((r) => ({ arm: r.arm, customers: r.customers, converted: r.converted, value: r.value })),
        expected,
      );
      const [c, t] = expected as [(typeof expected)[0], (typeof expected)[0]];
      const rates = compareRates({ k: t.converted, n: t.customers }, { k: c.converted, n: c.customers });
      assert.equal(rows[1]!.rate, round6(t.converted / t.customers));
      assert.equal(rows[1]!.value_per_customer, Math.round((t.value / t.customers) * 1e4) / 1e4);
      assert.equal(rows[1]!.lift, rates.lift === null ? null : round6(rates.lift));
      assert.equal(rows[1]!.p_value, Number(rates.pValue!.toPrecision(4)));
      assert.equal(rows[0]!.expected_share, 0.3);
      assert.equal(rows[0]!.srm_p_value, Number(sampleRatio([c.customers, t.customers], [0.3, 0.7])!.pValue.toPrecision(4)));
      assert.equal(rows[0]!.srm_warning, false);
      assert.ok(result.notes.some((n) => n.includes('Left out: 2 customers')));

      // The journey's split: every entry, held back or not, in the arm it drew; conversions are the journey's goal.
      const armOf = new Map(messages.map((m) => [m.profileId, m.arm]));
      const splits = table(result, 'journey_splits').rows;
      assert.deepEqual(
        splits.map((r) => [r.journey, r.journey_id, r.split, r.arm, r.reference, r.expected_share]),
        [
          ['Promo', journeyId, 'ab', 'Control', true, 0.5],
          ['Promo', journeyId, 'ab', 'discount', false, 0.5],
        ],
      );
      for (const row of splits) {
        const members = [...armOf].filter(([, arm]) => arm === row.arm).map(([id]) => id);
        const bought = buyers.filter((u) => members.includes(ids.get(u)!));
        assert.deepEqual([row.entered, row.converted, row.value], [members.length, bought.length, bought.reduce((s, u) => s + revenue(u), 0)], String(row.arm));
      }

      const byName = await run('experiments', { from: '2026-11-22', to: '2026-11-25', journey: 'Promo' });
      assert.deepEqual(byName.tables, result.tables);
    });

    it('refuses bad parameters, naming them', async () => {
      const refused = async (name: string, params: Record<string, string>, parameter: string) =>
        assert.rejects(run(name, params), (e: unknown) => e instanceof ReportParameterError && e.parameter === parameter);
      await refused('lifecycle-flow', { interval: 'year' }, 'interval');
      await refused('lifecycle-flow', { from: '2026-11-20', to: '2026-11-10' }, 'from');
      await refused('lifecycle-flow', { from: '2000-01-01', to: '2026-11-10', interval: 'day' }, 'interval');
      await refused('experiments', { journey: 'No such journey' }, 'journey');
      await refused('experiments', { colour: 'red' }, 'colour');
    });
  });
}
