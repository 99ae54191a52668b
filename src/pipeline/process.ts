/** Running one event through the stages inside a transaction. */
import { sql, type Kysely } from 'kysely';
import type { LoggedEvent } from '../log/index.js';
import { cached, type PipelineEvent, type Stage, type StageResult } from './stage.js';
import type { PipelineTables } from './tables.js';

export type Outcome = { kind: 'applied' } | { kind: 'skipped' } | { kind: 'dropped'; stage: string; reason: string } | { kind: 'dead_letter'; stage: string; reason: string };

export function toPipelineEvent(event: LoggedEvent): PipelineEvent {
  return {
    seq: event.seq, sourceId: event.sourceId, type: event.type, event: event.event, channel: event.channel,
    userId: event.userId, anonymousId: event.anonymousId, timestamp: event.timestamp, receivedAt: event.receivedAt,
    message: JSON.parse(event.payload) as Record<string, unknown>,
  };
}

/**
 * Applies one event. An event applied before (a replay) is skipped, so that
 * re-processing never repeats an effect.
 */
export async function processEvent(trx: Kysely<object>, stages: Stage[], event: LoggedEvent, attempts = 1, cache = new Map<string, unknown>()): Promise<Outcome> {
  const db = trx.withTables<PipelineTables>();
  // Events past the highest one applied cannot have been applied: only replays need the per-event check.
  const highest = await cached(cache, 'highest-applied', async () => {
    const row = await db.selectFrom('pipeline_applied').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    return Number(row?.seq ?? 0);
  });
  if (event.seq <= highest && (await db.selectFrom('pipeline_applied').select('seq').where('seq', '=', event.seq).executeTakeFirst())) {
    return { kind: 'skipped' };
  }
  const input = toPipelineEvent(event);
  const ctx = { db: trx, cache };
  // A dropped or dead-lettered event changes nothing: what earlier stages wrote for it is undone.
  await sql`savepoint tp_event`.execute(trx);
  for (const stage of stages) {
    const result: StageResult = await stage.run(input, ctx);
    if (result.kind === 'ok') continue;
    await sql`rollback to savepoint tp_event`.execute(trx);
    await sql`release savepoint tp_event`.execute(trx);
    if (result.kind === 'drop') return { kind: 'dropped', stage: stage.name, reason: result.reason };
    await recordDeadLetter(trx, event.seq, stage.name, result.reason, attempts, event.receivedAt);
    return { kind: 'dead_letter', stage: stage.name, reason: result.reason };
  }
  await sql`release savepoint tp_event`.execute(trx);
  await db.insertInto('pipeline_applied').values({ seq: event.seq }).execute();
  await db.deleteFrom('pipeline_dead_letters').where('seq', '=', event.seq).execute();
  return { kind: 'applied' };
}

export async function recordDeadLetter(trx: Kysely<object>, seq: number, stage: string, reason: string, attempts: number, at: number): Promise<void> {
  await trx.withTables<PipelineTables>().insertInto('pipeline_dead_letters')
    .values({ seq, at, stage, reason: reason.slice(0, 2000), attempts })
    .onConflict((oc) => oc.column('seq').doUpdateSet({ at, stage, reason: reason.slice(0, 2000), attempts }))
    .execute();
}
