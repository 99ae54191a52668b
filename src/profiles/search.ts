/**
 * Finding profiles as a person types: by the start of a profile id, of an
 * identifier value (userId, email, phone, device id, ...) or of a trait value
 * (a name, a city), whatever the case. `Müll` finds "Müller", `bea@` finds
 * "bea@example.com", `ANN` finds the userId "ann-1". Trait values are kept
 * lower-cased (repository.ts, JS toLowerCase, which folds ü and Ü alike);
 * identifiers and ids are found through the identity module's reader, where
 * A-Z match a-z. Every lookup is an index range (store's startsWith).
 */
import { normalizeIdentifier, type IdentityReader } from '../identity/index.js';
import { foldAscii, isWellFormed, startsWith, type Store } from '../store/index.js';
import { loadProfiles, profilesDb } from './repository.js';
import type { ProfileState } from './state.js';
import { summarize } from './view.js';

export type ProfileSummary = ReturnType<typeof summarize>;

/** Where a listing page ended: the next page starts after it. */
export interface ListPosition {
  lastSeen: number;
  id: string;
}

export interface SearchDeps {
  store: Pick<Store, 'db' | 'dialect'>;
  identity: Pick<IdentityReader, 'live' | 'withPrefix'>;
  /** Region for phone numbers typed without a country code. */
  phoneRegion?: string;
}

/** A profile may match by several identifiers and traits, and matches may be merged away: look further than the limit. */
const LOOK_AHEAD = 4;

export function createProfileSearch(deps: SearchDeps) {
  const profiles = profilesDb(deps.store.db);
  const traitKey = deps.store.dialect.searchKey('value');

  async function traitOwners(prefix: string, limit: number): Promise<string[]> {
    const rows = await profiles
      .selectFrom('profile_trait_values')
      .select('profile_id')
      .where(startsWith(traitKey, prefix))
      .orderBy(traitKey)
      .limit(limit)
      .execute();
    return rows.map((r) => r.profile_id);
  }

  /** The live profiles behind candidate ids, in order, each once, at most `limit`. */
  async function live(candidates: string[], limit: number): Promise<ProfileSummary[]> {
    const unique = [...new Set(candidates)];
    const stored = await loadProfiles(profiles, unique);
    const found = new Map<string, ProfileState>();
    for (const id of unique) {
      if (found.size >= limit) break;
      if (stored.has(id)) {
        if (!found.has(id)) found.set(id, stored.get(id)!.state);
        continue;
      }
      // Not a stored profile: merged away since (its survivor stands for it) or erased.
      const survivor = await deps.identity.live(id);
      if (survivor === undefined || found.has(survivor)) continue;
      const state = stored.get(survivor)?.state ?? (await loadProfiles(profiles, [survivor])).get(survivor)?.state;
      if (state) found.set(survivor, state);
    }
    return [...found].map(([id, state]) => summarize(id, state));
  }

  return {
    /**
     * Profiles whose id, identifier value or trait value starts with `query`
     * (trimmed), case aside: an exact profile id first, then identifiers and
     * ids, then traits, the closest values first in each. Merged-away ids give
     * their survivor; each profile comes once.
     */
    async search(query: string, limit: number): Promise<ProfileSummary[]> {
      const q = query.trim();
      if (q === '' || !isWellFormed(q)) return [];
      const lowered = q.toLowerCase();
      const wanted = limit * LOOK_AHEAD;
      const candidates: string[] = [];
      const exact = await deps.identity.live(q);
      if (exact !== undefined) candidates.push(exact);
      // Identifiers are stored as sent (emails lower-cased): A-Z fold in the index, other letters as typed or lower-cased.
      const prefixes = new Set([foldAscii(q), lowered]);
      const phone = normalizeIdentifier('phone', q, { phoneRegion: deps.phoneRegion });
      if (phone !== undefined) prefixes.add(phone);
      for (const prefix of prefixes) candidates.push(...(await deps.identity.withPrefix(prefix, wanted)));
      candidates.push(...(await traitOwners(lowered, wanted)));
      return live(candidates, limit);
    },

    /** Every profile by last seen, newest first, a page at a time. */
    async list(limit: number, after?: ListPosition): Promise<{ profiles: ProfileSummary[]; next?: ListPosition }> {
      let query = profiles.selectFrom('profiles').select(['id', 'last_seen', 'state']);
      if (after) {
        query = query.where((eb) => eb.or([eb('last_seen', '<', after.lastSeen), eb.and([eb('last_seen', '=', after.lastSeen), eb('id', '<', after.id)])]));
      }
      const rows = await query.orderBy('last_seen', 'desc').orderBy('id', 'desc').limit(limit).execute();
      const last = rows[rows.length - 1];
      return {
        profiles: rows.map((r) => summarize(r.id, JSON.parse(r.state) as ProfileState)),
        ...(rows.length === limit && last && { next: { lastSeen: last.last_seen, id: last.id } }),
      };
    },
  };
}

export type ProfileSearch = ReturnType<typeof createProfileSearch>;
