/**
 * From a segment's entries and exits to the batches a destination sends, with
 * no I/O. A platform only needs to know where each profile ends up, so a
 * profile's changes within one read of the stream fold to the last one, and
 * that is compared with what the platform was told already:
 *
 * - last change "entered", not told yet: added (with its hashes now);
 * - last change "exited", told: removed, with the hashes it was added with
 *   (the profile may have changed its email or been erased since);
 * - anything else sends nothing: an entry then an exit of a profile the
 *   platform never had cancels out, an exit then a re-entry of one it has
 *   keeps it, and a repeated entry (a back-fill meeting the live stream) is
 *   not sent twice.
 *
 * An entering profile with nothing to match on (no email or phone that
 * parses) is skipped, and counted.
 */
import type { Hashes } from './normalize.js';

export interface Change {
  /** The change's position in the stream: operations keep this order. */
  id: number;
  profileId: string;
  change: 'entered' | 'exited';
}

export interface Member extends Hashes {
  profileId: string;
}

export interface Operation {
  op: 'add' | 'remove';
  member: Member;
}

export interface SyncPlan {
  operations: Operation[];
  /** Profiles that entered with no email or phone to send. */
  skipped: string[];
}

export interface Batch {
  add: Member[];
  remove: Member[];
}

/** Each profile's last change, in the order of those last changes. */
export function foldChanges(changes: readonly Change[]): Change[] {
  const last = new Map<string, Change>();
  for (const change of changes) {
    if (change.id >= (last.get(change.profileId)?.id ?? Number.NEGATIVE_INFINITY)) last.set(change.profileId, change);
  }
  return [...last.values()].sort((a, b) => a.id - b.id);
}

/**
 * What to tell the platform. `told` holds the profiles it has (among those
 * changed) with the hashes they were added with; `hashesOf` gives an
 * entering profile's hashes now (null hashes when it has nothing to match).
 */
export function planSync(changes: readonly Change[], told: ReadonlyMap<string, Member>, hashesOf: (profileId: string) => Hashes): SyncPlan {
  const plan: SyncPlan = { operations: [], skipped: [] };
  for (const { profileId, change } of foldChanges(changes)) {
    const known = told.get(profileId);
    if (change === 'exited') {
      if (known) plan.operations.push({ op: 'remove', member: known });
      continue;
    }
    if (known) continue;
    const hashes = hashesOf(profileId);
    if (hashes.emailSha256 === null && hashes.phoneSha256 === null) plan.skipped.push(profileId);
    else plan.operations.push({ op: 'add', member: { profileId, ...hashes } });
  }
  return plan;
}

/** Operations cut into batches of at most `size` entries (adds and removes together), in order. */
export function toBatches(operations: readonly Operation[], size: number): Batch[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, not ${size}`);
  const batches: Batch[] = [];
  for (let i = 0; i < operations.length; i += size) {
    const batch: Batch = { add: [], remove: [] };
    for (const { op, member } of operations.slice(i, i + size)) batch[op].push(member);
    batches.push(batch);
  }
  return batches;
}

/** The JSON a receiver gets (docs/destinations.md documents it field by field). */
export interface BatchBody {
  type: 'audience.sync';
  destination: string;
  segment: string;
  batchId: string;
  add: Member[];
  remove: Member[];
}

export function batchBody(destination: string, segment: string, batchId: string, batch: Batch): BatchBody {
  const entry = (m: Member): Member => ({ profileId: m.profileId, emailSha256: m.emailSha256, phoneSha256: m.phoneSha256 });
  return { type: 'audience.sync', destination, segment, batchId, add: batch.add.map(entry), remove: batch.remove.map(entry) };
}
