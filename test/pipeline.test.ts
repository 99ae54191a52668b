/** The pipeline's guarantees with stages that fail on purpose, on a real store. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createManualClock } from '../src/clock.js';
import { createMetrics } from '../src/metrics.js';
import { loadConfig } from '../src/config.js';
import { openTouchpoint, type Touchpoint } from '../src/main.js';
import { createPipeline, deadLetter, drop, ok, type Stage, type StageResult } from '../src/pipeline/index.js';
import { DIALECTS, type TestDatabase } from './support/dialects.js';

type Effects = { effects: { seq: number } };

for (const dialect of DIALECTS) {
  describe(`pipeline on ${dialect.name}`, () => {
    let db: TestDatabase;
    let tp: Touchpoint;
    const failures = new Map<number, number>();
    /** Writes one row per event it accepts, and fails as `failures` says (seq -> times). */
    const counting: Stage<object, object> = {
      name: 'counting',
      async run(items, scope) {
        const results: StageResult<object>[] = [];
        for (const { event } of items) {
          const left = failures.get(event.seq) ?? 0;
          if (left > 0) {
            failures.set(event.seq, left - 1);
            throw new Error(`transient failure at ${event.seq}`);
          }
          results.push(event.event === 'Poison' ? deadLetter('poison event') : ok({}));
        }
        const accepted = items.filter((_, i) => results[i]!.kind === 'ok');
        if (accepted.length > 0)
          await scope.trx
            .withTables<Effects>()
            .insertInto('effects')
            .values(accepted.map((i) => ({ seq: i.event.seq })))
            .execute();
        return results;
      },
    };
    /** A later stage that drops what the first one already wrote for: the batch runs again without it. */
    const picky: Stage<object, object> = {
      name: 'picky',
      async run(items) {
        return items.map(({ event }) => (event.event === 'Ignore' ? drop('not interesting') : ok({})));
      },
    };
    const pipelineWith = (stages: Stage<object, object>[]) =>
      createPipeline({
        store: tp.store,
        log: tp.log,
        stages,
        clock: createManualClock(0),
        metrics: createMetrics(),
        resettables: [
          {
            reset: (trx) =>
              trx
                .withTables<Effects>()
                .deleteFrom('effects')
                .execute()
                .then(() => undefined),
          },
        ],
        options: { batchSize: 10, maxAttempts: 3, backoffMs: 1, pollMs: 50, yieldMs: 1 },
      });
    const effects = async () => (await tp.store.db.withTables<Effects>().selectFrom('effects').select('seq').orderBy('seq').execute()).map((r) => r.seq);
    const send = async (...names: string[]) => {
      const source = (await tp.sources.find('test')) ?? (await tp.sources.create({ name: 'test', channel: 'other' }));
      await tp.ingest.ingest(
        source,
        names.map((event) => ({ type: 'track', userId: 'u', event })),
      );
      return (await tp.log.query({ limit: names.length })).map((e) => e.seq).reverse();
    };

    before(async () => {
      db = await dialect.create();
      tp = await openTouchpoint(loadConfig({ TOUCHPOINT_DATABASE_URL: db.url, TOUCHPOINT_SQLITE_SYNCHRONOUS: 'normal' }));
      await tp.store.db.schema
        .createTable('effects')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .execute();
    });
    after(async () => {
      await tp.close();
      await db.cleanup();
    });

    it('applies each event once, even when a batch fails and is retried event by event', async () => {
      const seqs = await send('A', 'B', 'C', 'D');
      failures.set(seqs[2]!, 2);
      const pipeline = pipelineWith([counting, picky]);
      const status = await pipeline.drain();
      assert.deepEqual(await effects(), seqs, 'every effect once: the failed batch left nothing behind');
      assert.equal(status.lagEvents, 0);
      assert.equal(status.position, seqs[3]);
    });

    it('dead-letters poison events and events that keep failing, drops what a later stage drops without what earlier stages wrote, and moves on', async () => {
      const seqs = await send('Poison', 'Ignore', 'Fine', 'Persistent');
      failures.set(seqs[3]!, 10);
      const pipeline = pipelineWith([counting, picky]);
      const status = await pipeline.drain();
      assert.equal(status.deadLetters, 2);
      assert.equal(status.position, seqs[3]);
      assert.deepEqual(
        (await effects()).filter((seq) => seqs.includes(seq)),
        [seqs[2]],
        'poison, dropped and failing events left no effect',
      );
    });

    it('replays dead letters once the cause is gone, and replays from a position without repeating effects', async () => {
      const pipeline = pipelineWith([counting, picky]);
      failures.clear();
      const result = await pipeline.replayDeadLetters();
      assert.deepEqual(result, { replayed: 1, stillFailing: 1 }, 'the persistently failing event now passes; the poison one still is poison');
      const before = await effects();
      const status = await pipeline.replayFrom(1);
      assert.equal(status.lagEvents, 0);
      assert.deepEqual(await effects(), before, 'nothing applied twice');
    });

    it('runs in the background and wakes on append', async () => {
      const pipeline = pipelineWith([counting, picky]);
      pipeline.start();
      const [seq] = await send('Live');
      for (let i = 0; i < 100 && !(await effects()).includes(seq!); i++) await new Promise((r) => setTimeout(r, 10));
      await pipeline.stop();
      assert.ok((await effects()).includes(seq!));
    });
  });
}
