/**
 * "What would happen?": a contact request made up for a customer, decided
 * by the policy as if a journey asked now, rule by rule. Nothing is written.
 */
import { TouchpointError } from '../errors.js';
import type { MessageChannel, Policy } from '../policy/index.js';
import type { Standpoint } from '../standing/index.js';
import type { Journey } from './definitions.js';
import { zoneOf } from './plan.js';
import { customerOf, requestOf } from './sending.js';

export interface SimulationInput {
  profileId: string;
  channel: MessageChannel;
  fallback?: MessageChannel[];
  purpose?: string;
  consentChannel?: string;
  /** A content item's id or name. */
  content?: string;
  /** A journey's id or name: its priority, conflict rule and time zone apply. */
  journey?: string;
  value?: number;
  weight?: number;
  sendAt?: 'now' | 'best_hour';
  maxDelayHours?: number;
  at?: number;
}

export interface SimulationDeps {
  policy: Pick<Policy, 'simulate'>;
  now(): number;
  defaultZone: string;
  standpoints(profileIds: readonly string[], now: number): Promise<Map<string, Standpoint>>;
  survivorOf(profileId: string): Promise<string | undefined>;
  findJourney(idOrName: string): Promise<Journey>;
  findContentId(idOrName: string): Promise<string>;
}

export async function simulateContact(deps: SimulationDeps, input: SimulationInput) {
  const now = input.at ?? deps.now();
  const profileId = await deps.survivorOf(input.profileId);
  const standpoint = profileId === undefined ? undefined : (await deps.standpoints([profileId], now)).get(profileId);
  if (!profileId || !standpoint) throw new TouchpointError('TP_PROFILE_NOT_FOUND', `No profile has the id ${JSON.stringify(input.profileId)}.`);
  const journey = input.journey === undefined ? undefined : await deps.findJourney(input.journey);
  const definition: { timezone?: string; priority?: number; onConflict?: 'defer' | 'drop' } = journey?.definition ?? {};
  const consentChannel = input.consentChannel ?? (input.channel === 'webhook' ? null : input.channel);
  const effect = { ...input, kind: 'send' as const, stepId: 'simulated', content: input.content ?? '', purpose: input.purpose ?? 'marketing', consentChannel };
  const request = requestOf(effect, profileId, { id: journey?.id ?? '', ...definition }, now);
  request.journeyId = journey?.id ?? null;
  request.contentId = input.content === undefined ? null : await deps.findContentId(input.content);
  const zone = zoneOf(standpoint, definition, deps.defaultZone);
  const decided = await deps.policy.simulate({ request, customer: customerOf(standpoint, zone) }, now);
  return { ...decided, profileId, at: now, zone, stage: standpoint.scope.stage };
}
