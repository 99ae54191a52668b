/**
 * destinations: audience sync. A destination follows one segment and tells
 * an ad or social platform who entered and who left it: batches of SHA-256
 * hashes of normalised emails and phones (the platforms' own rules, so that
 * they match), queued durably and delivered as signed webhooks in order,
 * with retries and dead batches; or a CSV file of the current audience for
 * platforms that take uploads. Owns the destinations, destination_members
 * and destination_batches tables. How a batch is signed and posted is
 * injected (`send`): nothing here opens a socket.
 */
import { randomBytes } from 'node:crypto';

export { createDestinations, DEFAULT_OPTIONS, type Destinations, type DestinationsDeps, type DestinationOptions, type StepReport } from './service.js';
export { destinationMigrations } from './tables.js';
export { BATCH_SIZE, KINDS, type DestinationChanges, type DestinationInput, type DestinationKind } from './input.js';
export { HASHING_RULES, IDENTIFIER_KINDS, type Contact, type HashingRules, type IdentifierKind } from './normalize.js';
export type { BatchBody, Member } from './batch.js';
export type { BatchDelivery } from './delivery.js';
export type { SegmentChangeItem } from './sync.js';
export type { Destination, DestinationState, DestinationStatus } from './view.js';

/** A Standard Webhooks signing secret: whsec_ and the base64 of 24 random bytes from the system's CSPRNG. */
export const generateSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;
