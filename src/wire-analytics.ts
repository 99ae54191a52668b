/**
 * Wires the analytics module to the doors it reads: the profiles' activity,
 * the contact history, stage changes, segments, journeys' splits and the
 * policy's control group. Reports only read.
 */
import { createAnalytics, DEFAULT_CACHE, type Analytics } from './analytics/index.js';
import { scanMessages } from './history/index.js';
import type { Journeys } from './journeys/index.js';
import { controlDraw, type Policy } from './policy/index.js';
import { scanActivity } from './profiles/index.js';
import type { Standing } from './standing/index.js';
import type { Store } from './store/index.js';
import type { Sources } from './collect/index.js';
import type { IdentityReader } from './identity/index.js';

export type { Analytics };

export interface AnalyticsWiring {
  store: Store;
  now(): number;
  /** Its position in the log: how many events came in since an answer was computed. */
  pipeline: { position(): Promise<number> };
  /** How long report answers are kept (0: not kept). */
  config: { reportCacheSeconds: number };
  logger?: { warn(obj: object, msg: string): void };
  standing: Standing;
  journeys: Journeys;
  policy: Policy;
  sources: Sources;
  identity: IdentityReader;
}

/** Touchpoint's own sources (their events are not the customer's doing) and the one that records responses to messages. */
export interface AnalyticsSources {
  own: readonly string[];
  response: string;
}

export function wireAnalytics(w: AnalyticsWiring, ids: AnalyticsSources): Analytics {
  const db = w.store.db;
  const maxAgeMs = w.config.reportCacheSeconds * 1000;
  const cache = { ...DEFAULT_CACHE, maxAgeMs, refreshAfterMs: Math.min(DEFAULT_CACHE.refreshAfterMs, maxAgeMs) };
  return createAnalytics(
    {
      now: w.now,
      position: () => w.pipeline.position(),
      internalSourceIds: ids.own,
      scanActivity: (scan, visit) => scanActivity(db, scan, visit),
      // Messages keep the profile they were asked for; a customer merged since is counted as the survivor.
      scanMessages: (window, visit) =>
        scanMessages(db, window, async (page) => {
          const live = await w.identity.liveMany([...new Set(page.map((m) => m.profileId))]);
          await visit(page.map((m) => ({ ...m, profileId: live.get(m.profileId) ?? m.profileId })));
        }),
      sourceNames: async () => new Map((await w.sources.list()).map((s) => [s.id, s.name])),
      journeyNames: async () => new Map((await w.journeys.list()).map((j) => [j.id, j.name])),
      responseSourceId: ids.response,
      stageChanges: (after, limit) => w.standing.lifecycle.transitionsAfter(after, limit),
      stages: async () => (await w.standing.lifecycle.model()).stages.map((s) => s.name),
      segmentNames: async () => (await w.standing.segments.list()).map((s) => s.name),
      async segmentMembers(name) {
        const segment = (await w.standing.segments.list()).find((s) => s.name === name || s.id === name);
        if (!segment) return undefined;
        const members = new Set<string>();
        for (let after: string | undefined; ; ) {
          const page = await w.standing.segments.members(segment.id, 10_000, after);
          for (const m of page) members.add(m.profileId);
          if (page.length < 10_000) return members;
          after = page[page.length - 1]!.profileId;
        }
      },
      experiments: () => w.journeys.splits(),
      async controlGroup() {
        const { policy } = await w.policy.current();
        const group = policy.controlGroup;
        if (!group || group.share <= 0) return undefined;
        const contains = (profileId: string) => controlDraw(profileId, group.salt) < group.share;
        return { share: group.share, contains, bypassing: policy.transactionalPurposes };
      },
    },
    { cache, onError: (error) => w.logger?.warn({ err: error }, 'a report computed in the background failed') },
  );
}
