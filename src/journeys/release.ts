/**
 * Deferred messages whose time has come (quiet hours over, an arbitration
 * window closed, the customer's best hour, a cap with room again) are
 * decided again, as the customer stands now, and go out, wait again, or are
 * dropped with the reason. They were rendered when asked for. A message
 * whose journey has since reached its goal for the customer, or was
 * archived, is dropped; one whose journey is paused waits with it.
 */
import type { Kysely } from 'kysely';
import type { Message, Messages, Release, Step } from '../history/index.js';
import type { Contact, Policy } from '../policy/index.js';
import type { Standpoint } from '../standing/index.js';
import type { Store } from '../store/index.js';
import { journeysDb } from './definitions.js';
import { zoneOf } from './plan.js';
import type { ContentChannel, NewDelivery } from '../channels/index.js';
import { customerOf, deliveryOf, settle, type DeferredRequest, type Deliveries, type Settled } from './sending.js';

export interface ReleaseDeps {
  store: Store;
  messages: Messages;
  policy: Pick<Policy, 'decide'>;
  deliveries: Deliveries;
  batchSize: number;
  standpoints(profileIds: readonly string[], now: number): Promise<Map<string, Standpoint>>;
  survivorOf(profileId: string): Promise<string | undefined>;
}

const HOUR = 3_600_000;

type Hold = { kind: 'drop'; reason: 'goal_reached' | 'journey_archived' } | { kind: 'wait' };

/** Whether the message's journey still wants it: dropped after the goal or an archive, held while paused. */
async function holds(trx: Kysely<object>, due: readonly Message[]): Promise<Map<string, Hold>> {
  const out = new Map<string, Hold>();
  const enrolmentIds = due.map((m) => m.enrolmentId).filter((id): id is string => id !== null);
  if (enrolmentIds.length === 0) return out;
  const rows = await journeysDb(trx)
    .selectFrom('journey_enrolments')
    .innerJoin('journeys', 'journeys.id', 'journey_enrolments.journey_id')
    .select(['journey_enrolments.id', 'journey_enrolments.status as enrolment', 'journeys.status as journey'])
    .where('journey_enrolments.id', 'in', enrolmentIds)
    .execute();
  const byEnrolment = new Map(rows.map((r) => [r.id, r]));
  for (const m of due) {
    const r = m.enrolmentId === null ? undefined : byEnrolment.get(m.enrolmentId);
    if (r?.enrolment === 'converted') out.set(m.id, { kind: 'drop', reason: 'goal_reached' });
    else if (r?.journey === 'archived') out.set(m.id, { kind: 'drop', reason: 'journey_archived' });
    else if (r?.journey === 'paused') out.set(m.id, { kind: 'wait' });
  }
  return out;
}

function held(hold: Hold, kept: DeferredRequest, now: number): Settled {
  if (hold.kind === 'drop') return { steps: [{ status: 'suppressed', at: now, reason: hold.reason }], outcome: { delivery: null, rendered: null } };
  const step: Step = { status: 'deferred', at: now, reason: 'journey_paused', deferredUntil: now + HOUR };
  return { steps: [step], outcome: { delivery: null, rendered: null, request: kept as unknown as Record<string, unknown> } };
}

interface Due {
  message: Message;
  kept: DeferredRequest;
  contact: Contact;
}

async function contactsOf(deps: ReleaseDeps, due: readonly Message[], now: number): Promise<Due[]> {
  const standpoints = await deps.standpoints([...new Set(due.map((m) => m.profileId))], now);
  const out: Due[] = [];
  for (const message of due) {
    const kept = message.request as unknown as DeferredRequest;
    // A customer merged into another since is decided as the survivor (an erased one has none: suppressed).
    let profileId = message.profileId;
    if (!standpoints.has(profileId)) {
      const survivor = await deps.survivorOf(profileId);
      if (survivor && survivor !== profileId) {
        profileId = survivor;
        for (const [id, s] of await deps.standpoints([survivor], now)) standpoints.set(id, s);
      }
    }
    // It waited for this: it does not wait for the same thing again.
    const request = { ...kept.request, profileId, waited: [...(kept.request.waited ?? []), message.reason ?? 'deferred'] };
    const standpoint = standpoints.get(profileId);
    const zone = zoneOf(standpoint, { timezone: kept.zone }, kept.zone);
    out.push({ message, kept: { ...kept, request, zone }, contact: { request, customer: customerOf(standpoint, zone) } });
  }
  return out;
}

/** Releases the deferred messages that are due; returns how many it looked at. */
export async function releaseDue(deps: ReleaseDeps, now: number): Promise<number> {
  const due = await deps.messages.due(now, deps.batchSize);
  if (due.length === 0) return 0;
  const contacts = await contactsOf(deps, due, now);
  await deps.store.write(
    async (trx) => {
      // Another runner may have released some since they were read: only those still waiting as read are decided.
      const still = await deps.messages.stillDue(trx, due);
      const live = contacts.filter((c) => still.has(c.message.id));
      const hold = await holds(
        trx,
        live.map((c) => c.message),
      );
      const deciding = live.filter((c) => !hold.has(c.message.id));
      const decided = await deps.policy.decide(
        trx,
        deciding.map((c) => c.contact),
        now,
      );
      const settled = new Map(deciding.map((c, i) => [c.message.id, settle(decided[i]!, c.kept, deps.deliveries.routeOf, now)]));
      const queued: NewDelivery[] = [];
      const releases: Release[] = [];
      for (const c of live) {
        const h = hold.get(c.message.id);
        const { steps, outcome } = h ? held(h, c.kept, now) : settled.get(c.message.id)!;
        const profileId = c.contact.request.profileId;
        releases.push({ id: c.message.id, steps, outcome: { ...outcome, profileId } });
        const to = c.contact.customer.address((outcome.channel ?? c.message.channel) as ContentChannel);
        const delivery = deliveryOf({ ...c.message, profileId }, outcome, to);
        if (delivery) queued.push(delivery);
      }
      const released = await deps.messages.releaseAll(trx, releases);
      await deps.deliveries.enqueue(
        trx,
        queued.filter((d) => released.has(d.messageId)),
        now,
      );
    },
    { lane: 'journeys' },
  );
  return due.length;
}
