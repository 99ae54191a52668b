/** Journeys as the journeys API answers them (docs/journeys.md). */

// A step or entry is JSON with one key that says its kind; the console reads the fields it shows.
export type Step = { id: string; next?: string; then?: string; else?: string; onTimeout?: string } & Record<string, unknown>;

export interface Definition {
  entry: Record<string, Record<string, unknown>>;
  goal?: { event: string | string[]; within: Record<string, number> };
  steps: Step[];
  priority?: number;
}

export interface Totals {
  entered: number;
  active: number;
  converted: number;
  value: number;
}

export interface Journey {
  id: string;
  name: string;
  description: string | null;
  status: 'draft' | 'live' | 'paused' | 'archived';
  version: number;
  liveSince: string | null;
  updatedAt: string;
  definition: Definition;
  totals?: Totals;
}

export interface StepStats {
  id: string;
  kind: string;
  reached: number;
  now: number;
  passed: number;
  sent: number;
  suppressed: Record<string, number>;
}

export interface JourneyStats {
  entered: number;
  active: number;
  ended: Record<string, number>;
  converted: number;
  value: number;
  conversionRate: number;
  steps: StepStats[];
  messages: { requested: number; sent: number; suppressed: Record<string, number>; failed: number; byStatus: Record<string, number> };
  arms: { arm: string | null; entered: number; converted: number; value: number; sent: number }[];
  versions: { version: number; entered: number; converted: number; value: number }[];
}
