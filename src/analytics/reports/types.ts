/** What every report returns and what it reads: tables of rows, notes on how to read them, and the ports it reads through. */
import type { ActivityScan, VisitActivity } from '../../profiles/index.js';
import type { MessageFact } from '../../history/index.js';
import type { Freshness } from '../cache.js';

export type Cell = string | number | boolean | null;

export interface ReportTable {
  name: string;
  /** Column order for tables and CSV; each row holds these keys. */
  columns: string[];
  rows: Record<string, Cell>[];
}

export interface ReportResult {
  report: string;
  /** The parameters as used, defaults filled in. */
  parameters: Record<string, unknown>;
  tables: ReportTable[];
  /** Assumptions and warnings, in plain words. */
  notes: string[];
  /** How current the answer is: when it was computed, and the events processed since (the API's answers carry it). */
  freshness?: Freshness;
}

export interface StageChange {
  profileId: string;
  from: string | null;
  to: string | null;
  at: number;
  /** What caused it; `merge`: the customer was merged into another and is gone from then on. */
  trigger: string;
}

export interface SplitExperiment {
  journeyId: string;
  journey: string;
  /** Arms with their drawn weights (a journey may hold several splits: each is one experiment). */
  splits: { stepId: string; arms: { arm: string; weight: number }[] }[];
  /** Per arm: customers who drew it, conversions of the journey's goal and their value. */
  arms: { arm: string | null; entered: number; converted: number; value: number }[];
}

/** How reports read the rest of Touchpoint: other modules' doors, bound at wiring time. */
export interface ReportPorts {
  now(): number;
  /** The pipeline's position in the event log (answers kept say how many events came in since). */
  position(): Promise<number>;
  scanActivity(scan: ActivityScan, visit: VisitActivity): Promise<{ profiles: number; events: number }>;
  scanMessages(window: { from?: number; to?: number }, visit: (page: MessageFact[]) => void | Promise<void>): Promise<number>;
  /** Every stage change, in the order recorded (event time in `at`). */
  stageChanges(after: number, limit: number): Promise<(StageChange & { id: number })[]>;
  /** The lifecycle model's stages, in order. */
  stages(): Promise<string[]>;
  segmentNames(): Promise<string[]>;
  /** A segment's members now (undefined: no such segment). */
  segmentMembers(name: string): Promise<Set<string> | undefined>;
  experiments(): Promise<SplitExperiment[]>;
  /** The global control group as the policy draws it now (undefined: none configured). */
  controlGroup(): Promise<{ share: number; contains(profileId: string): boolean; bypassing: readonly string[] } | undefined>;
  /** Source names by id (first-touch breakdowns name the source). */
  sourceNames(): Promise<Map<string, string>>;
  /** Journey names by id (attribution by journey). */
  journeyNames(): Promise<Map<string, string>>;
  /** The source of responses to messages (opens, clicks): attribution counts the message, not its response, as the touch. */
  responseSourceId: string;
  /** Touchpoint's own sources: their events are not the customer's activity. */
  internalSourceIds: readonly string[];
}
