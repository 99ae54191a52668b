/**
 * The identity graph as one batch sees it: what was read for the batch, plus
 * what earlier events of the batch changed, in memory. Each event is resolved
 * against it in log order, exactly as if the changes had been written; the
 * changes are written together at the end (flush.ts).
 */
import type { Kysely } from 'kysely';
import { identifierKey, type Identifier } from './identifiers.js';
import { loadObservations, loadViews } from './lookup.js';
import { decideResolution, type ProfileView, type ResolutionPlan } from './resolve.js';
import type { IdentityTables } from './tables.js';

export interface PendingGraph {
  profiles: { id: string; createdSeq: number; createdAt: number }[];
  attach: { kind: string; value: string; profileId: string; firstSeq: number }[];
  merges: { survivor: string; merged: string; via: Identifier; seq: number; at: number; reason: string }[];
  conflicts: { seq: number; at: number; profileId: string; ownerId: string | null; kind: string; value: string; reason: string }[];
  observations: { kind: string; value: string; profileId: string }[];
  hubs: Map<string, { kind: string; value: string; profiles: number; flaggedAt: number }>;
}

export interface OverlayOptions {
  limits: Record<string, number>;
  hubThreshold: number;
}

export interface Occurrence {
  seq: number;
  /** Event time: merges and conflicts are recorded at it. */
  at: number;
  reason: 'event' | 'alias';
}

export class GraphOverlay {
  readonly pending: PendingGraph = { profiles: [], attach: [], merges: [], conflicts: [], observations: [], hubs: new Map() };
  private readonly redirect = new Map<string, string>();
  private readonly observed = new Map<string, Set<string>>();

  constructor(
    private readonly db: Kysely<IdentityTables>,
    private readonly owners: Map<string, string>,
    private readonly hubs: Set<string>,
    private readonly views: Map<string, ProfileView>,
    private readonly options: OverlayOptions,
  ) {}

  /** The live profile an id stands for after this batch's merges so far. */
  live(id: string): string {
    let current = id;
    while (this.redirect.has(current)) current = this.redirect.get(current)!;
    return current;
  }

  ownerOf(id: Identifier): string | undefined {
    const owner = this.owners.get(identifierKey(id));
    return owner === undefined ? undefined : this.live(owner);
  }

  /** Resolves one event's identifiers and applies the plan to the overlay; null when it carries only hub identifiers. */
  async resolve(identifiers: Identifier[], occurrence: Occurrence): Promise<ResolutionPlan | null> {
    const owners = new Map<string, string>();
    for (const id of identifiers) {
      const owner = this.ownerOf(id);
      if (owner !== undefined) owners.set(identifierKey(id), owner);
    }
    const profiles = await this.viewsFor(identifiers, owners);
    const plan = decideResolution({
      identifiers,
      lookup: { owners, hubs: this.hubs, profiles },
      limits: this.options.limits,
      newProfileId: `prof_${occurrence.seq}`,
      seq: occurrence.seq,
    });
    if (!plan.profileId) return null;
    await this.apply(plan, occurrence);
    return plan;
  }

  /** Views of the profiles involved; the common case, a known customer with nothing new, needs none. */
  private async viewsFor(identifiers: Identifier[], owners: Map<string, string>): Promise<Map<string, ProfileView>> {
    const distinct = [...new Set(owners.values())];
    const usable = identifiers.filter((i) => !this.hubs.has(identifierKey(i)));
    if (distinct.length === 1 && owners.size === usable.length) {
      return new Map([[distinct[0]!, { id: distinct[0]!, createdSeq: 0, counts: {}, blocked: [] }]]);
    }
    const missing = distinct.filter((id) => !this.views.has(id));
    if (missing.length > 0) for (const [id, view] of await loadViews(this.db, missing)) this.views.set(id, view);
    return new Map(distinct.map((id) => [id, this.views.get(id)!]));
  }

  private async apply(plan: ResolutionPlan, occurrence: Occurrence): Promise<void> {
    const profileId = plan.profileId!;
    if (plan.created) {
      this.views.set(profileId, { id: profileId, createdSeq: occurrence.seq, counts: {}, blocked: [] });
      this.pending.profiles.push({ id: profileId, createdSeq: occurrence.seq, createdAt: occurrence.at });
    }
    for (const merge of plan.merges) {
      this.redirect.set(merge.merged, merge.survivor);
      const survivor = this.views.get(merge.survivor);
      const merged = this.views.get(merge.merged);
      if (survivor && merged) {
        for (const [kind, n] of Object.entries(merged.counts)) survivor.counts[kind] = (survivor.counts[kind] ?? 0) + n;
        survivor.blocked = [...survivor.blocked, ...merged.blocked];
      }
      this.pending.merges.push({ ...merge, seq: occurrence.seq, at: occurrence.at, reason: occurrence.reason });
    }
    const view = this.views.get(profileId);
    for (const id of plan.attach) {
      this.owners.set(identifierKey(id), profileId);
      if (view) view.counts[id.kind] = (view.counts[id.kind] ?? 0) + 1;
      this.pending.attach.push({ ...id, profileId, firstSeq: occurrence.seq });
    }
    for (const conflict of plan.conflicts) {
      this.pending.conflicts.push({
        ...conflict.identifier,
        seq: occurrence.seq,
        at: occurrence.at,
        profileId: conflict.profileId,
        ownerId: conflict.ownerId,
        reason: conflict.reason,
      });
      if (conflict.ownerId) await this.observe(conflict.identifier, [conflict.ownerId, conflict.profileId], occurrence.at);
    }
  }

  /** An identifier met on another profile than its own: past the threshold it becomes a hub and stops linking. */
  private async observe(id: Identifier, profiles: string[], at: number): Promise<void> {
    const key = identifierKey(id);
    let seen = this.observed.get(key);
    if (!seen) {
      seen = await loadObservations(this.db, id);
      this.observed.set(key, seen);
    }
    for (const profileId of profiles) {
      if (seen.has(profileId)) continue;
      seen.add(profileId);
      this.pending.observations.push({ ...id, profileId });
    }
    if (seen.size <= this.options.hubThreshold) return;
    this.hubs.add(key);
    const flaggedAt = this.pending.hubs.get(key)?.flaggedAt ?? at;
    this.pending.hubs.set(key, { ...id, profiles: seen.size, flaggedAt });
  }
}
