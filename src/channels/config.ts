/**
 * A configured channel, by kind: one schema per adapter, so the
 * configuration is checked (and documented) by the adapter that reads it.
 */
import { createPrivateKey } from 'node:crypto';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
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

function isPrivateKey(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What is wrong with the channels setting, one problem per field, each named
 * by its path: the kind picks the schema, so a problem is said of that kind's
 * fields rather than of a union. Values are not repeated: they may be secrets.
 */
export function channelProblems(channels: unknown): string[] {
  if (!isObject(channels)) return ['channels: must be an object of channels by name, e.g. {"sms": {"kind": "webhook", ...}}'];
  return Object.entries(channels).flatMap(([name, c]) => {
    const at = `channels/${name}`;
    const problems = new RegExp(CHANNEL_NAME_PATTERN).test(name)
      ? []
      : [`${at}: a channel name is a lower-case letter, then lower-case letters, digits, _ or - (at most 50)`];
    const kind = isObject(c) ? c.kind : undefined;
    const schema = typeof kind === 'string' ? BY_KIND[kind] : undefined;
    if (!schema)
      return [...problems, `${at}/kind: must be one of ${Object.keys(BY_KIND).join(', ')}${kind === undefined ? '' : `, got ${JSON.stringify(kind)}`}`];
    const seen = new Set<string>();
    for (const e of Value.Errors(schema, c)) {
      if (seen.has(e.path)) continue;
      seen.add(e.path);
      const described = e.type === ValueErrorType.StringPattern && e.schema.description;
      problems.push(`${at}${e.path}: ${described ? `not of the form expected (${e.schema.description})` : e.message}`);
    }
    if (kind === 'smtp' && ((c as { user?: unknown }).user === undefined) !== ((c as { pass?: unknown }).pass === undefined))
      problems.push(`${at}: give both user and pass, or neither`);
    const key = (c as { dkim?: { privateKey?: unknown } }).dkim?.privateKey;
    // A key that does not load would have mail go out unsigned, reported as sent.
    if (typeof key === 'string' && !isPrivateKey(key)) problems.push(`${at}/dkim/privateKey: not a private key in PEM (-----BEGIN PRIVATE KEY-----)`);
    return problems;
  });
}
