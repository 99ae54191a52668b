/**
 * content: the content library. Items with one variant per channel (email,
 * SMS, push, webhook) whose strings are Liquid templates, checked when saved
 * (the JSON pointer, line and column of each syntax error) and rendered for a
 * profile, the event that triggered a send and the journey step sending it:
 * HTML escaped by default, every variable the scope lacks reported. Journeys
 * render through `render`; the console previews through `preview`. Owns the
 * content_items table.
 */
export { createContent, type Content, type ContentDeps, type PreviewExtras } from './library.js';
export { contentMigrations } from './tables.js';
export { assertContentShape, contentProblems } from './check.js';
export type { ContentPage } from './repository.js';
export {
  ADDRESS_PATTERN,
  CONTENT_CHANNELS,
  ContentInputSchema,
  EmailVariantSchema,
  PushVariantSchema,
  SmsVariantSchema,
  VariantsSchema,
  WebhookVariantSchema,
  type ContentChannel,
  type ContentInput,
  type EmailVariant,
  type PushVariant,
  type SmsVariant,
  type Variants,
  type WebhookVariant,
} from './schema.js';
export type { ContentItem, JourneyScope, ProfileScope, Rendered, RenderedEmail, RenderedVariants, RenderScope } from './types.js';
