/**
 * The webhook channel: a message goes out as a signed JSON request to the
 * URL the channel names, where the brand's own service (an SMS gateway, a
 * push service, a store's clienteling app) takes it from there.
 */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../schema-kit.js';
import type { Outbound } from '../outbound.js';
import type { Adapter, Delivery, DeliveryResult } from '../types.js';
import { sendSigned } from './send.js';
import { WEBHOOK_SECRET_PATTERN } from './sign.js';

export const WebhookChannelSchema = Type.Object(
  {
    kind: Type.Literal('webhook'),
    // A pattern rather than format: 'uri': TypeBox's Value checks know no formats unless registered.
    url: Type.String({ pattern: '^https?://[^\\s/?#]+[^\\s]*$', description: 'Where messages are POSTed (http: or https:).' }),
    secret: Type.String({ minLength: 16, pattern: WEBHOOK_SECRET_PATTERN, description: 'Standard Webhooks secret: whsec_ followed by base64.' }),
    serves: Type.Optional(StringEnum(['email', 'sms', 'push', 'webhook'] as const, { description: 'Which content variant it sends.' })),
    timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
    ratePerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    maxAttempts: Type.Integer({ minimum: 1, maximum: 100, default: 8 }),
    headers: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.String())),
  },
  { additionalProperties: false },
);

export type WebhookChannel = Static<typeof WebhookChannelSchema>;

/** The body receivers get: the message, its context and its rendered content. */
export function webhookEnvelope(delivery: Delivery, nowMs: number): string {
  return JSON.stringify({
    type: 'message.send',
    timestamp: new Date(nowMs).toISOString(),
    data: {
      messageId: delivery.messageId,
      channel: delivery.channelName,
      contentChannel: delivery.channel,
      profileId: delivery.profileId,
      to: delivery.to,
      purpose: delivery.purpose,
      journeyId: delivery.journeyId,
      stepId: delivery.stepId,
      contentId: delivery.contentId,
      attempt: delivery.attempt,
      content: delivery.rendered,
    },
  });
}

export interface WebhookAdapterDeps {
  outbound: Pick<Outbound, 'request'>;
  /** Milliseconds since the epoch: the envelope's timestamp and the signature's. */
  now: () => number;
}

/**
 * The adapter for one configured webhook channel. It does not own the
 * outbound client (channels share its connections), so close has nothing to
 * release.
 */
export function createWebhookAdapter(config: WebhookChannel, deps: WebhookAdapterDeps): Adapter {
  return {
    deliver(delivery: Delivery): Promise<DeliveryResult> {
      const now = deps.now();
      const body = webhookEnvelope(delivery, now);
      return sendSigned(
        deps.outbound,
        { url: config.url, secret: config.secret, id: delivery.messageId, body, timeoutMs: config.timeoutMs, headers: config.headers },
        now,
      );
    },
    close: async () => {},
  };
}
