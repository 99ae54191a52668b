/** What the content module hands its callers: stored items, the scope a template sees, rendered variants. */
import type { ContentChannel } from './schema.js';
import type { Variants } from './schema.js';

export interface ContentItem {
  id: string;
  name: string;
  description: string | null;
  /** At least one; a channel without a variant cannot be rendered. */
  variants: Partial<Variants>;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

/** The profile as templates see it under `profile` (and its traits under `traits` too). */
export interface ProfileScope {
  id: string;
  traits: Record<string, unknown>;
  computedTraits: Record<string, unknown>;
  stage: string | null;
  household: string | null;
}

export interface JourneyScope {
  id: string;
  name: string;
  version: number;
  step: string;
}

export interface RenderScope {
  profile: ProfileScope;
  /** The triggering event's message (event, properties, timestamp, ...), when there is one. */
  event?: Record<string, unknown>;
  journey?: JourneyScope;
}

/** An email as rendered: its templates' output, and its sender fields and tracking switches as the item has them. */
export interface RenderedEmail {
  subject: string;
  preheader?: string;
  html: string;
  text: string;
  from?: string;
  replyTo?: string;
  /** Absent: true. */
  trackLinks?: boolean;
  /** Absent: true. */
  trackOpens?: boolean;
  /**
   * The hosts the HTML template writes out in its links (lower case). Only
   * links to them are tracked: a link whose host came from the customer's
   * data (an event property) must not make the brand's tracking domain
   * redirect to it. Absent (renderings made before): every link.
   */
  linkHosts?: string[];
}

/** Each channel's variant with every template rendered; the email's plain text is always there. */
export interface RenderedVariants {
  email: RenderedEmail;
  sms: { text: string };
  push: { title: string; body: string; deepLink?: string };
  webhook: { payload: unknown };
}

/** A rendered variant, with the variable paths its templates read that the scope lacks (rendered as empty). */
export type Rendered<C extends ContentChannel = ContentChannel> = {
  [K in C]: { channel: K; variant: RenderedVariants[K]; missing: string[] };
}[C];
