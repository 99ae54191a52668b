/**
 * What segments and stages refer to, and whether those references hold, with
 * no I/O. A reference that does not hold (a missing segment, stage or
 * computed trait; a stage that depends on itself through segments) is
 * refused when it would be made, wherever it is made: creating or editing a
 * segment, renaming or deleting one, replacing the lifecycle model.
 */
import type { Condition } from './schema.js';

export interface Leaf {
  at: string;
  condition: Condition;
}

/** Every leaf of a condition tree, with its JSON pointer. */
export function leaves(condition: Condition, at = ''): Leaf[] {
  if ('all' in condition) return condition.all.flatMap((c, i) => leaves(c, `${at}/all/${i}`));
  if ('any' in condition) return condition.any.flatMap((c, i) => leaves(c, `${at}/any/${i}`));
  if ('not' in condition) return leaves(condition.not, `${at}/not`);
  return [{ at, condition }];
}

export interface Known {
  /** Segment ids and names. */
  segments: ReadonlySet<string>;
  stages: ReadonlySet<string>;
  computedTraits: ReadonlySet<string>;
}

/** "pointer: refers to …, which does not exist", for every reference that does not hold. */
export function missingReferences(condition: Condition, known: Known, at = ''): string[] {
  return leaves(condition, at).flatMap(({ at: pointer, condition: c }) => {
    const where = pointer || '/';
    if ('segment' in c && !known.segments.has(c.segment)) return [`${where}: refers to segment ${JSON.stringify(c.segment)}, which does not exist`];
    if ('computedTrait' in c && !known.computedTraits.has(c.computedTrait))
      return [`${where}: refers to computed trait ${JSON.stringify(c.computedTrait)}, which does not exist`];
    if ('stage' in c) {
      const missing = (Array.isArray(c.stage) ? c.stage : [c.stage]).filter((s) => !known.stages.has(s));
      if (missing.length > 0)
        return [
          `${where}: refers to stage ${missing.map((s) => JSON.stringify(s)).join(', ')}, which the lifecycle model does not have (it has ${[...known.stages].join(', ')})`,
        ];
    }
    return [];
  });
}

export interface SegmentRefs {
  id: string;
  name: string;
  condition: Condition | null;
}

/** The segments a condition refers to, by id or name, and those they refer to in turn. */
function reachable(condition: Condition, segments: readonly SegmentRefs[]): SegmentRefs[] {
  const found = new Map<string, SegmentRefs>();
  const visit = (c: Condition) => {
    for (const { condition: leaf } of leaves(c)) {
      if (!('segment' in leaf)) continue;
      const segment = segments.find((s) => s.id === leaf.segment || s.name === leaf.segment);
      if (!segment || found.has(segment.id)) continue;
      found.set(segment.id, segment);
      if (segment.condition) visit(segment.condition);
    }
  };
  visit(condition);
  return [...found.values()];
}

const refersToStages = (c: Condition | null) => c !== null && leaves(c).some(({ condition }) => 'stage' in condition);

/**
 * A stage's condition may ask about segments, but not about a segment that
 * asks about stages (directly or through other segments): the stage would
 * depend on itself. Problems name the stage and the segment.
 */
export function stageCycles(stages: readonly { name: string; condition: Condition }[], segments: readonly SegmentRefs[]): string[] {
  return stages.flatMap((stage, i) =>
    reachable(stage.condition, segments)
      .filter((s) => refersToStages(s.condition))
      .map((s) => `/stages/${i}/condition: stage ${stage.name} refers to segment ${s.name}, which refers to stages: a stage cannot depend on the stages`),
  );
}

/** Who refers to a segment (by its name only, or by name or id): other segments, and stages of the model. */
export function referrers(
  target: { id: string; name: string },
  segments: readonly SegmentRefs[],
  stages: readonly { name: string; condition: Condition }[],
  by: 'name' | 'name or id',
): string[] {
  const names = new Set(by === 'name' ? [target.name] : [target.id, target.name]);
  const uses = (c: Condition | null) => c !== null && leaves(c).some(({ condition }) => 'segment' in condition && names.has(condition.segment));
  return [
    ...segments.filter((s) => s.id !== target.id && uses(s.condition)).map((s) => `segment ${s.name}`),
    ...stages.filter((s) => uses(s.condition)).map((s) => `stage ${s.name}`),
  ];
}
