/** The contact policy as GET /api/policy answers it (docs/policy.md). */
export interface Cap {
  channel?: string;
  purpose?: string;
  max: number;
  withinHours: number;
  belowPriority?: number;
}

export interface PolicyDocument {
  caps: Cap[];
  quietHours?: { start: string; end: string; channels?: string[] };
  controlGroup?: { share: number; salt: string };
  arbitration?: { mode: string; windowMinutes: number };
  fatigue?: { ignoredInARow: number; suppressForDays: number; by: string; respondWithinHours: number };
  deferLimitHours: number;
  transactionalPurposes: string[];
}

export interface PolicyVersion {
  version: number;
  updatedAt: string | null;
  policy: PolicyDocument;
}

export const MESSAGE_CHANNELS = ['email', 'sms', 'push', 'webhook'];
