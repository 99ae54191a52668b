/** The identity stage: which profile an event belongs to, joining and merging profiles as its identifiers say. */
import { cached, drop, ok, type Stage } from '../pipeline/index.js';
import { applyPlan, graphDb, isSuppressed, liveProfileId, lookupGraph } from './graph.js';
import { extractIdentifiers, normalizeIdentifier, type Identifier } from './identifiers.js';
import type { KindSpec } from './kinds.js';
import { decideResolution } from './resolve.js';

export interface IdentityOptions {
  kinds: KindSpec[];
  phoneRegion?: string;
  hubThreshold: number;
  /** Events of this source are Touchpoint's own: they name their profile in context.touchpoint.profileId. */
  internalSourceId?: string;
}

export function createIdentityStage(options: IdentityOptions): Stage {
  const limits = Object.fromEntries(options.kinds.map((k) => [k.kind, k.maxPerProfile]));
  return {
    name: 'identity',
    async run(event, ctx) {
      const db = graphDb(ctx.db);
      if (event.sourceId === options.internalSourceId) {
        const named = (event.message.context as { touchpoint?: { profileId?: unknown } } | undefined)?.touchpoint?.profileId;
        const profileId = typeof named === 'string' ? await liveProfileId(db, named) : undefined;
        if (!profileId) return drop('profile_gone');
        ctx.profileId = profileId;
        ctx.internal = true;
        return ok();
      }
      let identifiers = extractIdentifiers(event.message, options.kinds, { phoneRegion: options.phoneRegion });
      if (event.type === 'alias') identifiers = await withPreviousId(db, identifiers, event.message.previousId);
      if (identifiers.length === 0) return drop('no_identifier');
      // Suppressions and hubs are rare: whether there are any is read once per batch.
      const suppressions = await cached(ctx.cache, 'suppressions-exist', async () => (await db.selectFrom('id_suppressions').select('hash').limit(1).executeTakeFirst()) !== undefined);
      if (suppressions && (await isSuppressed(db, identifiers))) return drop('erased_identifier');
      const hubsExist = await cached(ctx.cache, 'hubs-exist', async () => (await db.selectFrom('id_hubs').select('kind').limit(1).executeTakeFirst()) !== undefined);
      const lookup = await lookupGraph(db, identifiers, { hubsExist });
      const plan = decideResolution({ identifiers, lookup, limits, newProfileId: `prof_${event.seq}`, seq: event.seq });
      if (!plan.profileId) return drop('hub_identifiers_only');
      const flaggedHub = await applyPlan(db, plan, { seq: event.seq, at: event.receivedAt, reason: event.type === 'alias' ? 'alias' : 'event', hubThreshold: options.hubThreshold });
      if (flaggedHub) ctx.cache.set('hubs-exist', true);
      ctx.profileId = plan.profileId;
      ctx.merges = plan.merges;
      return ok();
    },
  };
}

/**
 * alias says: previousId (an earlier userId or anonymousId) is the same person
 * as userId. previousId is taken as the kind it is already known as.
 */
async function withPreviousId(db: ReturnType<typeof graphDb>, identifiers: Identifier[], previousId: unknown): Promise<Identifier[]> {
  const value = normalizeIdentifier('text', previousId);
  if (value === undefined) return identifiers;
  const known = await db.selectFrom('id_identities').select('kind').where('value', '=', value)
    .where('kind', 'in', ['userId', 'anonymousId']).orderBy('kind', 'desc').executeTakeFirst();
  const previous = { kind: known?.kind ?? 'anonymousId', value };
  const [first, ...rest] = identifiers;
  return first ? [first, previous, ...rest.filter((i) => i.kind !== previous.kind || i.value !== value)] : [previous];
}
