/** The channels a source or an event can belong to, and how an event's channel is decided. */
export const CHANNELS = ['web', 'app', 'email', 'sms', 'push', 'store', 'call_center', 'ads', 'social', 'search', 'direct_mail', 'other'] as const;

export type Channel = (typeof CHANNELS)[number];

const channelSet: ReadonlySet<string> = new Set(CHANNELS);

/** Values SDKs put in context.channel that name a kind of client rather than a channel. */
const SDK_ALIASES: Record<string, Channel | null> = {
  browser: 'web',
  mobile: 'app',
  ios: 'app',
  android: 'app',
  pos: 'store',
  server: null,
};

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && channelSet.has(value);
}

/**
 * An event's channel: `context.channel` when it names a channel (or an SDK
 * alias of one), else the channel of the source it was sent to.
 */
export function inferChannel(contextChannel: unknown, sourceChannel: Channel): Channel {
  if (typeof contextChannel !== 'string') return sourceChannel;
  const value = contextChannel
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (isChannel(value)) return value;
  return SDK_ALIASES[value] ?? sourceChannel;
}
