/**
 * What the channels module's parts hand each other: a delivery (one message
 * to take out through one configured channel), what an adapter made of it,
 * and the ports through which responses (opens, clicks, unsubscribes,
 * bounces, provider callbacks) come back into the contact history.
 */

/** One message to deliver, as the dispatcher hands it to an adapter. */
export interface Delivery {
  /** The message's id: the idempotency key the receiver sees (webhook-id, Message-ID) on every try. */
  messageId: string;
  profileId: string;
  /** The configured channel's name (e.g. "email", "sms", "whatsapp", "clienteling"). */
  channelName: string;
  /** The content channel: which variant `rendered` is. */
  channel: 'email' | 'sms' | 'push' | 'webhook';
  /** The address the policy saw (email or phone), when the channel needs one. */
  to: string | null;
  purpose: string;
  /** The rendered variant (RenderedVariants[channel] of the content module). */
  rendered: Record<string, unknown>;
  journeyId: string | null;
  stepId: string | null;
  contentId: string | null;
  /** 1 on the first try. */
  attempt: number;
}

/**
 * What an adapter made of a delivery, as a value: taken by the provider,
 * worth another try (5xx, timeout, connection refused, 429), or failed for
 * good (4xx, refused by the outbound guard, a hard SMTP rejection). Only
 * bugs throw.
 */
export type DeliveryResult =
  | { kind: 'sent'; response: DeliveryResponse }
  | { kind: 'retry'; reason: string; response?: DeliveryResponse }
  | { kind: 'failed'; reason: string; response?: DeliveryResponse };

/** What the other side answered, kept on the message (bodies cut to 2,000 characters). */
export interface DeliveryResponse {
  status?: number;
  body?: string;
  /** SMTP: the server's reply line; its queue id. */
  smtp?: string;
  ms?: number;
  [key: string]: unknown;
}

export interface Adapter {
  deliver(delivery: Delivery): Promise<DeliveryResult>;
  close(): Promise<void>;
}

/** A purpose and the customer's choice for it on the message's channel, for the preference page. */
export interface PurposeChoice {
  purpose: string;
  status: 'granted' | 'denied' | 'unknown';
}

/**
 * Responses to an email, reported by the public tracking and unsubscribe
 * endpoints. Each returns false when the message no longer exists (erased):
 * the endpoint still answers (a redirect still redirects).
 */
export interface EmailResponses {
  opened(messageId: string, at: number): Promise<boolean>;
  clicked(messageId: string, url: string, at: number): Promise<boolean>;
  /** The purposes the preference page offers and the customer's current choices; undefined when the message is gone. */
  preferences(messageId: string): Promise<{ channel: string; choices: PurposeChoice[] } | undefined>;
  /** One-click unsubscribe: marketing consent denied on the message's channel. Idempotent. */
  unsubscribe(messageId: string, at: number): Promise<boolean>;
  /** The preference page's form: each purpose granted or denied. */
  choose(messageId: string, choices: Record<string, 'granted' | 'denied'>, at: number): Promise<boolean>;
}
