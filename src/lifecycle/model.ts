/**
 * The lifecycle stage model, with no I/O: stages in priority order, each
 * defined by a condition of the segment language. A profile is in the first
 * stage whose condition it meets; stages move both ways.
 */
import { earliest, evaluate, validateCondition, type Condition, type EvalContext } from '../segments/index.js';

export interface StageDefinition {
  name: string;
  description?: string;
  condition: Condition;
}

export interface LifecycleModel {
  stages: StageDefinition[];
}

const ORDER = 'Order Completed';

export const DEFAULT_MODEL: LifecycleModel = {
  stages: [
    { name: 'lapsed', description: 'Bought before, but not in the last 180 days.',
      condition: { all: [{ profile: 'orders.count', op: 'gte', value: 1 }, { event: ORDER, withinDays: 180, atMost: 0 }] } },
    { name: 'advocacy', description: 'A repeat buyer who reviews or refers.',
      condition: { all: [{ profile: 'orders.count', op: 'gte', value: 2 }, { event: ['Product Reviewed', 'Review Submitted', 'Referral Sent'] }] } },
    { name: 'loyalty', description: 'Three orders or more.', condition: { profile: 'orders.count', op: 'gte', value: 3 } },
    { name: 'purchase', description: 'At least one order.', condition: { profile: 'orders.count', op: 'gte', value: 1 } },
    { name: 'consideration', description: 'Looked at products in the last 90 days, or left an email.',
      condition: { any: [{ event: ['Product Viewed', 'Product Added', 'Cart Viewed', 'Checkout Started'], withinDays: 90 }, { trait: 'email', op: 'exists' }] } },
    { name: 'awareness', description: 'Any contact at all.', condition: { profile: 'eventCount', op: 'gte', value: 1 } },
  ],
};

export function validateModel(model: unknown): string[] {
  if (!model || typeof model !== 'object' || !Array.isArray((model as LifecycleModel).stages)) return ['/stages: must be a list of {name, condition}'];
  const stages = (model as LifecycleModel).stages;
  if (stages.length === 0) return ['/stages: needs at least one stage'];
  const problems: string[] = [];
  const seen = new Set<string>();
  stages.forEach((stage, i) => {
    if (typeof stage?.name !== 'string' || !/^[a-z][a-z0-9_]{0,63}$/.test(stage.name)) problems.push(`/stages/${i}/name: lower-case letters, digits and _`);
    else if (seen.has(stage.name)) problems.push(`/stages/${i}/name: ${stage.name} is there twice`);
    seen.add(stage?.name);
    problems.push(...validateCondition(stage?.condition, `/stages/${i}/condition`));
  });
  return problems;
}

/** The owner of a stage's counters (and the prefix of their names). */
export const stageOwner = (stage: string) => `lifecycle/${stage}`;

/** The first stage met, and when the answer may change with no new event. */
export function decideStage(model: LifecycleModel, context: (stage: string) => EvalContext): { stage: string | null; changesAt: number | null } {
  let changesAt: number | null = null;
  for (const stage of model.stages) {
    const verdict = evaluate(stage.condition, context(stage.name));
    changesAt = earliest([changesAt, verdict.changesAt]);
    if (verdict.match) return { stage: stage.name, changesAt };
  }
  return { stage: null, changesAt };
}
