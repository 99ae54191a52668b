/**
 * profiles: the unified customer. Traits (latest by event time, with the
 * source that set it), channels used with first and last seen, first touch,
 * consent, household, orders, computed traits, and the timeline of every
 * event across channels. State is a pure function of the profile's events
 * (state.ts); the profile stage keeps it current a batch at a time.
 */
export { applyEvent, emptyState, mergeStates, type ProfileState, type StateOptions } from './state.js';
export { createProfileStage, type Profiled, type Snapshot } from './stage.js';
export { profileMigrations } from './tables.js';
export { computedMigrations, computedOwnerMigrations } from './computed/tables.js';
export { createProfileMaintenance, type ProfileMaintenance } from './maintenance.js';
export { createProfileViews, summarize, type ProfileViews } from './view.js';
export { CONSENT_EVENT, consentDefaults, consentOf, readConsentStatus, readPurpose, viewConsent, type ConsentDefault } from './consent.js';
export { COMPUTED_TRAIT_JOB, createComputedTraits, type ComputedTraits } from './computed/service.js';
export { AGGREGATIONS, FILTER_OPS, matches, type TraitDefinition } from './computed/definition.js';
export { countInto, readTrait, type CountedEvent, type StoredTrait, type TraitReading, type TraitStates } from './computed/values.js';
export { rawTimelineScan, scanActivity, type ActivityEvent, type ActivityScan, type VisitActivity } from './activity.js';
export { countProfiles, eventOwners, namedEventsOf, profileFacts, profilePage, eventsOfMany, type EventScan, type ProfileFacts } from './source.js';
export type { ActivitySummary } from './activity-summary.js';
export { createProfileReader, profileResettable, type ProfileReader, type TimelineEntry, type TimelineFilter } from './reader.js';
export { createProfileSearch, type ListPosition, type ProfileSearch, type ProfileSummary } from './search.js';
export { createConsentAdmin, type ConsentAdmin, type ConsentChangeInput } from './consent-admin.js';
export {
  createProfileExporter,
  type ExportedEvent,
  type ProfileExport,
  type ProfileExporter,
  type ProfileStanding,
  type ProfileView,
} from './export.js';
