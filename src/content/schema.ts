/**
 * A content item as one TypeBox schema: the types (ContentInput and its
 * variants), the validation (check.ts) and the OpenAPI description all come
 * from it. Every string of a variant is a Liquid template (templates.ts says
 * which are HTML).
 */
import { Type, type Static } from '@sinclair/typebox';

/** The channels content has a variant for; an outbound message goes through one of them. */
export const CONTENT_CHANNELS = ['email', 'sms', 'push', 'webhook'] as const;
export type ContentChannel = (typeof CONTENT_CHANNELS)[number];

const strict = { additionalProperties: false } as const;
const Template = (maxLength: number, description: string) => Type.String({ maxLength, description });

/** An address or "Name <address>", on one line: sender fields are plain text, never templates. */
export const ADDRESS_PATTERN = '^(?:[^<>\\r\\n]*<[^\\s<>@]+@[^\\s<>@]+>|[^\\s<>@]+@[^\\s<>@]+)$';
const Address = (description: string) => Type.String({ maxLength: 320, pattern: ADDRESS_PATTERN, description });
// No `default` keyword: the API would write it into stored items; an absent switch means on.
const Switch = (description: string) => Type.Boolean({ description: `${description} Absent: true.` });

export const EmailVariantSchema = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 1000, description: 'Liquid template, plain text.' }),
    preheader: Type.Optional(Template(1000, 'Liquid template, plain text: the line mail clients show after the subject.')),
    html: Type.String({ minLength: 1, maxLength: 500_000, description: 'Liquid template; output is HTML-escaped unless piped through raw.' }),
    text: Type.Optional(Template(200_000, 'Liquid template, plain text. When absent, the plain-text part is made from the rendered HTML.')),
    from: Type.Optional(Address('The sender, instead of the channel\'s: an address or "Name <address>" (not a template).')),
    replyTo: Type.Optional(Address('Where replies go, instead of the channel\'s: an address or "Name <address>" (not a template).')),
    trackLinks: Type.Optional(Switch('Whether links go through signed click-tracking URLs.')),
    trackOpens: Type.Optional(Switch('Whether the message carries the open-tracking pixel.')),
  },
  strict,
);

export const SmsVariantSchema = Type.Object({ text: Type.String({ minLength: 1, maxLength: 5000, description: 'Liquid template.' }) }, strict);

export const PushVariantSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 1000, description: 'Liquid template.' }),
    body: Type.String({ minLength: 1, maxLength: 5000, description: 'Liquid template.' }),
    deepLink: Type.Optional(Template(2000, 'Liquid template: where tapping the notification leads.')),
  },
  strict,
);

export const WebhookVariantSchema = Type.Object(
  { payload: Type.Unknown({ description: 'Any JSON value; every string inside it is a Liquid template (keys are not).' }) },
  strict,
);

export const VariantsSchema = Type.Object(
  {
    email: Type.Optional(EmailVariantSchema),
    sms: Type.Optional(SmsVariantSchema),
    push: Type.Optional(PushVariantSchema),
    webhook: Type.Optional(WebhookVariantSchema),
  },
  { ...strict, minProperties: 1, description: 'One variant per channel; at least one.' },
);

export const ContentInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Unique; the API finds an item by id or by name.' }),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    variants: VariantsSchema,
  },
  { ...strict, $id: 'ContentInput' },
);

export type EmailVariant = Static<typeof EmailVariantSchema>;
export type SmsVariant = Static<typeof SmsVariantSchema>;
export type PushVariant = Static<typeof PushVariantSchema>;
export type WebhookVariant = Static<typeof WebhookVariantSchema>;
export type ContentInput = Static<typeof ContentInputSchema>;

/** Each channel's variant, by channel: the one map that ties a channel to its fields. */
export interface Variants {
  email: EmailVariant;
  sms: SmsVariant;
  push: PushVariant;
  webhook: WebhookVariant;
}
