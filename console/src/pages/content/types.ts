/** Content items as the content API answers them (docs/content.md). */
export const CONTENT_CHANNELS = ['email', 'sms', 'push', 'webhook'] as const;
export type ContentChannel = (typeof CONTENT_CHANNELS)[number];

export interface ContentItem {
  id: string;
  name: string;
  description: string | null;
  variants: Partial<Record<ContentChannel, Record<string, unknown>>>;
  createdAt: string;
  updatedAt: string;
}

export interface ContentSummary {
  id: string;
  name: string;
  description: string | null;
  channels: ContentChannel[];
  updatedAt: string;
}

export interface Preview {
  channel: ContentChannel;
  rendered: Record<string, unknown>;
  missing: string[];
}
