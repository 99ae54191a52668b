/**
 * The identity stage: which profile each event of a batch belongs to, joining
 * and merging profiles as its identifiers say. The batch's identifiers are
 * looked up in a few queries, resolved in log order in memory (overlay.ts),
 * and the graph's changes written at the end (flush.ts).
 */
import { drop, ok, type BatchItem, type PipelineEvent, type Stage, type StageResult } from '../pipeline/index.js';
import type { Store } from '../store/index.js';
import { flushGraph } from './flush.js';
import { suppressionHash } from './graph.js';
import { extractIdentifiers, identifierKey, normalizeIdentifier, type Identifier } from './identifiers.js';
import type { KindSpec } from './kinds.js';
import { loadHubs, loadMergeChains, loadOwners, loadPreviousKinds, loadSuppressed } from './lookup.js';
import { GraphOverlay } from './overlay.js';
import type { IdentityTables } from './tables.js';

/** Who an event is from: the customer, or Touchpoint itself (a stage change it derived, a change an admin made). */
/** customer: identified by its identifiers; the others name their profile: derived (stage changes), admin (changes an admin made), response (the customer's responses to messages: opens, clicks, replies). */
export type Origin = 'customer' | 'derived' | 'admin' | 'response';

/** What the identity stage hands on: the event's profile and the merges the event made, in order. */
export interface Identified {
  profileId: string;
  merges: { survivor: string; merged: string }[];
  origin: Origin;
}

export interface IdentityOptions {
  store: Store;
  kinds: KindSpec[];
  phoneRegion?: string;
  hubThreshold: number;
  /** Touchpoint's own sources: their events name their profile in context.touchpoint.profileId. */
  internalSources?: { derived: string; admin: string; response?: string };
}

interface Classified {
  item: BatchItem<object>;
  origin: Origin;
  identifiers: Identifier[];
  named?: string;
  previousId?: string;
}

export function createIdentityStage(options: IdentityOptions): Stage<object, Identified> {
  const limits = Object.fromEntries(options.kinds.map((k) => [k.kind, k.maxPerProfile]));
  const named: Record<string, Origin> = Object.fromEntries(
    Object.entries(options.internalSources ?? {}).flatMap(([origin, sourceId]) => (sourceId ? [[sourceId, origin as Origin]] : [])),
  );
  const originOf = (event: PipelineEvent): Origin => named[event.sourceId] ?? 'customer';

  function classify(item: BatchItem<object>): Classified {
    const origin = originOf(item.event);
    const message = item.event.message;
    if (origin !== 'customer') {
      const named = (message.context as { touchpoint?: { profileId?: unknown } } | undefined)?.touchpoint?.profileId;
      return { item, origin, identifiers: [], named: typeof named === 'string' ? named : undefined };
    }
    const identifiers = extractIdentifiers(message, options.kinds, { phoneRegion: options.phoneRegion });
    const previousId = item.event.type === 'alias' ? normalizeIdentifier('text', message.previousId) : undefined;
    return { item, origin, identifiers, previousId };
  }

  return {
    name: 'identity',
    async run(items, scope) {
      const db = scope.trx.withTables<IdentityTables>();
      const events = items.map(classify);
      const previousKinds = await loadPreviousKinds(
        db,
        events.flatMap((e) => (e.previousId === undefined ? [] : [e.previousId])),
      );
      const candidates = events.flatMap((e) => [...e.identifiers, ...(e.previousId === undefined ? [] : [previous(e.previousId, previousKinds)])]);
      const [owners, hubs, suppressed, chains] = await Promise.all([
        loadOwners(db, candidates),
        loadHubs(db, candidates),
        loadSuppressed(db, candidates),
        loadMergeChains(
          db,
          events.flatMap((e) => (e.named === undefined ? [] : [e.named])),
        ),
      ]);
      const overlay = new GraphOverlay(db, owners, hubs, new Map(), { limits, hubThreshold: options.hubThreshold });
      const results: StageResult<Identified>[] = [];
      for (const event of events) {
        if (event.origin !== 'customer') {
          results.push(resolveNamed(event, chains, overlay));
          continue;
        }
        const identifiers = event.previousId === undefined ? event.identifiers : withPrevious(event.identifiers, event.previousId, previousKinds, overlay);
        if (identifiers.length === 0) results.push(drop('no_identifier'));
        else if (suppressed.size > 0 && identifiers.some((i) => suppressed.has(suppressionHash(i)))) results.push(drop('erased_identifier'));
        else results.push(await resolveCustomer(event.item.event, identifiers, overlay));
      }
      await flushGraph(options.store, scope.trx, overlay.pending);
      return results;
    },
  };
}

async function resolveCustomer(event: PipelineEvent, identifiers: Identifier[], overlay: GraphOverlay): Promise<StageResult<Identified>> {
  const plan = await overlay.resolve(identifiers, { seq: event.seq, at: event.timestamp, reason: event.type === 'alias' ? 'alias' : 'event' });
  if (!plan) return drop('hub_identifiers_only');
  return ok({ profileId: plan.profileId!, merges: plan.merges.map((m) => ({ survivor: m.survivor, merged: m.merged })), origin: 'customer' });
}

/** Touchpoint's own events name their profile; it may have merged since, or been erased. */
function resolveNamed(event: Classified, chains: Map<string, string | null>, overlay: GraphOverlay): StageResult<Identified> {
  let current = event.named;
  for (let hops = 0; current !== undefined && hops < 1000; hops++) {
    const next = chains.get(current);
    if (next === undefined) return drop('profile_gone');
    if (next === null) break;
    current = next;
  }
  if (current === undefined) return drop('profile_gone');
  return ok({ profileId: overlay.live(current), merges: [], origin: event.origin });
}

const previous = (value: string, kinds: Map<string, string>): Identifier => ({ kind: kinds.get(value) ?? 'anonymousId', value });

/**
 * alias says: previousId (an earlier userId or anonymousId) is the same person
 * as userId. previousId is taken as the kind it is already known as.
 */
function withPrevious(identifiers: Identifier[], value: string, kinds: Map<string, string>, overlay: GraphOverlay): Identifier[] {
  const known = ['userId', 'anonymousId'].find((kind) => overlay.ownerOf({ kind, value }) !== undefined);
  const id = known ? { kind: known, value } : previous(value, kinds);
  const [first, ...rest] = identifiers;
  return first ? [first, id, ...rest.filter((i) => identifierKey(i) !== identifierKey(id))] : [id];
}
