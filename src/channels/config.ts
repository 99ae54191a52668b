/**
 * A configured channel, by kind: one schema per adapter, so the
 * configuration is checked (and documented) by the adapter that reads it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { WebhookChannelSchema } from './webhook/adapter.js';

export const ChannelConfigSchema = Type.Union([WebhookChannelSchema]);
export type ChannelConfig = Static<typeof ChannelConfigSchema>;

/** Names a channel may have: they appear in journeys (`via`) and in callback URLs. */
export const CHANNEL_NAME_PATTERN = '^[a-z][a-z0-9_-]{0,49}$';
