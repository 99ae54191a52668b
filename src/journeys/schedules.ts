/**
 * Scheduled entries: at a date (once, or daily, weekly, monthly), every member
 * of a segment enters. A run pages through the members, one transaction per
 * page with its cursor, so a restart goes on where the run was. With a local
 * time, each customer waits after entering until that hour in their zone.
 */
import type { Kysely } from 'kysely';
import type { Standpoint } from '../standing/index.js';
import type { Store } from '../store/index.js';
import type { Catalog, RunningJourney } from './catalog.js';
import { journeysDb } from './definitions.js';
import type { Plan, PlanServices } from './plan.js';
import type { Messages } from '../history/index.js';
import type { Policy } from '../policy/index.js';
import type { Trigger } from './triggers.js';
import { isTimeZone, nextLocalTime, nextRun } from './timing.js';
import { writePlans } from './writer.js';

export interface ScheduleDeps {
  store: Store;
  messages: Messages;
  policy: Pick<Policy, 'decide'>;
  services: PlanServices;
  segmentMembers(segment: string, after: string, limit: number): Promise<string[]>;
  standpoints(profileIds: readonly string[], now: number): Promise<Map<string, Standpoint>>;
  batchSize: number;
}

type Schedule = Extract<RunningJourney['current']['entry'], { schedule: unknown }>['schedule'];

function scheduleOf(journey: RunningJourney): Schedule | undefined {
  return 'schedule' in journey.current.entry ? journey.current.entry.schedule : undefined;
}

/** The first run due at or after the journey went live: a past date of a repeating schedule moves on to its next occurrence. */
function firstRun(schedule: Schedule, liveSince: number): number | null {
  let at = Date.parse(schedule.at);
  if (!schedule.repeat) return at;
  while (at < liveSince - 60_000) at = nextRun(at, schedule.repeat);
  return at;
}

export function createSchedules(deps: ScheduleDeps) {
  const db = (within: Kysely<object> = deps.store.db) => journeysDb(within);

  /** Rows for live scheduled journeys (new, or whose schedule changed with a new version). */
  async function sync(catalog: Catalog): Promise<void> {
    for (const journey of catalog.live) {
      const schedule = scheduleOf(journey);
      if (!schedule) continue;
      const spec = JSON.stringify(schedule);
      const row = await db().selectFrom('journey_schedules').selectAll().where('journey_id', '=', journey.id).executeTakeFirst();
      if (row?.spec === spec) continue;
      const next = firstRun(schedule, journey.liveSince ?? 0);
      await deps.store.write(async (trx) => {
        await db(trx).deleteFrom('journey_schedules').where('journey_id', '=', journey.id).execute();
        await db(trx).insertInto('journey_schedules').values({ journey_id: journey.id, spec, next_at: next, run_at: null, cursor: null }).execute();
      });
    }
  }

  async function runPage(
    journey: RunningJourney,
    schedule: Schedule,
    row: { run_at: number | null; next_at: number | null; cursor: string | null },
    now: number,
    plan: (t: Trigger[]) => Promise<Plan[]>,
  ) {
    const runAt = row.run_at ?? row.next_at!;
    const after = row.cursor ?? '';
    const members = await deps.segmentMembers(schedule.segment, after, deps.batchSize);
    const standpoints = schedule.localTime ? await deps.standpoints(members, now) : new Map<string, Standpoint>();
    const startAt = (profileId: string): number | undefined => {
      if (!schedule.localTime) return undefined;
      const own = standpoints.get(profileId)?.context.trait('timezone');
      const zone = typeof own === 'string' && isTimeZone(own) ? own : (journey.current.timezone ?? deps.services.defaultZone);
      return nextLocalTime(now - 1, schedule.localTime, zone);
    };
    const triggers: Trigger[] = members.map((profileId) => ({
      journey,
      profileId,
      enrolKey: '',
      triggerKey: `schedule:${runAt}`,
      message: null,
      startAt: startAt(profileId),
    }));
    const plans = await plan(triggers);
    const done = members.length < deps.batchSize;
    let next: number | null = null;
    if (done && schedule.repeat) for (next = nextRun(runAt, schedule.repeat); next <= now; ) next = nextRun(next, schedule.repeat);
    await deps.store.write(async (trx) => {
      await writePlans(deps.store, { messages: deps.messages, policy: deps.policy, deliveries: deps.services.deliveries }, trx, plans);
      const changes = done ? { run_at: null, cursor: null, next_at: next } : { run_at: runAt, cursor: members[members.length - 1]!, next_at: row.next_at };
      await db(trx).updateTable('journey_schedules').set(changes).where('journey_id', '=', journey.id).execute();
    }, 'journeys');
    return members.length;
  }

  return {
    /** One page of every due run; returns how many customers were looked at. */
    async step(catalog: Catalog, now: number, plan: (t: Trigger[]) => Promise<Plan[]>): Promise<number> {
      await sync(catalog);
      const due = await db()
        .selectFrom('journey_schedules')
        .selectAll()
        .where((eb) => eb.or([eb('run_at', 'is not', null), eb('next_at', '<=', now)]))
        .execute();
      let work = 0;
      for (const row of due) {
        const journey = catalog.journeys.get(row.journey_id);
        const schedule = journey && journey.status === 'live' ? scheduleOf(journey) : undefined;
        if (journey && schedule) work += 1 + (await runPage(journey, schedule, row, now, plan));
      }
      return work;
    },
    async nextDue(): Promise<number | null> {
      const row = await db()
        .selectFrom('journey_schedules')
        .innerJoin('journeys', 'journeys.id', 'journey_schedules.journey_id')
        .select((eb) => eb.fn.min<number>('journey_schedules.next_at').as('at'))
        .where('journeys.status', '=', 'live')
        .executeTakeFirst();
      return row?.at === null || row?.at === undefined ? null : Number(row.at);
    },
  };
}
