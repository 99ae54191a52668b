/** Every journey's headline figures in two grouped reads, for a list that shows them all (no read per journey). */
import type { Kysely } from 'kysely';
import { journeysDb } from './definitions.js';

export interface JourneyTotals {
  entered: number;
  active: number;
  converted: number;
  value: number;
}

export const NO_TOTALS: JourneyTotals = { entered: 0, active: 0, converted: 0, value: 0 };

export async function journeyTotals(db: Kysely<object>): Promise<Map<string, JourneyTotals>> {
  const j = journeysDb(db);
  const [enrolments, conversions] = await Promise.all([
    j
      .selectFrom('journey_enrolments')
      .select(['journey_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['journey_id', 'status'])
      .execute(),
    j
      .selectFrom('journey_activity')
      .select(['journey_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('value').as('v')])
      .where('kind', '=', 'converted')
      .groupBy('journey_id')
      .execute(),
  ]);
  const totals = new Map<string, JourneyTotals>();
  const of = (id: string) => totals.get(id) ?? totals.set(id, { ...NO_TOTALS }).get(id)!;
  for (const r of enrolments) {
    const mine = of(r.journey_id);
    mine.entered += Number(r.n);
    if (r.status === 'active') mine.active += Number(r.n);
  }
  // Conversions are counted as stats.ts counts them: from the activity, with their value.
  for (const c of conversions) Object.assign(of(c.journey_id), { converted: Number(c.n), value: Number(c.v ?? 0) });
  return totals;
}
