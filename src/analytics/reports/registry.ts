/** Every report Touchpoint serves, by name: GET /api/reports/<name> and `touchpoint report <name>`. */
import { attributionReport } from './attribution.js';
import { crossChannelReport } from './cross-channel.js';
import { cubeReport } from './cube.js';
import { experimentsReport } from './experiments.js';
import { funnelReport } from './funnel.js';
import { lifecycleFlow } from './lifecycle-flow.js';
import type { ReportDefinition } from './report.js';
import { ropoReport } from './ropo.js';

export const REPORTS: readonly ReportDefinition[] = [
  funnelReport,
  lifecycleFlow,
  attributionReport,
  crossChannelReport,
  ropoReport,
  cubeReport,
  experimentsReport,
];
