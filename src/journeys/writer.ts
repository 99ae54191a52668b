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
import { journeysDb } from './definitions.js';
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

async function claim(trx: Kysely<object>, plan: Plan): Promise<boolean> {
  const db = journeysDb(trx);
  const e = plan.enrolment;
  if (plan.isNew) {
    const result = await db
      .insertInto('journey_enrolments')
      .values(e)
      .onConflict((oc) => oc.columns(['journey_id', 'profile_id', 'trigger_key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }
  const { id, ...changes } = e;
  const result = await db
    .updateTable('journey_enrolments')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'active')
    .where('updated_at', '=', plan.expectUpdatedAt!)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Writes the plans that still apply; returns how many did. */
export async function writePlans(store: Store, sending: Sending, trx: Kysely<object>, plans: readonly Plan[]): Promise<number> {
  let applied = 0;
  const activity: unknown[][] = [];
  const outbox: unknown[][] = [];
  const sent: MessagePlan[] = [];
  const converted: Plan[] = [];
  const calls: NewDelivery[] = [];
  for (const plan of plans) {
    if (!(await claim(trx, plan))) continue;
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
