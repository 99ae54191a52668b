/**
 * log: the event log. Collect appends normalized events; an append resolves
 * only once the events are committed (group commit shares one commit between
 * concurrent requests). Consumers read each partition in order from a saved
 * position. Embedded: a table in the store. The contract (EventLog) is the one
 * a NATS JetStream log will implement for clusters.
 */
export type { AppendOutcome, EventFilter, EventLog, LoggedEvent, NewEvent } from './types.js';
export { createSqlEventLog, type SqlLogOptions } from './sql-log.js';
export { partitionOf } from './partition.js';
export { logMigrations } from './tables.js';
