/**
 * demo: the live demo brand (Stride Athletics, a fitness-gear retailer). The
 * brand as data, a seeded plan of its customers and their days (pure), the
 * generator that feeds 90 days of history through the real collect door,
 * pipeline and journeys on a manual clock, and the live trickle of new
 * activity over the tracking API. Owns no tables: everything it makes goes
 * through other modules' APIs.
 */
export { DAY_MS, type PlannedEvent } from './activity.js';
export { BRAND_NAME, CATEGORIES, PRODUCTS, SOURCES, STORES, type SourceKey } from './brand.js';
export type { DemoCustomer } from './customers.js';
export { generateHistory, setUpBrand, type DemoEngine, type DemoProgress, type DemoSource, type GenerationSummary } from './generate.js';
export { createDemoPlan, estimateEvents, planDay, trickleEvents, windowEnd, type DemoPlan } from './plan.js';
export { JOURNEYS, SEGMENTS } from './setup.js';
export { startTrickle, type Trickle } from './trickle.js';
