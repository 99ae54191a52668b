/**
 * Where one profile stands, as a fold over its events and timers, with no
 * I/O. Every evaluation happens at a moment in event time: the event's
 * timestamp, or the due time of the timer that caused it; and every change
 * it finds is recorded at that moment. A profile's standing time (`asOf`)
 * only moves forward, so its history stays ordered in time:
 *
 * - before an event at time t, the profile's timers due up to t fire first,
 *   each at its due time, on the profile as it was before the event;
 * - the event is evaluated at t, or at `asOf` when it is late (older than
 *   what the profile has already been evaluated at): a late event counts, but
 *   what it changes is recorded at `asOf`, and history already recorded stays.
 */
import type { ConsentDefault, ProfileState, TraitStates } from '../profiles/index.js';
import { profileContext, type TraitIndex } from './context.js';
import { earliest, evaluate } from './evaluate.js';
import { changedInputs } from './inputs.js';
import { decideStage, type LifecycleModel } from './model.js';
import type { Condition } from './schema.js';

export interface LiveSegment {
  id: string;
  name: string;
  kind: 'dynamic' | 'static';
  /** Null for static segments. */
  condition: Condition | null;
}

export interface Definitions {
  model: LifecycleModel;
  /** Dynamic segments whose counters are ready, and static ones, in dependency order. */
  segments: readonly LiveSegment[];
  /** Segment id -> name. */
  names: ReadonlyMap<string, string>;
  /** Segment id -> kind. */
  kinds: ReadonlyMap<string, 'dynamic' | 'static'>;
  /** What each condition reads (see inputs.ts): the model's stages together, each segment on its own. */
  inputs: { model: ReadonlySet<string>; segments: ReadonlyMap<string, ReadonlySet<string>> };
  /** Computed trait id -> name (counters included). */
  traitNames: ReadonlyMap<string, string>;
  traits: TraitIndex;
  consentDefaults: Record<string, ConsentDefault>;
}

export interface StandingRecord {
  profileId: string;
  stage: string | null;
  since: number | null;
  /** The latest moment the standing was evaluated at; null before the first. */
  asOf: number | null;
  /** When it must be evaluated again with no new event; null: only an event changes it. */
  due: number | null;
  /** Segment id -> since when the profile is a member. */
  members: Map<string, number>;
  /** Merged into another profile: its standing ends. */
  gone?: boolean;
}

export interface Facts {
  state: ProfileState;
  traits: TraitStates;
}

export interface Occasion {
  /** event, schedule, merge, backfill, edit, model, unmerge */
  trigger: string;
  /** The log position of the event that caused it, if one did. */
  seq: number | null;
}

export interface Transition extends Occasion {
  profileId: string;
  from: string | null;
  to: string | null;
  at: number;
}
export interface MembershipChange extends Occasion {
  profileId: string;
  segmentId: string;
  change: 'entered' | 'exited';
  at: number;
}

/** What a fold found, in the order it found it. */
export interface Changes {
  transitions: Transition[];
  memberships: MembershipChange[];
}

/**
 * What an evaluation covers: everything, or (back-fills) the stage and some
 * segments; and, after an event, only the conditions that read an input the
 * event changed (`changed`): the others cannot have changed their answer,
 * since what time alone changes, timers have already evaluated.
 */
export interface Coverage {
  stage: boolean;
  segments: ReadonlySet<string> | 'all';
  changed?: Set<string>;
}

export const EVERYTHING: Coverage = { stage: true, segments: 'all' };
/** An evaluation of the whole standing moves the profile's standing time; one of some conditions (a back-fill) does not. */
const whole = (c: Coverage) => c.stage && c.segments === 'all';
const reads = (inputs: ReadonlySet<string> | undefined, changed: Set<string> | undefined) => {
  if (!changed || !inputs) return true;
  const [few, many] = changed.size < inputs.size ? [changed, inputs] : [inputs, changed];
  for (const input of few) if (many.has(input)) return true;
  return false;
};

/** The ids and names of the segments a profile is in, made only when a condition asks. */
class Memberships {
  private refs: Set<string> | undefined;
  constructor(
    private readonly members: ReadonlyMap<string, number>,
    private readonly names: ReadonlyMap<string, string>,
  ) {}

  has(ref: string): boolean {
    if (!this.refs) {
      this.refs = new Set();
      for (const id of this.members.keys()) this.refs.add(id).add(this.names.get(id) ?? id);
    }
    return this.refs.has(ref);
  }

  changed(segment: LiveSegment, member: boolean): void {
    if (!this.refs) return;
    if (member) this.refs.add(segment.id).add(segment.name);
    else {
      this.refs.delete(segment.id);
      this.refs.delete(segment.name);
    }
  }
}
/** A timer loop that would not end means a condition reports a change time that does not move. */
const MAX_TIMERS_PER_FOLD = 10_000;

export const emptyRecord = (profileId: string): StandingRecord => ({ profileId, stage: null, since: null, asOf: null, due: null, members: new Map() });
export const noChanges = (): Changes => ({ transitions: [], memberships: [] });

/** Evaluates the standing at `at` and records what changed, at `at`. */
export function evaluateAt(
  record: StandingRecord,
  facts: Facts,
  at: number,
  occasion: Occasion,
  defs: Definitions,
  out: Changes,
  coverage: Coverage = EVERYTHING,
): void {
  const recorded = out.transitions.length + out.memberships.length;
  const refs = new Memberships(record.members, defs.names);
  let changesAt: number | null = null;
  const context = profileContext({ ...facts, stage: record.stage, segments: refs }, at, defs.traits, defs.consentDefaults);
  const changed = coverage.changed;
  if (coverage.stage && reads(defs.inputs.model, changed)) {
    const decided = decideStage(defs.model, context);
    changesAt = decided.changesAt;
    if (decided.stage !== record.stage) {
      out.transitions.push({ profileId: record.profileId, from: record.stage, to: decided.stage, at, ...occasion });
      record.stage = decided.stage;
      record.since = decided.stage === null ? null : at;
      changed?.add('stage');
    }
  }
  // Segments see the new stage; later segments see the memberships earlier ones just changed.
  context.stage = record.stage;
  for (const segment of defs.segments) {
    if (segment.kind !== 'dynamic' || !segment.condition) continue;
    if (coverage.segments !== 'all' && !coverage.segments.has(segment.id)) continue;
    if (!reads(defs.inputs.segments.get(segment.id), changed)) continue;
    context.owner = `segment:${segment.id}`;
    const verdict = evaluate(segment.condition, context);
    changesAt = earliest([changesAt, verdict.changesAt]);
    if (verdict.match === record.members.has(segment.id)) continue;
    if (verdict.match) record.members.set(segment.id, at);
    else record.members.delete(segment.id);
    refs.changed(segment, verdict.match);
    changed?.add(`segment:${segment.id}`).add(`segment:${segment.name}`);
    out.memberships.push({ profileId: record.profileId, segmentId: segment.id, change: verdict.match ? 'entered' : 'exited', at, ...occasion });
  }
  const next = changesAt === null ? null : Math.max(changesAt, at + 1);
  // The standing time moves with every whole evaluation, and with any change recorded: a later event then comes after it in history.
  if (whole(coverage) || out.transitions.length + out.memberships.length > recorded) record.asOf = Math.max(record.asOf ?? at, at);
  // An evaluation of some conditions knows their next change only: it can bring the timer forward, not move it back.
  // (A timer that comes too early evaluates everything, and sets the exact time again.)
  record.due = whole(coverage) && !changed ? next : earliest([record.due, next]);
}

/** Fires the profile's timers due up to `upTo`, in order, each at its due time. */
export function runDue(record: StandingRecord, facts: Facts, upTo: number, defs: Definitions, out: Changes): void {
  for (let fired = 0; record.due !== null && record.due <= upTo && fired < MAX_TIMERS_PER_FOLD; fired++) {
    evaluateAt(record, facts, Math.max(record.due, record.asOf ?? record.due), { trigger: 'schedule', seq: null }, defs, out);
  }
}

/**
 * An event of the profile: due timers first (on the profile as it was
 * before), then the event at its time. `merged`: the event merged profiles
 * into this one, which changes anything.
 */
export function applyEvent(
  record: StandingRecord,
  before: Facts | null,
  after: Facts,
  event: { timestamp: number; seq: number; merged: boolean },
  defs: Definitions,
  out: Changes,
): void {
  if (before && record.asOf !== null) runDue(record, before, event.timestamp, defs, out);
  const at = Math.max(event.timestamp, record.asOf ?? event.timestamp);
  // A profile evaluated before needs only the conditions that read what the event changed.
  const changed = before && record.asOf !== null && !event.merged ? changedInputs(before, after, defs.traitNames) : undefined;
  evaluateAt(record, after, at, { trigger: 'event', seq: event.seq }, defs, out, changed ? { ...EVERYTHING, changed } : EVERYTHING);
}

/**
 * A profile merged into another: it leaves its stage and its dynamic
 * segments; static memberships and its standing time pass to the survivor,
 * which the merging event then evaluates.
 */
export function foldMerged(survivor: StandingRecord, merged: StandingRecord, at: number, seq: number | null, defs: Definitions, out: Changes): void {
  const when = Math.max(at, merged.asOf ?? at);
  if (merged.stage !== null) out.transitions.push({ profileId: merged.profileId, from: merged.stage, to: null, at: when, trigger: 'merge', seq });
  for (const [segmentId, since] of merged.members) {
    if (defs.kinds.get(segmentId) === 'static') {
      if (!survivor.members.has(segmentId)) survivor.members.set(segmentId, since);
    } else {
      out.memberships.push({ profileId: merged.profileId, segmentId, change: 'exited', at: when, trigger: 'merge', seq });
    }
  }
  survivor.asOf = merged.asOf === null ? survivor.asOf : Math.max(survivor.asOf ?? merged.asOf, merged.asOf);
  Object.assign(merged, { stage: null, since: null, due: null, members: new Map(), gone: true });
}
