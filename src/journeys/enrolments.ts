/** Reading enrolments for the API, and forgetting them on erasure. */
import type { Kysely, Selectable } from 'kysely';
import type { Store } from '../store/index.js';
import { journeysDb } from './definitions.js';
import type { JourneyTables } from './tables.js';

type Row = Selectable<JourneyTables['journey_enrolments']>;

export interface Enrolment {
  id: string;
  journeyId: string;
  version: number;
  profileId: string;
  key: string | null;
  status: string;
  stepId: string | null;
  waitingUntil: number | null;
  waitingFor: unknown;
  arm: string | null;
  enteredAt: number;
  endedAt: number | null;
  exitReason: string | null;
}

const present = (r: Row): Enrolment => ({
  id: r.id,
  journeyId: r.journey_id,
  version: r.version,
  profileId: r.profile_id,
  key: r.enrol_key === '' ? null : r.enrol_key,
  status: r.status,
  stepId: r.step_id,
  waitingUntil: r.next_at === null ? null : Number(r.next_at),
  waitingFor: r.wait_for === null ? null : JSON.parse(r.wait_for),
  arm: r.arm,
  enteredAt: Number(r.entered_at),
  endedAt: r.ended_at === null ? null : Number(r.ended_at),
  exitReason: r.exit_reason,
});

export interface EnrolmentFilter {
  journeyId?: string;
  profileId?: string;
  status?: string;
  /** Newest first: enrolments before (enteredAt, id). */
  before?: { enteredAt: number; id: string };
  limit: number;
}

export async function listEnrolments(db: Kysely<object>, filter: EnrolmentFilter): Promise<Enrolment[]> {
  let query = journeysDb(db).selectFrom('journey_enrolments').selectAll();
  if (filter.journeyId) query = query.where('journey_id', '=', filter.journeyId);
  if (filter.profileId) query = query.where('profile_id', '=', filter.profileId);
  if (filter.status) query = query.where('status', '=', filter.status as Row['status']);
  const before = filter.before;
  if (before)
    query = query.where((eb) => eb.or([eb('entered_at', '<', before.enteredAt), eb.and([eb('entered_at', '=', before.enteredAt), eb('id', '<', before.id)])]));
  const rows = await query.orderBy('entered_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(present);
}

/** Archiving a journey: customers still in it leave. */
export async function exitAll(trx: Kysely<object>, journeyId: string, reason: string, now: number): Promise<void> {
  await journeysDb(trx)
    .updateTable('journey_enrolments')
    .set({ status: 'exited', exit_reason: reason, step_id: null, next_at: null, wait_for: null, ended_at: now, updated_at: now })
    .where('journey_id', '=', journeyId)
    .where('status', '=', 'active')
    .execute();
  await journeysDb(trx).deleteFrom('journey_schedules').where('journey_id', '=', journeyId).execute();
}

/** Erasure: a person's enrolments and activity go with them. */
export async function forgetEnrolments(store: Store, trx: Kysely<object>, profileIds: string[]): Promise<void> {
  await store.bulk.deleteIn(trx, 'journey_activity', 'profile_id', profileIds);
  await store.bulk.deleteIn(trx, 'journey_enrolments', 'profile_id', profileIds);
}
