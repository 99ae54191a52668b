/**
 * journeys: definitions with versions and a status, enrolments with their
 * durable waits, the steps (wait, branch, split, send, set a trait, exit),
 * goals and exits, and the runner that moves customers along as its own
 * consumer of the log and of the standing's change streams. Every message a
 * journey wants is a contact request decided by the policy module and
 * recorded in the contact history (history module).
 */
import type { Kysely } from 'kysely';
import { TouchpointError } from '../errors.js';
import type { Messages } from '../history/index.js';
import type { Policy } from '../policy/index.js';
import { createDefinitions, type JourneyInput, type Lookups } from './definitions.js';
import { exitAll, forgetEnrolments, listEnrolments, type EnrolmentFilter } from './enrolments.js';
import { createRunner, type RunnerDeps } from './runner.js';
import { simulateContact, type SimulationInput } from './simulate.js';
import type { JourneyStatus } from './schema.js';
import { journeyStats } from './stats.js';
import { journeyTotals } from './totals.js';

export {
  JourneyDefinitionSchema,
  JOURNEY_STATUSES,
  STEP_KINDS,
  ENTRY_KINDS,
  type JourneyDefinition,
  type JourneyStatus,
  type Step,
} from './schema.js';
export type { Journey, Lookups } from './definitions.js';
export type { Enrolment } from './enrolments.js';
export type { JourneyStats } from './stats.js';
export { NO_TOTALS, type JourneyTotals } from './totals.js';

/** A journey's random splits and what each arm did (analytics compares them). */
export interface JourneySplits {
  journeyId: string;
  journey: string;
  splits: { stepId: string; arms: { arm: string; weight: number }[] }[];
  arms: { arm: string | null; entered: number; converted: number; value: number }[];
}
export type { Runner, SegmentChangeIn, StageChangeIn } from './runner.js';
export type { ContentRef, PlanServices, RenderScope } from './plan.js';
export type { SimulationInput } from './simulate.js';
export { journeyMigrations } from './tables.js';

export interface JourneyDeps extends Omit<RunnerDeps, 'messages' | 'policy'> {
  messages: Messages;
  policy: Pick<Policy, 'decide' | 'refresh' | 'simulate'>;
  lookups: Lookups;
  newJourneyId(): string;
  /** Wakes the runner wherever it runs (the pipeline worker thread, when there is one). */
  wakeRunner?(): void;
}

import { saveCallTraits } from './traits.js';
import { convertedAmong } from './enrolment-reads.js';

export function createJourneys(deps: JourneyDeps) {
  const definitions = createDefinitions({ store: deps.store, now: deps.clock.now, newId: deps.newJourneyId, lookups: deps.lookups });
  const runner = createRunner(deps);
  const db = deps.store.db;
  return {
    list: definitions.list,
    get: definitions.get,
    create: definitions.create,
    update: (idOrName: string, input: JourneyInput) => definitions.update(idOrName, input),
    /** Moves the journey to a status; archiving exits everyone still in it. The runner is woken to act on it. */
    async setStatus(idOrName: string, status: JourneyStatus) {
      const journey = await definitions.setStatus(idOrName, status, async (trx, j) => {
        if (status === 'archived') await exitAll(trx, j.id, 'archived', deps.clock.now());
      });
      runner.wake();
      deps.wakeRunner?.();
      return journey;
    },
    /** Every journey with random splits: each split's arms and weights, and per arm who entered, converted and the value. */
    async splits(): Promise<JourneySplits[]> {
      const out: JourneySplits[] = [];
      for (const journey of await definitions.list()) {
        const splits = journey.definition.steps.flatMap((s) =>
          'split' in s ? [{ stepId: s.id, arms: s.split.map((a) => ({ arm: a.arm, weight: a.weight })) }] : [],
        );
        if (splits.length === 0) continue;
        const stats = await journeyStats(db, deps.messages, journey.id, journey.definition);
        const arms = stats.arms.map((a) => ({ arm: a.arm, entered: a.entered, converted: a.converted, value: a.value }));
        out.push({ journeyId: journey.id, journey: journey.name, splits, arms });
      }
      return out;
    },
    /** Per journey id: entered, in it now, converted and their value (journeys nobody entered are absent). */
    totals: () => journeyTotals(db),
    async stats(idOrName: string) {
      const journey = await definitions.get(idOrName);
      return { journey, stats: await journeyStats(db, deps.messages, journey.id, journey.definition) };
    },
    async enrolments(idOrName: string, filter: Omit<EnrolmentFilter, 'journeyId'>) {
      const journey = await definitions.find(idOrName);
      return listEnrolments(db, { ...filter, journeyId: journey.id });
    },
    /** A customer's enrolments in every journey, newest first, each with its journey's name. */
    async enrolmentsOf(profileId: string, limit: number) {
      const [enrolments, list] = await Promise.all([listEnrolments(db, { profileId, limit }), definitions.list()]);
      const names = new Map(list.map((j) => [j.id, j.name]));
      return enrolments.map((e) => ({ ...e, journeyName: names.get(e.journeyId) ?? e.journeyId }));
    },
    /** The journeys (not archived) whose steps send this content item. */
    async contentUses(contentId: string, contentName: string): Promise<string[]> {
      const journeys = await definitions.list();
      return journeys
        .filter(
          (j) => j.status !== 'archived' && j.definition.steps.some((s) => 'send' in s && (s.send.content === contentId || s.send.content === contentName)),
        )
        .map((j) => j.name);
    },
    forget: (trx: Kysely<object>, profileIds: string[]) => forgetEnrolments(deps.store, trx, profileIds),
    /** Of these enrolments, those that reached their goal (a queued message of theirs is not sent). */
    convertedAmong: (enrolmentIds: readonly string[]) => convertedAmong(deps.store.db, enrolmentIds),
    /** Traits webhook steps' answers gave, set through the log like every trait a journey sets. */
    saveCallTraits: (trx: Kysely<object>, results: Parameters<typeof saveCallTraits>[2]) => saveCallTraits(deps.store, trx, results),
    /** What the policy would decide for a request made up for a customer now, rule by rule (POST /api/policy/simulate). */
    simulateContact: (input: SimulationInput) =>
      simulateContact(
        {
          ...deps,
          now: deps.clock.now,
          defaultZone: deps.services.defaultZone,
          findJourney: definitions.get,
          findContentId: async (idOrName) => {
            const item = await deps.lookups.content(idOrName);
            if (!item) throw new TouchpointError('TP_CONTENT_NOT_FOUND', `No content item has the id or name ${JSON.stringify(idOrName)}.`);
            return item.id;
          },
        },
        input,
      ),
    runner,
  };
}

export type Journeys = ReturnType<typeof createJourneys>;
