/** What the profiles API answers, as the customer pages read it. */

export interface ProfileSummary {
  id: string;
  name: string | null;
  email: string | null;
  firstSeen: string;
  lastSeen: string;
  eventCount: number;
  channels: string[];
}

export interface ConsentEntry {
  status: string;
  allowed: boolean;
  default: string;
  at: string | null;
}

export interface Profile extends ProfileSummary {
  traits: Record<string, unknown>;
  computedTraits: Record<string, unknown>;
  identities: { kind: string; value: string }[];
  orders: { count: number; revenue: number };
  household: { id: string; since: string } | null;
  consent: Record<string, Record<string, ConsentEntry>>;
  merges: { profileId?: string; at?: string }[];
  stage: { name: string; since: string } | null;
  stageHistory: { from: string | null; to: string | null; at: string; trigger: string }[];
  segments: { id: string; name: string; since: string }[];
}

export interface Household {
  id: string;
  members: (ProfileSummary & { orders: { count: number; revenue: number } })[];
  totals: { members: number; orders: number; revenue: number; channels: string[] };
}

export interface Enrolment {
  id: string;
  journeyId: string;
  journeyName: string;
  status: string;
  stepId: string | null;
  waitingUntil: string | null;
  enteredAt: string;
  endedAt: string | null;
  exitReason: string | null;
}

export interface InboundEntry {
  direction: 'inbound';
  seq: number;
  timestamp: string;
  channel: string;
  type: string;
  event: string | null;
  sourceId: string;
  message: { properties?: Record<string, unknown>; name?: string; context?: Record<string, unknown> } | null;
}

export interface OutboundEntry {
  direction: 'outbound';
  id: string;
  timestamp: string;
  channel: string;
  journeyId: string | null;
  contentId: string | null;
  purpose: string;
  status: string;
  reason: string | null;
  deferredUntil: string | null;
  rendered: { subject?: string; text?: string; title?: string } | null;
}

export type TimelineEntry = InboundEntry | OutboundEntry;
