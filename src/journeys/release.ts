/**
 * Deferred messages whose time has come (quiet hours over, an arbitration
 * window closed, the customer's best hour, a cap with room again) are
 * decided again, as the customer stands now, and go out, wait again, or are
 * dropped with the reason. They were rendered when asked for.
 */
import type { Messages } from '../history/index.js';
import type { Policy } from '../policy/index.js';
import type { Standpoint } from '../standing/index.js';
import type { Store } from '../store/index.js';
import type { Contact } from '../policy/index.js';
import { customerOf, settle, type DeferredRequest } from './sending.js';

export interface ReleaseDeps {
  store: Store;
  messages: Messages;
  policy: Pick<Policy, 'decide'>;
  delivery: string;
  batchSize: number;
  standpoints(profileIds: readonly string[], now: number): Promise<Map<string, Standpoint>>;
  survivorOf(profileId: string): Promise<string | undefined>;
}

/** Releases the deferred messages that are due; returns how many it looked at. */
export async function releaseDue(deps: ReleaseDeps, now: number): Promise<number> {
  const due = await deps.messages.due(now, deps.batchSize);
  if (due.length === 0) return 0;
  const standpoints = await deps.standpoints([...new Set(due.map((m) => m.profileId))], now);
  const contacts: { id: string; kept: DeferredRequest; contact: Contact }[] = [];
  for (const m of due) {
    const kept = m.request as unknown as DeferredRequest;
    // A customer merged into another since is decided as the survivor (an erased one has none: suppressed).
    let profileId = m.profileId;
    if (!standpoints.has(profileId)) {
      const survivor = await deps.survivorOf(profileId);
      if (survivor && survivor !== profileId) {
        profileId = survivor;
        for (const [id, s] of await deps.standpoints([survivor], now)) standpoints.set(id, s);
      }
    }
    const request = { ...kept.request, profileId, released: true };
    contacts.push({ id: m.id, kept: { ...kept, request }, contact: { request, customer: customerOf(standpoints.get(profileId), kept.zone) } });
  }
  await deps.store.write(
    async (trx) => {
      const decided = await deps.policy.decide(
        trx,
        contacts.map((c) => c.contact),
        now,
      );
      for (const [i, c] of contacts.entries()) {
        const { steps, outcome } = settle(decided[i]!, c.kept, deps.delivery, now);
        await deps.messages.release(trx, c.id, steps, outcome);
      }
    },
    { lane: 'journeys' },
  );
  return due.length;
}
