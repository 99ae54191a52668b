/**
 * segments: the condition language (conditions.ts: types and validation;
 * evaluate.ts: pure evaluation with change times), membership kept current
 * per event and on a schedule, back-fills, static lists and size history.
 */
export * from './conditions.js';
export { earliest, evaluate, type EvalContext, type Verdict } from './evaluate.js';
export { counterName, profileContext, type ProfileFacts } from './context.js';
export {
  dueProfiles, foldMemberships, membershipsOf, segmentsDb, setTimer, updateMemberships,
  type LiveSegment, type MembershipChange, type Occasion,
} from './membership.js';
export { countersFor, loadLiveSegments, orderByDependencies } from './registry.js';
export { segmentMigrations, type SegmentTables } from './tables.js';
export { createSegmentService, type SegmentInput, type SegmentService } from './service.js';
