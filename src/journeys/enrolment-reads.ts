/** The runner's reads of enrolments: those active for some profiles, and the past ones that re-entry rules look at. */
import type { Kysely } from 'kysely';
import { journeysDb } from './definitions.js';
import type { Waiting } from './matching.js';
import type { JourneyTables } from './tables.js';
import { pastKey, type PastIndex } from './triggers.js';

type EnrolmentRow = JourneyTables['journey_enrolments'];

export async function activeEnrolments(db: Kysely<object>, profileIds: readonly string[]): Promise<EnrolmentRow[]> {
  if (profileIds.length === 0) return [];
  return journeysDb(db).selectFrom('journey_enrolments').selectAll().where('profile_id', 'in', profileIds).where('status', '=', 'active').execute();
}

/** Of these enrolments, those that reached their journey's goal. */
export async function convertedAmong(db: Kysely<object>, enrolmentIds: readonly string[]): Promise<Set<string>> {
  if (enrolmentIds.length === 0) return new Set();
  const rows = await journeysDb(db).selectFrom('journey_enrolments').select('id').where('id', 'in', enrolmentIds).where('status', '=', 'converted').execute();
  return new Set(rows.map((r) => r.id));
}

export async function pastEnrolments(db: Kysely<object>, journeyIds: readonly string[], profileIds: readonly string[]): Promise<PastIndex> {
  const past: PastIndex = new Map();
  if (journeyIds.length === 0 || profileIds.length === 0) return past;
  const rows = await journeysDb(db)
    .selectFrom('journey_enrolments')
    .select(['journey_id', 'profile_id', 'enrol_key', 'status', 'entered_at'])
    .where('profile_id', 'in', profileIds)
    .where('journey_id', 'in', journeyIds)
    .execute();
  for (const r of rows) {
    const key = pastKey(r.journey_id, r.profile_id, r.enrol_key);
    past.set(key, [...(past.get(key) ?? []), { status: r.status, enteredAt: r.entered_at }]);
  }
  return past;
}

export const waitingOf = (e: EnrolmentRow): Waiting => ({
  waitFor: e.wait_for === null ? null : JSON.parse(e.wait_for),
  enrolKey: e.enrol_key,
  enteredAt: e.entered_at,
  goalUntil: e.goal_until,
});
