/**
 * Traits set by journeys reach the profile through the log, like every
 * change: an identify event of Touchpoint's admin source that names its
 * profile. The runner writes them to its outbox in the transaction of the
 * step, and appends them after it commits; appending twice is harmless (the
 * log drops a repeated messageId).
 */
import type { EventLog } from '../log/index.js';
import type { Store } from '../store/index.js';
import { journeysDb } from './definitions.js';
import type { TraitPlan } from './plan.js';

export async function relayTraits(deps: { store: Store; log: EventLog; adminSourceId: string }): Promise<number> {
  const rows = await journeysDb(deps.store.db).selectFrom('journey_outbox').selectAll().orderBy('id').limit(1000).execute();
  if (rows.length === 0) return 0;
  await deps.log.append(
    rows.map((r) => {
      const t = JSON.parse(r.event) as TraitPlan;
      const at = new Date(t.at).toISOString();
      const message = {
        type: 'identify',
        messageId: t.messageId,
        traits: t.traits,
        context: { touchpoint: { internal: true, profileId: t.profileId, journeyId: t.journeyId } },
        timestamp: at,
        receivedAt: at,
      };
      return {
        sourceId: deps.adminSourceId,
        messageId: t.messageId,
        type: 'identify',
        event: null,
        channel: 'other',
        userId: null,
        anonymousId: null,
        timestamp: t.at,
        receivedAt: t.at,
        partitionKey: t.profileId,
        payload: JSON.stringify(message),
      };
    }),
  );
  // Exactly the rows read: a row with a lower id committed since (a webhook call's traits) is relayed next time.
  await deps.store.write(
    (trx) =>
      deps.store.bulk.deleteIn(
        trx,
        'journey_outbox',
        'id',
        rows.map((r) => r.id),
      ),
    'journeys',
  );
  return rows.length;
}

/** Traits a journey's webhook call brought back, written in the transaction that records the call's result and relayed like the others. */
export async function saveCallTraits(
  store: Store,
  trx: import('kysely').Kysely<object>,
  results: readonly { callId: string; profileId: string; journeyId: string; traits: Record<string, unknown>; at: number }[],
): Promise<void> {
  const rows = results
    .filter((r) => Object.keys(r.traits).length > 0)
    .map((r): TraitPlan => ({ messageId: `journey-call:${r.callId}`, profileId: r.profileId, traits: r.traits, at: r.at, journeyId: r.journeyId }));
  await store.bulk.insert(
    trx,
    'journey_outbox',
    ['event'],
    rows.map((t) => [JSON.stringify(t)]),
  );
}
