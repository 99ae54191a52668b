/**
 * Wiring of audience destinations: segment changes and members from the
 * standing module, contacts from profiles, batches sent signed through the
 * channels' guarded outbound client; and the loop that syncs them in the
 * server. Decides nothing.
 */
import type { Logger } from 'pino';
import type { Outbound } from './channels/index.js';
import { sendSigned } from './channels/webhook/index.js';
import type { Clock } from './clock.js';
import { createDestinations, generateSecret, type Destinations } from './destinations/index.js';
import type { Ids } from './ids.js';
import { profileFacts } from './profiles/index.js';
import type { Standing } from './standing/index.js';
import type { Store } from './store/index.js';

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

export function wireDestinations(w: { store: Store; clock: Clock; ids: Ids; standing: Standing; outbound: Outbound; phoneRegion?: string }): Destinations {
  return createDestinations({
    store: w.store,
    now: w.clock.now,
    newId: (prefix) => w.ids.id(prefix),
    newSecret: generateSecret,
    segment: async (idOrName) => (await w.standing.segments.list()).find((s) => s.id === idOrName || s.name === idOrName),
    segmentChanges: (after, limit) => w.standing.segments.changesAfter(after, limit),
    segmentChangesHead: () => w.standing.segments.changesHead(),
    segmentMembers: async (segmentId, after, limit) => (await w.standing.segments.members(segmentId, limit, after || undefined)).map((m) => m.profileId),
    contactsOf: async (profileIds) => {
      const facts = await profileFacts(w.store.db, profileIds);
      return new Map([...facts].map(([id, f]) => [id, { email: text(f.state.traits.email?.value), phone: text(f.state.traits.phone?.value) }]));
    },
    // Below the batch lease (60 s): a batch still being tried is never taken by another runner.
    send: (d) => sendSigned(w.outbound, { ...d, timeoutMs: 10_000 }, w.clock.now()),
    phoneRegion: w.phoneRegion,
  });
}

/** Syncs destinations in the server: again at once while there is more, else after a pause. Returns the stop. */
export function runDestinations(destinations: Destinations, clock: Clock, pollMs: number, logger?: Logger): () => Promise<void> {
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      let more = false;
      try {
        more = (await destinations.step(clock.now())).more;
      } catch (error) {
        logger?.error({ err: error }, 'syncing destinations failed; trying again');
      }
      if (!more && running)
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, pollMs);
        });
    }
  })();
  return async () => {
    running = false;
    clearTimeout(timer);
    wake?.();
    await loop;
  };
}
