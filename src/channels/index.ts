/**
 * channels: the ways out. Each configured channel (SMTP email, signed
 * webhooks for SMS, push, in-store screens, call-centre tasks, ...) takes
 * the messages the policy let through from a durable queue, at its own
 * rate, with retries and a dead letter; every try lands in the contact
 * history. Responses (opens, clicks, replies, unsubscribes, bounces,
 * provider callbacks) come back through here too. Owns the deliveries,
 * address_suppressions and channel_keys tables. The adapters themselves are
 * chosen in main.ts; nothing here imports one.
 */
export { createChannels, keyOf, type Channels, type ChannelsDeps, type ConfiguredChannel, type ContentChannel } from './service.js';
export { channelMigrations } from './tables.js';
export type { NewDelivery, DeadLetter } from './queue.js';
export type { Attempted } from './dispatcher.js';
export { CALLBACK_STATUSES, type CallbackStatus, type ResponseEvent } from './responses.js';
export type { Adapter, Delivery, DeliveryResponse, DeliveryResult, EmailResponses, PurposeChoice } from './types.js';
export { JOURNEY_CALLS, type CallRequest } from './webhook/call.js';
/** Checks a provider's callback: Standard Webhooks, with the channel's secret. */
export { verifyWebhook } from './webhook/sign.js';
export { createOutbound, OutboundRefused, OutboundTimeout, type Outbound, type OutboundRequest, type OutboundResponse } from './outbound.js';
export { createAllowList } from './ssrf.js';
export { retryDelay } from './backoff.js';
export { CHANNEL_NAME_PATTERN, ChannelConfigSchema, channelProblems, withChannelDefaults, type ChannelConfig } from './config.js';
