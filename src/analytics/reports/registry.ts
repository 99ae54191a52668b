/** Every report Touchpoint serves, by name: GET /api/reports/<name> and `touchpoint report <name>`. */
import { attributionReport } from './attribution.js';
import { crossChannelReport } from './cross-channel.js';
import { cubeReport } from './cube.js';
import { funnelReport } from './funnel.js';
import { ropoReport } from './ropo.js';
import type { ReportDefinition } from './report.js';

export const REPORTS: readonly ReportDefinition[] = [funnelReport, attributionReport, crossChannelReport, ropoReport, cubeReport];
