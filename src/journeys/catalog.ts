/**
 * The journeys the runner works with in one cycle: the live and paused ones,
 * each version customers are on parsed once (a version that has been live
 * never changes), and the event names they listen to.
 */
import type { Kysely } from 'kysely';
import { journeysDb } from './definitions.js';
import { listenedNames } from './matching.js';
import type { JourneyRef } from './plan.js';
import type { JourneyDefinition, JourneyStatus } from './schema.js';

export interface RunningJourney {
  id: string;
  name: string;
  status: JourneyStatus;
  version: number;
  liveSince: number | null;
  current: JourneyDefinition;
}

export interface Catalog {
  journeys: Map<string, RunningJourney>;
  live: RunningJourney[];
  /** Event names some live journey enters on. */
  entryNames: Set<string>;
  /** Event names some journey's waits or goal listen to. */
  progressNames: Set<string>;
  /** The journey at the version an enrolment is on. */
  at(journeyId: string, version: number): Promise<JourneyRef | undefined>;
}

export function createCatalogs(db: Kysely<object>) {
  const parsed = new Map<string, JourneyDefinition>();

  async function definition(journeyId: string, version: number): Promise<JourneyDefinition | undefined> {
    const key = `${journeyId}:${version}`;
    const cached = parsed.get(key);
    if (cached) return cached;
    const row = await journeysDb(db)
      .selectFrom('journey_versions')
      .select(['definition', 'went_live_at'])
      .where('journey_id', '=', journeyId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) return undefined;
    const def = JSON.parse(row.definition) as JourneyDefinition;
    if (row.went_live_at !== null) parsed.set(key, def);
    return def;
  }

  return async function load(): Promise<Catalog> {
    const rows = await journeysDb(db).selectFrom('journeys').selectAll().where('status', 'in', ['live', 'paused']).execute();
    const journeys = new Map<string, RunningJourney>();
    const entryNames = new Set<string>();
    const progressNames = new Set<string>();
    for (const r of rows) {
      const current = await definition(r.id, r.version);
      if (!current) continue;
      const journey: RunningJourney = { id: r.id, name: r.name, status: r.status as JourneyStatus, version: r.version, liveSince: r.live_since, current };
      journeys.set(r.id, journey);
      const names = listenedNames(current);
      if (journey.status === 'live') for (const n of names.entry) entryNames.add(n);
      for (const n of names.progress) progressNames.add(n);
    }
    // Waits and goals of older versions still listen while customers are on them.
    const versions =
      rows.length === 0
        ? []
        : await journeysDb(db)
            .selectFrom('journey_versions')
            .select(['journey_id', 'version'])
            .where(
              'journey_id',
              'in',
              rows.map((r) => r.id),
            )
            .where('went_live_at', 'is not', null)
            .execute();
    for (const v of versions) {
      const def = await definition(v.journey_id, v.version);
      for (const n of def ? listenedNames(def).progress : []) progressNames.add(n);
    }
    return {
      journeys,
      live: [...journeys.values()].filter((j) => j.status === 'live'),
      entryNames,
      progressNames,
      async at(journeyId, version) {
        const journey = journeys.get(journeyId);
        const def = journey && (await definition(journeyId, version));
        return journey && def ? { id: journey.id, name: journey.name, version, definition: def } : undefined;
      },
    };
  };
}
