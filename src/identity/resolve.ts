/**
 * Identity resolution as a pure decision: given the identifiers an event
 * carries and what the graph holds for them now, which profile the event
 * belongs to, which identifiers join it, which profiles merge, and which links
 * are refused (conflicts). No I/O: the caller looks things up and applies the plan.
 */
import { identifierKey, type Identifier } from './identifiers.js';

/** What the graph knows of a profile that one of the event's identifiers belongs to. */
export interface ProfileView {
  id: string;
  /** Log position of the event that created it: the older profile survives a merge. */
  createdSeq: number;
  /** Identifiers held, per kind. Identifiers belong to one profile only, so counts add up on merge. */
  counts: Record<string, number>;
  /** Profiles it must not merge with (split apart by an unmerge). */
  blocked: string[];
}

export interface GraphLookup {
  /** identifierKey -> the profile holding it. */
  owners: Map<string, string>;
  /** identifierKeys that stopped linking (hubs). */
  hubs: Set<string>;
  profiles: Map<string, ProfileView>;
}

export interface Conflict {
  identifier: Identifier;
  /** The profile the event went to. */
  profileId: string;
  /** The profile that holds the identifier, when another one does. */
  ownerId: string | null;
  reason: string;
}

export interface ResolutionPlan {
  /** The profile the event belongs to; null when it carries only hub identifiers. */
  profileId: string | null;
  created: boolean;
  /** Identifiers not yet in the graph that join the profile. */
  attach: Identifier[];
  /** In order: each `merged` profile joins `survivor`. */
  merges: { survivor: string; merged: string; via: Identifier }[];
  conflicts: Conflict[];
  skippedHubs: Identifier[];
}

export interface ResolveInput {
  identifiers: Identifier[];
  lookup: GraphLookup;
  limits: Record<string, number>;
  /** The id a new profile gets, and the position of the event. */
  newProfileId: string;
  seq: number;
}

export function decideResolution(input: ResolveInput): ResolutionPlan {
  const { lookup, limits } = input;
  const plan: ResolutionPlan = { profileId: null, created: false, attach: [], merges: [], conflicts: [], skippedHubs: [] };
  const views = new Map([...lookup.profiles].map(([id, v]) => [id, { ...v, counts: { ...v.counts } }]));
  const redirect = new Map<string, string>();
  const live = (id: string) => {
    let current = id;
    while (redirect.has(current)) current = redirect.get(current)!;
    return current;
  };
  let target: ProfileView | undefined;

  for (const id of input.identifiers) {
    const key = identifierKey(id);
    if (lookup.hubs.has(key)) {
      plan.skippedHubs.push(id);
      continue;
    }
    const ownerId = lookup.owners.has(key) ? live(lookup.owners.get(key)!) : undefined;
    if (!target) {
      if (ownerId) target = views.get(ownerId)!;
      else {
        target = { id: input.newProfileId, createdSeq: input.seq, counts: { [id.kind]: 1 }, blocked: [] };
        views.set(target.id, target);
        plan.created = true;
        plan.attach.push(id);
      }
      continue;
    }
    if (ownerId === target.id) continue;
    if (ownerId === undefined) {
      const refusal = exceeds(target.counts, { [id.kind]: 1 }, limits);
      if (refusal) plan.conflicts.push({ identifier: id, profileId: target.id, ownerId: null, reason: `${target.id} ${refusal}` });
      else {
        target.counts[id.kind] = (target.counts[id.kind] ?? 0) + 1;
        plan.attach.push(id);
      }
      continue;
    }
    const other = views.get(ownerId)!;
    const refusal =
      other.blocked.includes(target.id) || target.blocked.includes(other.id) ? 'were split apart by an unmerge' : exceeds(target.counts, other.counts, limits);
    if (refusal) {
      plan.conflicts.push({ identifier: id, profileId: target.id, ownerId, reason: `merging ${other.id} into ${target.id}: together they ${refusal}` });
      continue;
    }
    const [survivor, merged] = other.createdSeq < target.createdSeq ? [other, target] : [target, other];
    for (const [kind, n] of Object.entries(merged.counts)) survivor.counts[kind] = (survivor.counts[kind] ?? 0) + n;
    survivor.blocked = [...survivor.blocked, ...merged.blocked];
    redirect.set(merged.id, survivor.id);
    // A profile the event would have created is never created: its identifiers join the survivor.
    if (plan.created && merged.id === input.newProfileId) plan.created = false;
    else plan.merges.push({ survivor: survivor.id, merged: merged.id, via: id });
    target = survivor;
  }
  plan.profileId = target?.id ?? null;
  return plan;
}

/** Says which limit adding `extra` to `counts` would break, or undefined when it fits. */
function exceeds(counts: Record<string, number>, extra: Record<string, number>, limits: Record<string, number>): string | undefined {
  for (const [kind, n] of Object.entries(extra)) {
    const limit = limits[kind];
    if (limit !== undefined && (counts[kind] ?? 0) + n > limit) return `would hold more than ${limit} ${kind}`;
  }
  return undefined;
}
