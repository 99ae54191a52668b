/**
 * History is recorded at event time: a year of store orders imported today
 * gives the stages each customer really had, month by month; a rebuild gives
 * the same history, times included; a late event counts without rewriting
 * history. The default lifecycle model: lapsed 180 days after the last order,
 * loyalty from the third order, purchase from the first.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readCsv, runImport } from '../src/collect/index.js';
import { DIALECTS } from './support/dialects.js';
import { openHarness, type PipelineHarness } from './support/pipeline.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const YEAR_AGO = NOW - 365 * DAY;
const CUSTOMERS = 40;

/** Each customer's order times: deterministic, spread over the year, some close together, some far apart. */
function ordersOf(customer: number): number[] {
  const count = 1 + (customer % 4);
  const first = YEAR_AGO + ((customer * 7919) % 300) * DAY + customer * 3_600_000;
  return Array.from({ length: count }, (_, i) => first + i * ((customer % 3) + 1) * 45 * DAY).filter((t) => t < NOW - DAY);
}

/** The stage the default model gives a customer at `at`, from its orders alone. */
function expectedStage(orders: number[], at: number): string | null {
  const before = orders.filter((t) => t <= at);
  if (before.length === 0) return null;
  if (before[before.length - 1]! + 180 * DAY < at) return 'lapsed';
  return before.length >= 3 ? 'loyalty' : 'purchase';
}

function monthEnds(): number[] {
  const ends: number[] = [];
  for (let d = new Date(YEAR_AGO); d.getTime() < NOW; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) {
    const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1;
    if (end < NOW) ends.push(end);
  }
  return ends;
}

for (const dialect of DIALECTS) {
  describe(`event time on ${dialect.name}`, () => {
    let h: PipelineHarness;
    let dir: string;
    const history = async () => {
      const rows = [];
      for (let c = 0; c < CUSTOMERS; c++) {
        const id = (await h.profileOf('customerNumber', `C${c}`))!;
        rows.push(...(await h.tp.standing.lifecycle.history(id)).map((r) => [`C${c}`, r.from, r.to, r.at, r.trigger].join(' ')));
      }
      return rows;
    };

    before(async () => {
      h = await openHarness(dialect);
      dir = mkdtempSync(join(tmpdir(), 'touchpoint-event-time-'));
    });
    after(async () => {
      await h.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('imports a year of store orders and gives each month its true distribution of stages', async () => {
      const rows = ['customer_number,timestamp,amount'];
      for (let c = 0; c < CUSTOMERS; c++) for (const t of ordersOf(c)) rows.push(`C${c},${new Date(t).toISOString()},${10 + c}`);
      const file = join(dir, 'orders.csv');
      writeFileSync(file, `${rows.join('\n')}\n`);
      const source = await h.tp.sources.create({ name: 'Stores', channel: 'store' });
      const reader = readCsv(file, { mapping: { customerNumber: 'customer_number' }, type: 'track', eventName: 'Order Completed' });
      const summary = await runImport({ ingest: h.tp.ingest, source, file, reader, batchSize: 50, rejectsPath: join(dir, 'rejects.ndjson') });
      assert.equal(summary.rejected, 0);
      await h.settle();

      for (const end of monthEnds()) {
        const expected: Record<string, number> = {};
        for (let c = 0; c < CUSTOMERS; c++) {
          const stage = expectedStage(ordersOf(c), end);
          if (stage) expected[stage] = (expected[stage] ?? 0) + 1;
        }
        assert.deepEqual(await h.tp.standing.lifecycle.distribution(end), expected, `at ${new Date(end).toISOString()}`);
      }
      const lapsed = (await history()).filter((r) => r.includes(' lapsed '));
      assert.ok(lapsed.length > 5, 'customers lapsed during the year, each at the time it happened');
      assert.ok(
        lapsed.every((r) => r.endsWith(' schedule')),
        'lapsing is a timer at its due time',
      );
    });

    it('a rebuild gives the same history, times included', async () => {
      const before = await history();
      await h.tp.pipeline.rebuild();
      await h.settle();
      assert.deepEqual(await history(), before);
    });

    it('a late event counts, but what it changes is recorded at the time the profile had reached', async () => {
      const store = await h.tp.sources.find('Stores');
      const late = (t: number, id: string) => ({
        type: 'track',
        event: 'Order Completed',
        messageId: id,
        anonymousId: 'customerNumber:LATE',
        timestamp: new Date(t).toISOString(),
        context: { traits: { customerNumber: 'LATE' } },
      });
      await h.tp.ingest.ingest(store!, [late(NOW - 10 * DAY, 'late-1')]);
      await h.settle();
      await h.tp.ingest.ingest(store!, [late(NOW - 60 * DAY, 'late-2'), late(NOW - 50 * DAY, 'late-3')]);
      await h.settle();
      const id = (await h.profileOf('customerNumber', 'LATE'))!;
      const rows = await h.tp.standing.lifecycle.history(id);
      assert.deepEqual(
        rows.map((r) => [r.to, r.at]),
        [
          ['purchase', NOW - 10 * DAY],
          ['loyalty', NOW - 10 * DAY],
        ],
        'the third order, though older, moves it on at the time it had reached',
      );
      assert.ok(
        rows.every((r, i) => i === 0 || r.at >= rows[i - 1]!.at),
        'ordered in time',
      );
    });

    it('a new model, then a late event: the history stays in time order', async () => {
      const store = await h.tp.sources.find('Stores');
      const order = (t: number, id: string) => ({
        type: 'track',
        event: 'Order Completed',
        messageId: id,
        anonymousId: 'customerNumber:MODEL',
        timestamp: new Date(t).toISOString(),
        context: { traits: { customerNumber: 'MODEL' } },
      });
      await h.tp.ingest.ingest(store!, [order(NOW - 100 * DAY, 'model-1'), order(NOW - 90 * DAY, 'model-2')]);
      await h.settle();
      const model = await h.tp.standing.lifecycle.model();
      const repeat = { name: 'repeat', condition: { profile: 'orders.count', op: 'eq', value: 2 } } as const;
      const at = model.stages.findIndex((s) => s.name === 'purchase');
      await h.tp.standing.lifecycle.replaceModel({ stages: [...model.stages.slice(0, at), repeat, ...model.stages.slice(at)] });
      await h.settle();
      await h.tp.ingest.ingest(store!, [order(NOW - 95 * DAY, 'model-late')]);
      await h.settle();
      const id = (await h.profileOf('customerNumber', 'MODEL'))!;
      const rows = await h.tp.standing.lifecycle.history(id);
      assert.deepEqual(
        rows.map((r) => r.to),
        ['purchase', 'repeat', 'loyalty'],
      );
      assert.ok(
        rows.every((r, i) => i === 0 || (r.at >= rows[i - 1]!.at && r.from === rows[i - 1]!.to)),
        `a chain in time order: ${JSON.stringify(rows)}`,
      );
      await h.tp.standing.lifecycle.replaceModel(model);
      await h.settle();
    });
  });
}
