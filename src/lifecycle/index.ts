/**
 * lifecycle: the stage model (awareness -> consideration -> purchase ->
 * loyalty -> advocacy, and lapsed) defined in the segment language, each
 * profile's stage and its history, and the standing stage of the pipeline
 * that keeps stage and segments current after each event and on timers.
 */
export { DEFAULT_MODEL, decideStage, validateModel, type LifecycleModel, type StageDefinition } from './model.js';
export { createLifecycle, readModel, type Lifecycle } from './service.js';
export { createStandingStage } from './stage.js';
export { forgetStanding, reevaluate, type InternalEvent } from './standing.js';
export { lifecycleMigrations } from './tables.js';
