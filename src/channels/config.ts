/**
 * A configured channel, by kind: one schema per adapter, so the
 * configuration is checked (and documented) by the adapter that reads it.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { SmtpChannelSchema } from './email/smtp.js';
import { WebhookChannelSchema } from './webhook/adapter.js';

const KINDS = [SmtpChannelSchema, WebhookChannelSchema] as const;
export const ChannelConfigSchema = Type.Union([...KINDS]);
export type ChannelConfig = Static<typeof ChannelConfigSchema>;

/** Names a channel may have: they appear in journeys (`via`) and in callback URLs. */
export const CHANNEL_NAME_PATTERN = '^[a-z][a-z0-9_-]{0,49}$';

const BY_KIND: Record<string, TSchema> = Object.fromEntries(KINDS.map((s) => [s.properties.kind.const, s]));

/** Each channel with its kind's defaults (TypeBox fills none inside a union held in a record). */
export function withChannelDefaults(channels: unknown): unknown {
  if (!channels || typeof channels !== 'object' || Array.isArray(channels)) return channels;
  return Object.fromEntries(
    Object.entries(channels).map(([name, c]) => {
      const schema = c && typeof c === 'object' ? BY_KIND[(c as { kind?: string }).kind ?? ''] : undefined;
      return [name, schema ? Value.Default(schema, Value.Convert(schema, structuredClone(c))) : c];
    }),
  );
}
