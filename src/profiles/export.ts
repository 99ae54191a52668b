/**
 * Everything held about a person, for the right of access: the profile as the
 * API shows it, where it stands (lifecycle stage, stage history, segments) and
 * every event of its timeline as the log stores it. Where a profile stands is
 * the standing module's, which this module does not import: main.ts gives a
 * function that asks it.
 */
import type { EventLog } from '../log/index.js';
import type { ProfileReader } from './reader.js';
import type { ProfileViews } from './view.js';

/** Where a profile stands, as the standing module tells it (times in epoch ms). */
export interface ProfileStanding {
  stage: { stage: string; since: number } | undefined;
  history: { from: string | null; to: string | null; at: number; trigger: string; seq: number | null; recordedAt: number | null }[];
  segments: { id: string; name: string; since: number }[];
}

export type ProfileView = NonNullable<Awaited<ReturnType<ProfileViews['view']>>>;

export interface ExportedEvent {
  seq: number;
  sourceId: string;
  channel: string;
  timestamp: number;
  message: Record<string, unknown>;
}

export interface ProfileExport {
  exportedAt: number;
  profile: ProfileView;
  standing: ProfileStanding;
  /** In log order, oldest first. */
  events: ExportedEvent[];
}

export interface ExporterDeps {
  views: Pick<ProfileViews, 'view'>;
  reader: Pick<ProfileReader, 'timeline'>;
  log: Pick<EventLog, 'get'>;
  standingOf(profileId: string): Promise<ProfileStanding>;
  now(): number;
}

export function createProfileExporter(deps: ExporterDeps) {
  async function withStanding(id: string): Promise<{ profile: ProfileView; standing: ProfileStanding } | undefined> {
    const [profile, standing] = await Promise.all([deps.views.view(id), deps.standingOf(id)]);
    return profile && { profile, standing };
  }
  return {
    /** The profile with where it stands; undefined when no profile has the id. */
    withStanding,
    /** Everything held about the profile; undefined when no profile has the id. */
    async export(id: string): Promise<ProfileExport | undefined> {
      const exportedAt = deps.now();
      const held = await withStanding(id);
      if (!held) return undefined;
      const entries = await deps.reader.timeline(id, { limit: Number.MAX_SAFE_INTEGER });
      const events = (await deps.log.get(entries.map((e) => e.seq)))
        .sort((a, b) => a.seq - b.seq)
        .map((e) => ({
          seq: e.seq,
          sourceId: e.sourceId,
          channel: e.channel,
          timestamp: e.timestamp,
          message: JSON.parse(e.payload) as Record<string, unknown>,
        }));
      return { exportedAt, ...held, events };
    },
  };
}

export type ProfileExporter = ReturnType<typeof createProfileExporter>;
