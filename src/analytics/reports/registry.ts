/** Every report Touchpoint serves, by name: GET /api/reports/<name> and `touchpoint report <name>`. */
import { funnelReport } from './funnel.js';
import type { ReportDefinition } from './report.js';

export const REPORTS: readonly ReportDefinition[] = [funnelReport];
