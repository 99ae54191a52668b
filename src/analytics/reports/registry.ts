/** Every report Touchpoint serves, by name: GET /api/reports/<name> and `touchpoint report <name>`. */
import { experimentsReport } from './experiments.js';
import { lifecycleFlow } from './lifecycle-flow.js';
import type { ReportDefinition } from './report.js';

export const REPORTS: readonly ReportDefinition[] = [lifecycleFlow, experimentsReport];
