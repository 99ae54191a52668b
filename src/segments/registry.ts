/** Which segments are live, in the order they must be evaluated, and the counters their event conditions need. */
import type { Kysely } from 'kysely';
import type { TraitDefinition } from '../profiles/index.js';
import { eventConditions, segmentReferences, type Condition } from './conditions.js';
import { counterName } from './context.js';
import type { LiveSegment } from './membership.js';
import { segmentsDb } from './membership.js';

/** Segments whose counters are ready: being back-filled or ready, plus static ones. */
export async function loadLiveSegments(db: Kysely<object>): Promise<LiveSegment[]> {
  const rows = await segmentsDb(db).selectFrom('segments').select(['id', 'name', 'kind', 'condition', 'status']).execute();
  const live = rows.filter((r) => r.kind === 'static' || r.status !== 'counting');
  return orderByDependencies(live.map((r) => ({ id: r.id, name: r.name, kind: r.kind, condition: r.condition ? JSON.parse(r.condition) as Condition : null })));
}

/** Segments that others refer to come first. Throws on a cycle, naming it. */
export function orderByDependencies(segments: LiveSegment[]): LiveSegment[] {
  const byRef = new Map(segments.flatMap((s) => [[s.id, s], [s.name, s]] as [string, LiveSegment][]));
  const ordered: LiveSegment[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (segment: LiveSegment, path: string[]) => {
    if (state.get(segment.id) === 'done') return;
    if (state.get(segment.id) === 'visiting') throw new Error(`segments refer to each other in a cycle: ${[...path, segment.name].join(' -> ')}`);
    state.set(segment.id, 'visiting');
    for (const ref of segment.condition ? segmentReferences(segment.condition) : []) {
      const dependency = byRef.get(ref);
      if (dependency) visit(dependency, [...path, segment.name]);
    }
    state.set(segment.id, 'done');
    ordered.push(segment);
  };
  for (const segment of segments) visit(segment, []);
  return ordered;
}

/** One hidden count per event condition, named after its owner and JSON pointer. */
export function countersFor(owner: string, condition: Condition): TraitDefinition[] {
  return eventConditions(condition).map(({ at, condition: c }) => ({
    name: counterName(owner, at),
    aggregation: 'count',
    eventType: c.eventType ?? 'track',
    event: c.event,
    where: c.where ?? [],
    ...(c.withinDays !== undefined && { windowDays: c.withinDays }),
  }));
}
