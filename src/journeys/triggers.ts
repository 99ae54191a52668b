/**
 * Entering customers: from a trigger (an event, a segment change, a stage
 * change, a scheduled run) to a planned new enrolment, when the journey is
 * live, the trigger fresh, the key present and the re-entry rule allows it.
 */
import type { Standpoint } from '../standing/index.js';
import type { RunningJourney } from './catalog.js';
import { mayEnter, type PastEnrolment } from './matching.js';
import { activityRow, planRun, type Plan, type PlanServices } from './plan.js';
import type { JourneyDefinition } from './schema.js';
import type { JourneyTables } from './tables.js';
import { durationMs } from './timing.js';

type EnrolmentRow = JourneyTables['journey_enrolments'];

export interface Trigger {
  journey: RunningJourney;
  profileId: string;
  /** '' unless the journey is keyed. */
  enrolKey: string;
  /** Unique per fact that triggers: the same fact never enters twice. */
  triggerKey: string;
  /** The trigger event's message, for templates. */
  message: Record<string, unknown> | null;
  /** Keeps the customer waiting until then before the first step (a scheduled send at a local time). */
  startAt?: number;
}

/** Past enrolments by journey, profile and key. */
export type PastIndex = Map<string, PastEnrolment[]>;
export const pastKey = (journeyId: string, profileId: string, enrolKey: string) => `${journeyId}\u0000${profileId}\u0000${enrolKey}`;

const reentryOf = (definition: JourneyDefinition) => definition.reentry ?? { mode: 'schedule' in definition.entry ? ('always' as const) : ('once' as const) };

export async function planEntry(
  trigger: Trigger,
  past: PastIndex,
  standpoint: Standpoint | undefined,
  services: PlanServices & { newEnrolmentId(): string },
  now: number,
): Promise<Plan | undefined> {
  const { journey } = trigger;
  const key = pastKey(journey.id, trigger.profileId, trigger.enrolKey);
  const before = past.get(key) ?? [];
  if (!standpoint || !mayEnter(reentryOf(journey.current), before, now)) return undefined;
  const goal = journey.current.goal;
  const enrolment: EnrolmentRow = {
    id: services.newEnrolmentId(),
    journey_id: journey.id,
    version: journey.version,
    profile_id: trigger.profileId,
    enrol_key: trigger.enrolKey,
    trigger_key: trigger.triggerKey,
    trigger: trigger.message && JSON.stringify(trigger.message),
    status: 'active',
    step_id: null,
    wait_for: null,
    next_at: null,
    arm: null,
    entered_at: now,
    goal_until: goal ? now + durationMs(goal.within) : null,
    ended_at: null,
    exit_reason: null,
    updated_at: now,
  };
  past.set(key, [...before, { status: 'active', enteredAt: now }]);
  const entered = [activityRow(enrolment, 'entered', now)];
  if (trigger.startAt !== undefined && trigger.startAt > now) {
    const waiting = { ...enrolment, next_at: trigger.startAt };
    return { enrolment: waiting, isNew: true, expectUpdatedAt: null, activity: entered, messages: [], traits: [], calls: [] };
  }
  const ref = { id: journey.id, name: journey.name, version: journey.version, definition: journey.current };
  return planRun({ enrolment, isNew: true, expectUpdatedAt: null, activity: entered }, ref, journey.current.steps[0]!.id, standpoint, services, now);
}
