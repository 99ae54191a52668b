/**
 * analytics: what works, measured on the unified customer. So far the
 * attribution models (pure): first touch, last touch, linear, position-based
 * and time decay as ChannelAttribution defines the heuristics, and the
 * first-order Markov model solved exactly, over conversion paths given as a
 * table (ChannelAttribution's path format) or built from the history.
 * Reports read; they never change customer data.
 */
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
export { collapseRepeats, parsePathTable, PathTableError, type PathRow } from './attribution/paths.js';
export { createAnalytics, ReportParameterError, UnknownReportError, type Analytics } from './service.js';
export type { ReportDefinition } from './reports/report.js';
export type { ParamSpec } from './reports/params.js';
export type { Cell, ReportPorts, ReportResult, ReportTable, SplitExperiment } from './reports/types.js';
export { reportCsv, reportText, tableCsv, tableText } from './format.js';
