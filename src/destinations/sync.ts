/**
 * From segment membership to queued batches. A new destination first adds
 * its segment's current members a page at a time (the back-fill, resumed
 * from its stored cursor after a restart); then it follows the segment
 * change stream from the position it was created at. Each page's batches,
 * the members table and the destination's new position or cursor are
 * written in one transaction, so a page is queued exactly once.
 */
import type { Kysely } from 'kysely';
import { planSync, type Change } from './batch.js';
import { hashContact, type Contact, type HashingRules, type IdentifierKind } from './normalize.js';
import { activeWebhooks, queueOperations, toldAmong, type DestinationRow } from './records.js';
import { destinationsDb } from './tables.js';
import type { Store } from '../store/index.js';

/** One entry or exit in the standing's change stream (segments.changesAfter gives these, with more fields). */
export interface SegmentChangeItem {
  id: number;
  segmentId: string;
  profileId: string;
  change: 'entered' | 'exited';
  at: number;
}

export interface SyncDeps {
  store: Store;
  newBatchId(): string;
  phoneRegion?: string;
  segmentChanges(after: number, limit: number): Promise<SegmentChangeItem[]>;
  /** The segment's members after a profile id ('' from the start), in profile id order. */
  segmentMembers(segmentId: string, after: string, limit: number): Promise<string[]>;
  contactsOf(profileIds: readonly string[]): Promise<Map<string, Contact>>;
  /** The segment's current name; undefined when it was deleted. */
  segmentName(segmentId: string): Promise<string | undefined>;
  changePage: number;
  memberPage: number;
}

/** Where a page leaves the destination: its stream position and back-fill cursor, before and after. */
interface Advance {
  from: { position: number; backfillAfter: string | null };
  to: { position: number; backfillAfter: string | null };
}

export function createSync(deps: SyncDeps) {
  /** Queues one page's changes for a destination and moves it on, unless another runner moved it first. */
  async function apply(destination: DestinationRow, changes: Change[], advance: Advance, now: number): Promise<number> {
    const entering = [...new Set(changes.filter((c) => c.change === 'entered').map((c) => c.profileId))];
    const contacts = entering.length > 0 ? await deps.contactsOf(entering) : new Map<string, Contact>();
    const segmentName = (await deps.segmentName(destination.segment_id)) ?? destination.segment_name;
    const options = {
      rules: destination.hashing as HashingRules,
      identifiers: JSON.parse(destination.identifiers) as IdentifierKind[],
      phoneRegion: deps.phoneRegion,
    };
    return deps.store.write(async (trx) => {
      if (!(await claim(trx, destination.id, advance, segmentName, now))) return 0;
      const told = await toldAmong(trx, destination.id, [...new Set(changes.map((c) => c.profileId))]);
      const plan = planSync(changes, told, (id) => hashContact(contacts.get(id) ?? {}, options));
      if (plan.skipped.length > 0) {
        await destinationsDb(trx)
          .updateTable('destinations')
          .set((eb) => ({ skipped: eb('skipped', '+', plan.skipped.length) }))
          .where('id', '=', destination.id)
          .execute();
      }
      const writing = { store: deps.store, newId: deps.newBatchId, now };
      return queueOperations(writing, trx, { ...destination, segment_name: segmentName }, plan.operations);
    });
  }

  /** Moves the destination from where this runner read it to where the page leaves it; false when it is no longer where it was read. */
  async function claim(trx: Kysely<object>, id: string, advance: Advance, segmentName: string, now: number): Promise<boolean> {
    const { from, to } = advance;
    const result = await destinationsDb(trx)
      .updateTable('destinations')
      .set({ position: to.position, backfill_after: to.backfillAfter, segment_name: segmentName, updated_at: now })
      .where('id', '=', id)
      .where('position', '=', from.position)
      .where((eb) => (from.backfillAfter === null ? eb('backfill_after', 'is', null) : eb('backfill_after', '=', from.backfillAfter)))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** One page of current members as entries. A short page ends the back-fill. */
  async function backfill(destination: DestinationRow, now: number): Promise<{ batches: number; more: boolean }> {
    const after = destination.backfill_after ?? '';
    const page = await deps.segmentMembers(destination.segment_id, after, deps.memberPage);
    const changes = page.map((profileId, i): Change => ({ id: i, profileId, change: 'entered' }));
    const done = page.length < deps.memberPage;
    const position = Number(destination.position);
    const advance = { from: { position, backfillAfter: after }, to: { position, backfillAfter: done ? null : page.at(-1)! } };
    return { batches: await apply(destination, changes, advance, now), more: !done };
  }

  /** One page of the change stream, from the least position of the destinations that follow it. */
  async function follow(followers: DestinationRow[], now: number): Promise<{ batches: number; more: boolean }> {
    if (followers.length === 0) return { batches: 0, more: false };
    const from = Math.min(...followers.map((d) => Number(d.position)));
    const changes = await deps.segmentChanges(from, deps.changePage);
    if (changes.length === 0) return { batches: 0, more: false };
    const to = changes.at(-1)!.id;
    let batches = 0;
    for (const destination of followers) {
      const position = Number(destination.position);
      if (position >= to) continue;
      const mine = changes.filter((c) => c.segmentId === destination.segment_id && c.id > position);
      const advance = { from: { position, backfillAfter: null }, to: { position: to, backfillAfter: null } };
      batches += await apply(destination, mine, advance, now);
    }
    return { batches, more: changes.length === deps.changePage };
  }

  return {
    /** Back-fills one page per new destination, then reads one page of the stream for the others. */
    async queue(now: number): Promise<{ batches: number; more: boolean }> {
      const active = await activeWebhooks(deps.store.db);
      let batches = 0;
      let more = false;
      for (const destination of active.filter((d) => d.backfill_after !== null)) {
        const page = await backfill(destination, now);
        batches += page.batches;
        more ||= page.more;
      }
      const followed = await follow(
        active.filter((d) => d.backfill_after === null),
        now,
      );
      return { batches: batches + followed.batches, more: more || followed.more };
    },
  };
}
