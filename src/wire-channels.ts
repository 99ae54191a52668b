/**
 * Wiring of the channels module: the adapter of each configured channel
 * (chosen here by kind, so the channels module imports none), the outbound
 * HTTP client they share, and what responses need from other modules.
 * Decides nothing.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createLinkSigner, createSmtpAdapter, type LinkSigner } from './channels/email/index.js';
import { createCallAdapter, createWebhookAdapter, JOURNEY_CALLS, newWebhookSecret } from './channels/webhook/index.js';
import {
  createChannels,
  createOutbound,
  keyOf,
  retryDelay,
  type Attempted,
  type ChannelConfig,
  type Outbound,
  type Channels,
  type ConfiguredChannel,
  type ResponseEvent,
} from './channels/index.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Messages } from './history/index.js';
import type { Metrics } from './metrics.js';
import type { IdentityReader } from './identity/index.js';
import type { Journeys } from './journeys/index.js';
import { profileFacts, type ConsentAdmin, type ProfileViews } from './profiles/index.js';
import type { EventLog } from './log/index.js';
import type { Store } from './store/index.js';

export interface ChannelWiring {
  store: Store;
  log: EventLog;
  clock: Clock;
  messages: Messages;
  random(): number;
  nodeId: string;
  newEventId(): string;
  responseSourceId: string;
  logger?: Logger;
  metrics: Metrics;
  consentOf(profileId: string, channel: string): Promise<Record<string, 'granted' | 'denied' | 'unknown'> | undefined>;
  setConsent(profileId: string, change: { channel: string; purpose: string; status: 'granted' | 'denied' }): Promise<void>;
  /** Messages whose customer denied consent for their channel and purpose since they were queued. */
  consentWithdrawn(deliveries: readonly { messageId: string; profileId: string; channel: string; purpose: string }[]): Promise<Set<string>>;
  goalReached(messageIds: readonly string[]): Promise<Set<string>>;
  /** Traits from journeys' webhook calls, saved by the journeys module. */
  saveCallTraits(
    trx: Kysely<object>,
    results: { callId: string; profileId: string; journeyId: string; traits: Record<string, unknown>; at: number }[],
  ): Promise<void>;
}

/** The modules channels ask (built after them, so read late). */
export interface PortModules {
  store: Store;
  messages: Messages;
  identity: Pick<IdentityReader, 'live'>;
  views(): ProfileViews | undefined;
  consent(): ConsentAdmin | undefined;
  journeys(): Journeys | undefined;
}

/** What channels ask of other modules: consent (profiles), goals (journeys and the history), the traits of webhook calls (journeys). */
export function channelPorts(m: PortModules): Pick<ChannelWiring, 'consentOf' | 'setConsent' | 'saveCallTraits' | 'goalReached' | 'consentWithdrawn'> {
  return {
    async consentOf(profileId, channel) {
      const live = await m.identity.live(profileId);
      const view = live === undefined ? undefined : await m.views()?.view(live);
      return view && Object.fromEntries(Object.entries(view.consent[channel] ?? {}).map(([purpose, c]) => [purpose, c.status]));
    },
    async setConsent(profileId, change) {
      const live = await m.identity.live(profileId);
      if (live) await m.consent()?.set(live, change);
    },
    saveCallTraits: (trx, results) => m.journeys()!.saveCallTraits(trx, results),
    async goalReached(messageIds) {
      const enrolments = await m.messages.enrolmentsOf(messageIds);
      const converted = await m.journeys()!.convertedAmong([...new Set(enrolments.values())]);
      return new Set([...enrolments].filter(([, enrolment]) => converted.has(enrolment)).map(([id]) => id));
    },
    async consentWithdrawn(deliveries) {
      // Only an explicit denial stops a message already let through (for its purpose, or "all": the channel's hard opt-out).
      const facts = await profileFacts(m.store.db, [...new Set(deliveries.map((d) => d.profileId))], []);
      const denied = (d: (typeof deliveries)[number]) => {
        const consent = facts.get(d.profileId)?.state.consent[d.channel];
        return consent?.[d.purpose]?.value === 'denied' || consent?.all?.value === 'denied';
      };
      return new Set(deliveries.filter(denied).map((d) => d.messageId));
    },
  };
}

/** Journeys' webhook calls: a built-in channel with the same signing, guard and retries. */
function callChannel(config: Config, outbound: Outbound, clock: Clock, secret: () => Promise<string>): ConfiguredChannel {
  return {
    name: JOURNEY_CALLS,
    kind: 'call',
    serves: 'webhook',
    adapter: createCallAdapter({ outbound, secret, now: clock.now, timeoutMs: 10_000 }),
    maxAttempts: 8,
    concurrency: config.deliveryConcurrency,
  };
}

function callResults(w: ChannelWiring) {
  return (trx: Kysely<object>, attempted: readonly Attempted[]) =>
    w.saveCallTraits(
      trx,
      attempted.flatMap((a) => {
        const traits = a.result.kind === 'sent' ? (a.result.response.traits as Record<string, unknown> | undefined) : undefined;
        const { delivery } = a.claimed;
        return traits ? [{ callId: delivery.messageId, profileId: delivery.profileId, journeyId: delivery.journeyId ?? '', traits, at: a.at }] : [];
      }),
    );
}

interface AdapterKit {
  outbound: Outbound;
  clock: Clock;
  signer: LinkSigner;
  publicUrl: string;
  concurrency: number;
}

/** A configured channel with its kind's adapter: main.ts's choice, so the channels module imports none. */
function configured(name: string, config: ChannelConfig, kit: AdapterKit): ConfiguredChannel {
  const common = { name, kind: config.kind, ratePerSecond: config.ratePerSecond, maxAttempts: config.maxAttempts, concurrency: kit.concurrency };
  if (config.kind === 'smtp') return { ...common, serves: 'email', adapter: createSmtpAdapter(config, { signer: kit.signer, publicUrl: kit.publicUrl }) };
  return {
    ...common,
    serves: config.serves ?? (['email', 'sms', 'push'].includes(name) ? (name as 'email' | 'sms' | 'push') : 'webhook'),
    adapter: createWebhookAdapter(config, { outbound: kit.outbound, now: kit.clock.now }),
    secret: config.secret,
  };
}

/** A response of the customer as an event of Touchpoint's responses source that names its profile. */
function responseAppender(w: ChannelWiring) {
  return async (e: ResponseEvent): Promise<void> => {
    const messageId = `response:${w.newEventId()}`;
    const at = new Date(e.at).toISOString();
    const message = {
      type: 'track',
      event: e.event,
      messageId,
      properties: e.properties,
      context: { touchpoint: { internal: true, profileId: e.profileId } },
      timestamp: at,
      receivedAt: at,
    };
    await w.log.append([
      {
        sourceId: w.responseSourceId,
        messageId,
        type: 'track',
        event: e.event,
        channel: e.channel,
        userId: null,
        anonymousId: null,
        timestamp: e.at,
        receivedAt: e.at,
        partitionKey: e.profileId,
        payload: JSON.stringify(message),
      },
    ]);
  };
}

export async function wireChannels(
  config: Config,
  w: ChannelWiring,
): Promise<{ channels: Channels; outbound: Outbound; signer: LinkSigner; publicUrl: string }> {
  const outbound = createOutbound({ allow: config.outboundAllowList, userAgent: 'Touchpoint' });
  const signer = createLinkSigner(config.linkSecret ?? (await keyOf(w.store, 'links')));
  const publicUrl = (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
  const kit = { outbound, clock: w.clock, signer, publicUrl, concurrency: config.deliveryConcurrency };
  const list = Object.entries(config.channels).map(([name, c]) => configured(name, c, kit));
  let secret: Promise<string> | undefined;
  const callSecret = () => (secret ??= keyOf(w.store, 'journey-calls', newWebhookSecret));
  list.push(callChannel(config, outbound, w.clock, callSecret));
  const channels = createChannels({
    store: w.store,
    channels: list,
    now: w.clock.now,
    nodeId: w.nodeId,
    leaseMs: config.deliveryLeaseMs,
    pollMs: config.deliveryPollMs,
    batchSize: config.deliveryBatchSize,
    maxRetryMs: config.deliveryRetryMaxMs,
    retryDelay: (attempt) => retryDelay(attempt, { baseMs: config.deliveryRetryBaseMs, maxMs: config.deliveryRetryMaxMs }, w.random),
    messages: w.messages,
    responses: { consentOf: w.consentOf, setConsent: w.setConsent, append: responseAppender(w), purposes: config.preferencePurposes },
    callSecret,
    consentWithdrawn: w.consentWithdrawn,
    goalReached: w.goalReached,
    onCalls: callResults(w),
    observe: (channel, a, seconds) => {
      w.metrics.deliveries.inc({ channel, outcome: a.screened ? 'suppressed' : a.result.kind === 'retry' && a.final ? 'failed' : a.result.kind });
      w.metrics.deliverySeconds.observe({ channel }, seconds);
    },
    logger: w.logger,
  });
  return { channels, outbound, signer, publicUrl };
}
