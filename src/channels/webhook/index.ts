/**
 * The webhook adapter: a message as a JSON request signed per Standard
 * Webhooks (webhook channels, journeys' webhook calls), its retries as
 * values, and the signature's check for callbacks that come back.
 */
export { createWebhookAdapter, webhookEnvelope, WebhookChannelSchema, type WebhookChannel } from './adapter.js';
export { atPointer, createCallAdapter, JOURNEY_CALLS, traitsFrom } from './call.js';
export { retryAfterMs, sendSigned, type SignedSend } from './send.js';
export { newWebhookSecret, signWebhook, verifyWebhook, webhookHeaders, type WebhookHeaders, type WebhookVerification } from './sign.js';
