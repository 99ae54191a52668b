/** What the module shows of a destination: its settings (never its secret) and its sync status. */
import { secretHint, type DestinationKind } from './input.js';
import type { HashingRules, IdentifierKind } from './normalize.js';
import type { DestinationRow } from './records.js';

export type DestinationState = 'backfilling' | 'active' | 'paused';

export interface Destination {
  id: string;
  name: string;
  /** deleted: the segment is gone, so nothing more is sent (the platform's audience stays as it was). */
  segment: { id: string; name: string; deleted: boolean };
  kind: DestinationKind;
  url: string | null;
  /** The secret's last 4 characters after "…": the secret itself is shown once, when it is made. */
  secretHint: string | null;
  batchSize: number;
  identifiers: IdentifierKind[];
  hashing: HashingRules;
  /** paused (by the operator), backfilling (adding the segment's members at creation) or active. */
  status: DestinationState;
  createdAt: number;
  updatedAt: number;
}

export interface DestinationStatus {
  id: string;
  name: string;
  status: DestinationState;
  /** Profiles the platform has been told to add and not yet to remove. */
  members: number;
  /** Profiles added and removed by batches the receiver took. */
  added: number;
  removed: number;
  /** Profiles that entered the segment with no email or phone to send. */
  skipped: number;
  pendingBatches: number;
  sentBatches: number;
  deadBatches: number;
  lastError: string | null;
  lastErrorAt: number | null;
  lastSyncAt: number | null;
  /** The segment change stream's position consumed up to. */
  position: number;
}

export function stateOf(row: DestinationRow): DestinationState {
  if (row.status === 'paused') return 'paused';
  return row.backfill_after === null ? 'active' : 'backfilling';
}

export function present(row: DestinationRow, segmentName: string | undefined): Destination {
  return {
    id: row.id,
    name: row.name,
    segment: { id: row.segment_id, name: segmentName ?? row.segment_name, deleted: segmentName === undefined },
    kind: row.kind,
    url: row.url,
    secretHint: secretHint(row.secret),
    batchSize: row.batch_size,
    identifiers: JSON.parse(row.identifiers) as IdentifierKind[],
    hashing: row.hashing as HashingRules,
    status: stateOf(row),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function statusOf(row: DestinationRow, members: number, batches: Record<'pending' | 'sent' | 'dead', number>): DestinationStatus {
  return {
    id: row.id,
    name: row.name,
    status: stateOf(row),
    members,
    added: Number(row.added),
    removed: Number(row.removed),
    skipped: Number(row.skipped),
    pendingBatches: batches.pending,
    sentBatches: batches.sent,
    deadBatches: Number(row.failed_batches),
    lastError: row.last_error,
    lastErrorAt: row.last_error_at === null ? null : Number(row.last_error_at),
    lastSyncAt: row.last_sync_at === null ? null : Number(row.last_sync_at),
    position: Number(row.position),
  };
}
