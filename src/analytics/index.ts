/**
 * analytics: what works, measured on the unified customer. So far the
 * attribution models (pure): first touch, last touch, linear, position-based
 * and time decay as ChannelAttribution defines the heuristics, the
 * first-order Markov model solved exactly, and the Shapley value model (a
 * coalition of channels is worth the conversion rate of the paths within
 * it), over conversion paths given as a table (ChannelAttribution's path
 * format) or aggregated from customers' paths; attributeAll runs them side
 * by side. Reports read; they never change customer data.
 */
export {
  attributeAll,
  attributionCsv,
  DEFAULT_HALF_LIFE,
  describeShapleyMethod,
  MODELS,
  type AttributeOptions,
  type Attribution,
  type ChannelCredit,
  type ModelCredits,
  type ModelName,
} from './attribution/all-models.js';
export {
  attributeBy,
  firstTouch,
  lastTouch,
  linearTouch,
  positionBased,
  timeDecay,
  timeDecayWeights,
  type Credit,
  type Credits,
} from './attribution/heuristics.js';
export { markovModel, type MarkovResult } from './attribution/markov.js';
export {
  aggregatePaths,
  parsePathTable,
  pathRowsOf,
  PathTableError,
  type CustomerPath,
  type PathEntry,
  type PathRow,
} from './attribution/paths.js';
export { shapleyModel, type ShapleyMethod, type ShapleyResult } from './attribution/shapley.js';
export { createAnalytics, DEFAULT_CACHE, ReportParameterError, UnknownReportError, type Analytics, type AnalyticsOptions } from './service.js';
export { decide as decideCached, type CacheSettings, type Freshness } from './cache.js';
export type { ReportDefinition } from './reports/report.js';
export type { ParamSpec } from './reports/params.js';
export type { Cell, ReportPorts, ReportResult, ReportTable, SplitExperiment } from './reports/types.js';
export { reportCsv, reportText, tableCsv, tableText } from './format.js';
