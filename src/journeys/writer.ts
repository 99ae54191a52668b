/**
 * Storing planned progress in the runner's write transaction. A new
 * enrolment is written once per trigger (a unique key); an existing one only
 * if nobody changed it since it was read (an archive, another runner), and
 * otherwise its plan is dropped whole: no message of a step that did not
 * happen. Messages are written once per idempotency key.
 */
import type { Kysely } from 'kysely';
import type { NewDelivery } from '../channels/index.js';
import type { Messages } from '../history/index.js';
import type { MessageChannel, Policy } from '../policy/index.js';
import type { Store } from '../store/index.js';
import type { Plan } from './plan.js';
import { deliveryOf, settle, type Deliveries, type MessagePlan } from './sending.js';

/** Where messages go: the policy decides each request, then a configured channel's queue (or the outbox) takes what it allowed. */
export interface Sending {
  messages: Messages;
  policy: Pick<Policy, 'decide'>;
  deliveries: Deliveries;
}

/** Decides the requests (in the transaction, seeing every send before them) and records each message with its decision. */
export async function recordDecided(trx: Kysely<object>, sending: Sending, plans: readonly MessagePlan[]): Promise<void> {
  if (plans.length === 0) return;
  const now = Math.max(...plans.map((m) => m.message.requestedAt));
  const decided = await sending.policy.decide(
    trx,
    plans.map((m) => m.contact),
    now,
  );
  const queued: NewDelivery[] = [];
  const list = plans.map((m, i) => {
    const { steps, outcome } = settle(
      decided[i]!,
      { request: m.contact.request, renders: m.renders, zone: m.contact.customer.zone ?? 'UTC', via: m.via },
      sending.deliveries.routeOf,
      m.message.requestedAt,
    );
    const ref = { ...m.message, journeyId: m.message.journey?.id ?? null, stepId: m.message.journey?.stepId ?? null };
    const delivery = deliveryOf(ref, outcome, m.contact.customer.address(outcome.channel as MessageChannel));
    if (delivery) queued.push(delivery);
    return {
      message: m.message,
      steps: [{ status: 'requested' as const, at: m.message.requestedAt }, ...steps],
      outcome,
    };
  });
  const fresh = await sending.messages.recordAll(trx, list);
  // A message recorded before (a replay) was queued then.
  await sending.deliveries.enqueue(
    trx,
    queued.filter((d) => fresh.has(d.messageId)),
    now,
  );
}

const ENROLMENT_COLUMNS = [
  'id',
  'journey_id',
  'version',
  'profile_id',
  'enrol_key',
  'trigger_key',
  'trigger',
  'status',
  'step_id',
  'wait_for',
  'next_at',
  'arm',
  'entered_at',
  'goal_until',
  'ended_at',
  'exit_reason',
  'updated_at',
] as const satisfies readonly (keyof Plan['enrolment'])[];
/** What a step changes of an enrolment (the customer too, when merged into another since). */
const PROGRESS_COLUMNS = [
  'profile_id',
  'status',
  'step_id',
  'wait_for',
  'next_at',
  'arm',
  'goal_until',
  'ended_at',
  'exit_reason',
  'updated_at',
] as const satisfies readonly (keyof Plan['enrolment'])[];

/**
 * The plans that still apply: new enrolments in one statement (a trigger
 * entered before inserts nothing), then each existing one, in order, if
 * nobody changed it since it was read (a later plan of the same enrolment
 * expects the earlier one's change).
 */
async function claim(store: Store, trx: Kysely<object>, plans: readonly Plan[]): Promise<Set<Plan>> {
  const fresh = plans.filter((p) => p.isNew);
  const inserted = await store.bulk.insert(
    trx,
    'journey_enrolments',
    ENROLMENT_COLUMNS,
    fresh.map((p) => ENROLMENT_COLUMNS.map((c) => p.enrolment[c])),
    { conflict: { target: ['journey_id', 'profile_id', 'trigger_key'] }, returning: ['id'] },
  );
  const ids = new Set(inserted.map((r) => r.id));
  const claimed = new Set(fresh.filter((p) => ids.has(p.enrolment.id)));
  for (const plan of plans) {
    if (plan.isNew) continue;
    const e = plan.enrolment;
    const values = [...PROGRESS_COLUMNS.map((c) => e[c]), e.id, 'active', plan.expectUpdatedAt];
    if ((await store.bulk.update(trx, 'journey_enrolments', PROGRESS_COLUMNS, ['id', 'status', 'updated_at'], values)) > 0) claimed.add(plan);
  }
  return claimed;
}

/** Writes the plans that still apply; returns how many did. */
export async function writePlans(store: Store, sending: Sending, trx: Kysely<object>, plans: readonly Plan[]): Promise<number> {
  let applied = 0;
  const activity: unknown[][] = [];
  const outbox: unknown[][] = [];
  const sent: MessagePlan[] = [];
  const converted: Plan[] = [];
  const calls: NewDelivery[] = [];
  const claimed = await claim(store, trx, plans);
  for (const plan of plans) {
    if (!claimed.has(plan)) continue;
    applied++;
    for (const a of plan.activity) activity.push([a.journey_id, a.version, a.enrolment_id, a.profile_id, a.kind, a.step_id, a.arm, a.value, a.detail, a.at]);
    sent.push(...plan.messages);
    for (const t of plan.traits) outbox.push([JSON.stringify(t)]);
    calls.push(...plan.calls);
    if (plan.conversion) converted.push(plan);
  }
  await recordDecided(trx, sending, sent);
  await sending.deliveries.enqueue(trx, calls, Math.max(0, ...plans.map((p) => p.enrolment.updated_at)));
  // After the messages: a step's message and the goal may fall in one batch.
  for (const { enrolment: e, conversion: c } of converted) {
    await sending.messages.convertEnrolment(trx, e.id, e.updated_at, { journeyId: e.journey_id, seq: c!.seq, value: c!.value });
  }
  await store.bulk.insert(
    trx,
    'journey_activity',
    ['journey_id', 'version', 'enrolment_id', 'profile_id', 'kind', 'step_id', 'arm', 'value', 'detail', 'at'],
    activity,
  );
  await store.bulk.insert(trx, 'journey_outbox', ['event'], outbox);
  return applied;
}
