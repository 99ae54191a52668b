/**
 * Keeping an erased person out of the event log. Events that carry an
 * identifier of an erased person are not stored at all: the tracking API
 * acknowledges them (a client must not retry them forever) and drops them.
 * The suppression list is held in memory; with no erasure ever made, the
 * check costs nothing. Other processes' erasures are seen within `refreshMs`.
 */
import type { Store } from '../store/index.js';
import { suppressionHash } from './graph.js';
import { extractIdentifiers } from './identifiers.js';
import type { KindSpec } from './kinds.js';
import type { IdentityTables } from './tables.js';

export interface ErasureScreen {
  /** Makes sure the list is fresh enough; call before `erased`. */
  ready(): Promise<void>;
  /** Whether the message carries an identifier of an erased person. */
  erased(message: Record<string, unknown>): boolean;
  /** An erasure was just made here: read the list again before the next check. */
  invalidate(): void;
}

export function createErasureScreen(deps: { store: Store; kinds: KindSpec[]; phoneRegion?: string; refreshMs?: number }): ErasureScreen {
  const table = deps.store.db.withTables<IdentityTables>();
  let hashes = new Set<string>();
  let readAt = -Infinity;
  let reading: Promise<void> | undefined;

  async function read(): Promise<void> {
    const count = await table
      .selectFrom('id_suppressions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    if (Number(count?.n ?? 0) !== hashes.size) hashes = new Set((await table.selectFrom('id_suppressions').select('hash').execute()).map((r) => r.hash));
    readAt = performance.now();
  }

  return {
    async ready() {
      if (performance.now() - readAt < (deps.refreshMs ?? 5000)) return;
      reading ??= read().finally(() => (reading = undefined));
      await reading;
    },
    erased(message) {
      if (hashes.size === 0) return false;
      return extractIdentifiers(message, deps.kinds, { phoneRegion: deps.phoneRegion }).some((id) => hashes.has(suppressionHash(id)));
    },
    invalidate() {
      readAt = -Infinity;
    },
  };
}
