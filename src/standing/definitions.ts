/** Loading what evaluation needs once per batch: the lifecycle model, the live segments in order, computed trait definitions. */
import type { Kysely } from 'kysely';
import type { ConsentDefault, StoredTrait } from '../profiles/index.js';
import { segmentReferences } from './conditions.js';
import type { Definitions, LiveSegment } from './fold.js';
import { inputsOf } from './inputs.js';
import { DEFAULT_MODEL, stageOwner, type LifecycleModel } from './model.js';
import { standingDb } from './records.js';
import type { Condition } from './schema.js';

export async function readModel(db: Kysely<object>): Promise<LifecycleModel> {
  const row = await standingDb(db).selectFrom('lifecycle_model').select('definition').where('id', '=', 1).executeTakeFirst();
  return row ? (JSON.parse(row.definition) as LifecycleModel) : DEFAULT_MODEL;
}

/** Segments whose counters are ready (being back-filled, or ready), and static ones, in dependency order. */
export async function loadLiveSegments(db: Kysely<object>): Promise<LiveSegment[]> {
  const rows = await standingDb(db).selectFrom('segments').select(['id', 'name', 'kind', 'condition', 'status']).execute();
  const live = rows.filter((r) => r.kind === 'static' || r.status !== 'counting');
  return orderByDependencies(
    live.map((r) => ({ id: r.id, name: r.name, kind: r.kind, condition: r.condition ? (JSON.parse(r.condition) as Condition) : null })),
  );
}

export async function loadStandingDefinitions(
  db: Kysely<object>,
  traitDefinitions: (db: Kysely<object>) => Promise<StoredTrait[]>,
  consentDefaults: Record<string, ConsentDefault>,
): Promise<Definitions> {
  const [model, segments, traits] = await Promise.all([readModel(db), loadLiveSegments(db), traitDefinitions(db)]);
  return {
    model,
    segments,
    consentDefaults,
    traits: new Map(traits.map((t) => [t.name, t])),
    traitNames: new Map(traits.map((t) => [t.id, t.name])),
    names: new Map(segments.map((s) => [s.id, s.name])),
    kinds: new Map(segments.map((s) => [s.id, s.kind])),
    inputs: {
      model: new Set(model.stages.flatMap((s) => inputsOf(s.condition, stageOwner(s.name)))),
      segments: new Map(segments.map((s) => [s.id, new Set(s.condition ? inputsOf(s.condition, `segment:${s.id}`) : [])])),
    },
  };
}

/** Segments that others refer to come first. Throws on a cycle, naming it. */
export function orderByDependencies(segments: LiveSegment[]): LiveSegment[] {
  const byRef = new Map(
    segments.flatMap(
      (s) =>
        [
          [s.id, s],
          [s.name, s],
        ] as [string, LiveSegment][],
    ),
  );
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

/** The segment and every segment that refers to it, directly or through others. */
export function withDependents(segments: readonly LiveSegment[], id: string): Set<string> {
  const found = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of segments) {
      if (found.has(s.id) || !s.condition) continue;
      const names = new Set([...found].flatMap((f) => [f, segments.find((x) => x.id === f)?.name ?? f]));
      if (segmentReferences(s.condition).some((r) => names.has(r))) {
        found.add(s.id);
        grew = true;
      }
    }
  }
  return found;
}
