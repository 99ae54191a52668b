/**
 * Consent recorded by an admin (PUT /api/profiles/:id/consent): a "Consent
 * Updated" event of Touchpoint's admin source that names its profile. It goes
 * through the log like every fact, so replays and rebuilds keep it, and it
 * changes the profile's consent only: an admin's change is not the
 * customer's activity (no channel, no event count, no last seen).
 */
import { randomUUID } from 'node:crypto';
import type { EventLog } from '../log/index.js';
import { CONSENT_EVENT } from './consent.js';

export interface ConsentChangeInput {
  channel: string;
  purpose: string;
  status: 'granted' | 'denied';
}

export function createConsentAdmin(deps: { log: EventLog; adminSourceId: string; now(): number; newId?: () => string; processed(seq: number): Promise<void> }) {
  return {
    /** Records the change and resolves once the pipeline has applied it. */
    async set(profileId: string, change: ConsentChangeInput): Promise<void> {
      const now = deps.now();
      const messageId = `consent:${(deps.newId ?? randomUUID)()}`;
      const at = new Date(now).toISOString();
      const message = {
        type: 'track',
        event: CONSENT_EVENT,
        messageId,
        properties: change,
        context: { touchpoint: { internal: true, profileId } },
        timestamp: at,
        receivedAt: at,
      };
      const [outcome] = await deps.log.append([
        {
          sourceId: deps.adminSourceId,
          messageId,
          type: 'track',
          event: CONSENT_EVENT,
          channel: 'other',
          userId: null,
          anonymousId: null,
          timestamp: now,
          receivedAt: now,
          partitionKey: profileId,
          payload: JSON.stringify(message),
        },
      ]);
      if (outcome?.status === 'stored') await deps.processed(outcome.seq);
    },
  };
}

export type ConsentAdmin = ReturnType<typeof createConsentAdmin>;
