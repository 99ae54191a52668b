/**
 * The destinations module over a real Touchpoint (store, pipeline, standing),
 * wired as main.ts would wire it, with the delivery injected by the test.
 */
import {
  createDestinations,
  destinationMigrations,
  generateSecret,
  type BatchDelivery,
  type Destinations,
  type DestinationsDeps,
} from '../../src/destinations/index.js';
import type { DeliveryResult } from '../../src/channels/index.js';
import type { Touchpoint } from '../../src/main.js';
import { profileFacts } from '../../src/profiles/index.js';
import type { TestDialect } from './dialects.js';
import { openHarness, type PipelineHarness } from './pipeline.js';

export type Send = (delivery: BatchDelivery) => Promise<DeliveryResult>;

/** The wiring: what each dependency of the module is in a Touchpoint. */
export function destinationDeps(tp: Touchpoint, send: Send, options: DestinationsDeps['options'] = {}): DestinationsDeps {
  let n = 0;
  const run = Math.random().toString(36).slice(2, 8);
  return {
    store: tp.store,
    now: () => Date.now(),
    // Ids unique across instances on one store (a restart makes a new instance).
    newId: (prefix) => `${prefix}_${run}_${++n}`,
    newSecret: generateSecret,
    segment: async (idOrName) => (await tp.standing.segments.list()).find((s) => s.id === idOrName || s.name === idOrName),
    segmentChanges: (after, limit) => tp.standing.segments.changesAfter(after, limit),
    segmentChangesHead: () => tp.standing.segments.changesHead(),
    segmentMembers: async (segmentId, after, limit) => (await tp.standing.segments.members(segmentId, limit, after || undefined)).map((m) => m.profileId),
    contactsOf: async (profileIds) => {
      const facts = await profileFacts(tp.store.db, profileIds);
      return new Map([...facts].map(([id, f]) => [id, { email: f.state.traits.email?.value, phone: f.state.traits.phone?.value }]));
    },
    send,
    phoneRegion: tp.phoneRegion,
    options,
  };
}

export interface DestinationsHarness extends PipelineHarness {
  destinations: Destinations;
  /** A new service instance on the same store, as after a restart. */
  reopen(send?: Send): Destinations;
  /** Defines a segment and waits for its back-fill. */
  segment(name: string, condition: object): Promise<string>;
  /** Steps until nothing more is queued right away. */
  drain(): Promise<void>;
}

export async function openDestinationsHarness(dialect: TestDialect, send: Send, options: DestinationsDeps['options'] = {}): Promise<DestinationsHarness> {
  const h = await openHarness(dialect, { TOUCHPOINT_PHONE_REGION: 'US' });
  await h.tp.store.migrate(destinationMigrations);
  const make = (s: Send) => createDestinations({ ...destinationDeps(h.tp, s, options), now: h.clock.now });
  const harness: DestinationsHarness = {
    ...h,
    destinations: make(send),
    reopen(next = send) {
      harness.destinations = make(next);
      return harness.destinations;
    },
    async segment(name, condition) {
      const { id } = await h.tp.standing.segments.create({ name, condition: condition as never });
      await h.settle();
      return id;
    },
    async drain() {
      for (let i = 0; i < 100; i++) if (!(await harness.destinations.step(h.clock.now())).more) return;
      throw new Error('the destinations never settled');
    },
  };
  return harness;
}
