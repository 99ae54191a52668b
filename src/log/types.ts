/** An event on its way into the log. `payload` is the full normalized message as JSON. */
export interface NewEvent {
  sourceId: string;
  messageId: string;
  type: string;
  event: string | null;
  channel: string;
  userId: string | null;
  anonymousId: string | null;
  /** Event time in epoch ms, corrected for client clock skew. */
  timestamp: number;
  /** When Touchpoint received it, epoch ms. */
  receivedAt: number;
  /** Identifier that decides the partition (and so the ordering scope). */
  partitionKey: string;
  payload: string;
}

/** An event as stored: its log position (`seq`) orders it within its partition. */
export interface LoggedEvent extends Omit<NewEvent, 'partitionKey'> {
  seq: number;
  partition: number;
}

export type AppendOutcome = { status: 'stored'; seq: number } | { status: 'duplicate' };

export interface EventFilter {
  sourceId?: string;
  /** Leave these sources' events out (Touchpoint's own, in the debugger). */
  excludeSourceIds?: string[];
  type?: string;
  userId?: string;
  anonymousId?: string;
  /** Only events with a smaller seq (the cursor of the previous page). */
  before?: number;
  limit: number;
}

/**
 * The event log. The embedded implementation is a table; a cluster
 * implementation (NATS JetStream) keeps the same contract: `append` resolves
 * only once every event is durable, and `read` returns a partition's events in
 * append order after a position. Nothing here knows SQL: consumers keep their
 * own positions, in their own store, committed with their effects.
 */
export interface EventLog {
  readonly partitions: number;
  append(events: NewEvent[]): Promise<AppendOutcome[]>;
  read(partition: number, after: number, limit: number): Promise<LoggedEvent[]>;
  /** Every partition, in append order: the embedded pipeline reads this way. */
  readAll(after: number, limit: number): Promise<LoggedEvent[]>;
  /**
   * Track events of these names after `after` and up to `upTo`, in append
   * order, at most `limit`: a consumer that wants a few kinds of events
   * (journeys) skips the rest without reading them.
   */
  readNamed(after: number, upTo: number, names: readonly string[], limit: number): Promise<LoggedEvent[]>;
  /** The events at these positions (missing ones are left out), in position order. */
  get(seqs: number[]): Promise<LoggedEvent[]>;
  /** The position of the newest event, 0 when the log is empty. */
  head(): Promise<number>;
  /** The highest position ever given, erased events included: no consumer's position can be above it. */
  lastGiven(): Promise<number>;
  /** Calls `listener` after each commit; returns the function that stops it. */
  onAppend(listener: () => void): () => void;
  /** Removes events for good (erasure of a person). */
  erase(seqs: number[]): Promise<number>;
  /** Removes every event of a source (Touchpoint's own derived events, before a rebuild derives them again). */
  eraseSource(sourceId: string): Promise<number>;
  /**
   * Events each source sent in each period [edges[i], edges[i+1]) by the
   * time they were received: `counts.get(sourceId)[i]`.
   */
  countBySource(edges: readonly number[], sourceIds: readonly string[]): Promise<Map<string, number[]>>;
  /** Newest first: the event debugger. */
  query(filter: EventFilter): Promise<LoggedEvent[]>;
  /** Waits for appends already submitted, then refuses new ones. */
  close(): Promise<void>;
}
