/**
 * The lifecycle stage model, with no I/O: stages in priority order, each
 * defined by a condition of the segment language. A profile is in the first
 * stage whose condition it meets; stages move both ways. A stage's condition
 * may ask which stage the profile was in before (the `stage` condition).
 */
import { Type, type Static } from '@sinclair/typebox';
import { computedTraitReferences, schemaProblems, segmentReferences, stageReferences, validateCondition } from './conditions.js';
import { earliest, evaluate, type EvalContext } from './evaluate.js';
import { ConditionSchema } from './schema.js';

export const LifecycleModelSchema = Type.Object(
  {
    stages: Type.Array(
      Type.Object(
        {
          name: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'Lower-case letters, digits and _.' }),
          description: Type.Optional(Type.String({ maxLength: 2000 })),
          condition: Type.Unsafe<Static<typeof ConditionSchema>>(Type.Ref(ConditionSchema)),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, description: 'In priority order: a profile is in the first stage whose condition it meets.' },
    ),
  },
  { additionalProperties: false, $id: 'LifecycleModel' },
);

export type LifecycleModel = Static<typeof LifecycleModelSchema>;
export type StageDefinition = LifecycleModel['stages'][number];

const ORDER = 'Order Completed';

export const DEFAULT_MODEL: LifecycleModel = {
  stages: [
    {
      name: 'lapsed',
      description: 'Bought before, but not in the last 180 days.',
      condition: {
        all: [
          { profile: 'orders.count', op: 'gte', value: 1 },
          { event: ORDER, withinDays: 180, atMost: 0 },
        ],
      },
    },
    {
      name: 'advocacy',
      description: 'A repeat buyer who reviews or refers.',
      condition: { all: [{ profile: 'orders.count', op: 'gte', value: 2 }, { event: ['Product Reviewed', 'Review Submitted', 'Referral Sent'] }] },
    },
    { name: 'loyalty', description: 'Three orders or more.', condition: { profile: 'orders.count', op: 'gte', value: 3 } },
    { name: 'purchase', description: 'At least one order.', condition: { profile: 'orders.count', op: 'gte', value: 1 } },
    {
      name: 'consideration',
      description: 'Looked at products in the last 90 days, or left an email.',
      condition: {
        any: [
          { event: ['Product Viewed', 'Product Added', 'Cart Viewed', 'Checkout Started'], withinDays: 90 },
          { trait: 'email', op: 'exists' },
        ],
      },
    },
    { name: 'awareness', description: 'Any contact at all.', condition: { profile: 'eventCount', op: 'gte', value: 1 } },
  ],
};

/** What a model's conditions may refer to besides its own stages. */
export interface Known {
  computedTraits: ReadonlySet<string>;
  /** Segment ids and names. */
  segments: ReadonlySet<string>;
}

export function validateModel(model: unknown, known: Known): string[] {
  const shape = schemaProblems(
    Type.Object(
      {
        stages: Type.Array(
          Type.Object({ name: Type.String(), description: Type.Optional(Type.String()), condition: Type.Unknown() }, { additionalProperties: false }),
          { minItems: 1 },
        ),
      },
      { additionalProperties: false },
    ),
    model,
  );
  if (shape.length > 0) return shape;
  const stages = (model as LifecycleModel).stages;
  const names = new Set(stages.map((s) => s.name));
  const problems: string[] = [];
  const seen = new Set<string>();
  stages.forEach((stage, i) => {
    const at = `/stages/${i}`;
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(stage.name)) problems.push(`${at}/name: lower-case letters, digits and _`);
    else if (seen.has(stage.name)) problems.push(`${at}/name: ${stage.name} is there twice`);
    seen.add(stage.name);
    const conditionProblems = validateCondition(stage.condition, `${at}/condition`);
    problems.push(...conditionProblems);
    if (conditionProblems.length === 0) problems.push(...referenceProblems(stage, `${at}/condition`, names, known));
  });
  return problems;
}

function referenceProblems(stage: StageDefinition, at: string, names: Set<string>, known: Known): string[] {
  const problems: string[] = [];
  for (const ref of stageReferences(stage.condition)) {
    if (ref === stage.name) problems.push(`${at}: stage ${stage.name} refers to itself`);
    else if (!names.has(ref)) problems.push(`${at}: refers to stage ${JSON.stringify(ref)}, which the model does not have`);
  }
  for (const ref of computedTraitReferences(stage.condition)) {
    if (!known.computedTraits.has(ref)) problems.push(`${at}: refers to computed trait ${JSON.stringify(ref)}, which does not exist`);
  }
  for (const ref of segmentReferences(stage.condition)) {
    if (!known.segments.has(ref)) problems.push(`${at}: refers to segment ${JSON.stringify(ref)}, which does not exist`);
  }
  return problems;
}

/** The owner of the model's counters. */
export const LIFECYCLE_OWNER = 'lifecycle';

/** The prefix of a stage's counters' names. */
export const stageOwner = (stage: string) => `lifecycle/${stage}`;

/** The first stage met, and when the answer may change with no new event. */
export function decideStage(model: LifecycleModel, context: EvalContext & { owner: string }): { stage: string | null; changesAt: number | null } {
  let changesAt: number | null = null;
  for (const stage of model.stages) {
    context.owner = stageOwner(stage.name);
    const verdict = evaluate(stage.condition, context);
    changesAt = earliest([changesAt, verdict.changesAt]);
    if (verdict.match) return { stage: stage.name, changesAt };
  }
  return { stage: null, changesAt };
}
