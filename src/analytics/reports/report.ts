/** A report as declared: its name, what it answers, its parameters, and how it runs over the ports. */
import type { ParamSpec, ParamValue } from './params.js';
import type { ReportPorts, ReportResult } from './types.js';

export interface ReportDefinition {
  name: string;
  summary: string;
  params: readonly ParamSpec[];
  run(values: Record<string, ParamValue>, ports: ReportPorts): Promise<ReportResult>;
}
