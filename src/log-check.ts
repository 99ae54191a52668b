import type { EventLog } from './log/index.js';
import { pipelinePosition } from './pipeline/index.js';
import type { Store } from './store/index.js';

/**
 * The pipeline's position (in the main store) points into the log: a log file
 * that never reached it is missing, replaced or restored from an older backup,
 * and the events appended next would take positions the pipeline has passed.
 */
export async function refuseForeignLog(store: Store, log: EventLog, logLocation: string): Promise<void> {
  const [position, given] = await Promise.all([pipelinePosition(store.db), log.lastGiven()]);
  if (position <= given) return;
  throw new Error(
    `The event log at ${logLocation} ends at position ${given}, but ${store.location} has processed events up to ${position}: ` +
      'the log is missing, replaced or older than the main store. Restore both files from the same backup (docs/operations.md#storage).',
  );
}
