import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { createManualClock } from '../clock.js';
import { createSqlEventLog, logMigrations } from '../log/index.js';
import { openStore } from '../store/index.js';
import { createOutboxRelay, writeOutbox } from './outbox.js';
import { pipelineMigrations } from './tables.js';

const store = openStore('sqlite::memory:');
after(() => store.close());

const derivedEvent = (n: number) => ({ key: `stage:p1:${n}`, event: 'Stage Changed', profileId: 'p1', at: 1_000 + n, properties: { to: 'active' } });

it('relays derived events when they have waited long enough by the injected clock, not the wall clock', async () => {
  await store.migrate(logMigrations);
  await store.migrate(pipelineMigrations);
  const log = createSqlEventLog(store, { partitions: 1, groupCommitMaxEvents: 100 });
  const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const relay = createOutboxRelay({ store, log, sourceId: 'derived', now: clock.now });
  const derive = async (n: number) => {
    await store.write((trx) => writeOutbox(store, trx, [derivedEvent(n)]));
    await relay.derived(1);
  };
  const logged = async () => (await log.readAll(0, 100)).map((e) => e.messageId);

  await derive(1);
  assert.deepEqual(await logged(), ['stage:p1:1'], 'the first waits for nothing');
  await derive(2);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await derive(3);
  assert.deepEqual(await logged(), ['stage:p1:1'], 'the clock has not moved: they wait, however long the wall clock took');
  assert.equal(relay.pending(), true);
  clock.advance(250);
  await derive(4);
  assert.deepEqual(await logged(), ['stage:p1:1', 'stage:p1:2', 'stage:p1:3', 'stage:p1:4']);
  assert.equal(relay.pending(), false);
});
