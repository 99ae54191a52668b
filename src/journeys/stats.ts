/** What a journey did: entries, where customers are and have been, messages by outcome, conversions, per split arm. */
import type { Kysely } from 'kysely';
import type { Messages } from '../history/index.js';
import { journeysDb } from './definitions.js';
import { stepKindOf, type JourneyDefinition } from './schema.js';

export interface ArmStats {
  arm: string | null;
  entered: number;
  converted: number;
  value: number;
  sent: number;
}

export interface JourneyStats {
  entered: number;
  active: number;
  ended: Record<string, number>;
  converted: number;
  value: number;
  conversionRate: number;
  /** Per step: how many reached it, are there now, and passed it (reached and left); messages it sent and suppressed. */
  steps: { id: string; kind: string; reached: number; now: number; passed: number; sent: number; suppressed: Record<string, number> }[];
  messages: { requested: number; sent: number; suppressed: Record<string, number>; failed: number; byStatus: Record<string, number> };
  arms: ArmStats[];
  /** Entries and conversions per version of the journey. */
  versions: { version: number; entered: number; converted: number; value: number }[];
}

const SENT = new Set(['sent', 'delivered', 'opened', 'clicked', 'replied', 'converted', 'bounced', 'unsubscribed']);

export async function journeyStats(db: Kysely<object>, messages: Messages, journeyId: string, definition: JourneyDefinition): Promise<JourneyStats> {
  const j = journeysDb(db);
  const [enrolments, here, reached, conversions, counts, versions] = await Promise.all([
    j
      .selectFrom('journey_enrolments')
      .select(['status', 'exit_reason', 'arm', (eb) => eb.fn.countAll<number>().as('n')])
      .where('journey_id', '=', journeyId)
      .groupBy(['status', 'exit_reason', 'arm'])
      .execute(),
    j
      .selectFrom('journey_enrolments')
      .select(['step_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('journey_id', '=', journeyId)
      .where('status', '=', 'active')
      .groupBy('step_id')
      .execute(),
    j
      .selectFrom('journey_activity')
      .select(['step_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('journey_id', '=', journeyId)
      .where('kind', '=', 'reached')
      .groupBy('step_id')
      .execute(),
    j
      .selectFrom('journey_activity')
      .select(['arm', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('value').as('v')])
      .where('journey_id', '=', journeyId)
      .where('kind', '=', 'converted')
      .groupBy('arm')
      .execute(),
    messages.countsOf(journeyId),
    j
      .selectFrom('journey_activity')
      .select(['version', 'kind', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('value').as('v')])
      .where('journey_id', '=', journeyId)
      .where('kind', 'in', ['entered', 'converted'])
      .groupBy(['version', 'kind'])
      .execute(),
  ]);
  const byVersion = new Map<number, { version: number; entered: number; converted: number; value: number }>();
  for (const v of versions) {
    const row = byVersion.get(v.version) ?? { version: v.version, entered: 0, converted: 0, value: 0 };
    if (v.kind === 'entered') row.entered = Number(v.n);
    else Object.assign(row, { converted: Number(v.n), value: Number(v.v ?? 0) });
    byVersion.set(v.version, row);
  }
  const arms = new Map<string | null, ArmStats>();
  const arm = (name: string | null) => arms.get(name) ?? arms.set(name, { arm: name, entered: 0, converted: 0, value: 0, sent: 0 }).get(name)!;
  const ended: Record<string, number> = {};
  let entered = 0;
  let active = 0;
  for (const r of enrolments) {
    const n = Number(r.n);
    entered += n;
    arm(r.arm).entered += n;
    if (r.status === 'active') active += n;
    else ended[r.exit_reason ?? r.status] = (ended[r.exit_reason ?? r.status] ?? 0) + n;
  }
  for (const c of conversions) Object.assign(arm(c.arm), { converted: Number(c.n), value: Number(c.v ?? 0) });
  const byStatus: Record<string, number> = {};
  const suppressed: Record<string, number> = {};
  const stepSent = new Map<string, number>();
  const stepSuppressed = new Map<string, Record<string, number>>();
  for (const c of counts) {
    byStatus[c.status] = (byStatus[c.status] ?? 0) + c.count;
    if (SENT.has(c.status)) {
      arm(c.arm).sent += c.count;
      stepSent.set(c.stepId ?? '', (stepSent.get(c.stepId ?? '') ?? 0) + c.count);
    }
    if (c.status === 'suppressed' && c.reason) {
      suppressed[c.reason] = (suppressed[c.reason] ?? 0) + c.count;
      const mine = stepSuppressed.get(c.stepId ?? '') ?? {};
      mine[c.reason] = (mine[c.reason] ?? 0) + c.count;
      stepSuppressed.set(c.stepId ?? '', mine);
    }
  }
  const count = (rows: { step_id: string | null; n: number }[], id: string) => Number(rows.find((r) => r.step_id === id)?.n ?? 0);
  const converted = conversions.reduce((s, c) => s + Number(c.n), 0);
  return {
    entered,
    active,
    ended,
    converted,
    value: conversions.reduce((s, c) => s + Number(c.v ?? 0), 0),
    conversionRate: entered === 0 ? 0 : converted / entered,
    steps: definition.steps.map((s) => ({
      id: s.id,
      kind: stepKindOf(s),
      reached: count(reached, s.id),
      now: count(here, s.id),
      passed: count(reached, s.id) - count(here, s.id),
      sent: stepSent.get(s.id) ?? 0,
      suppressed: stepSuppressed.get(s.id) ?? {},
    })),
    messages: {
      requested: Object.values(byStatus).reduce((a, b) => a + b, 0),
      sent: [...SENT].reduce((s, k) => s + (byStatus[k] ?? 0), 0),
      suppressed,
      failed: byStatus.failed ?? 0,
      byStatus,
    },
    arms: [...arms.values()].sort((a, b) => String(a.arm).localeCompare(String(b.arm))),
    versions: [...byVersion.values()].sort((a, b) => a.version - b.version),
  };
}
