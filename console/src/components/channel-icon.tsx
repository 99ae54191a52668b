/**
 * One small drawn icon per channel (src/collect CHANNELS), inline SVG so that
 * nothing is fetched. The icon is decoration; its text label is what screen
 * readers read (and what shows beside it when `label` is set).
 */
import type { ComponentChildren } from 'preact';

export const CHANNEL_LABELS: Record<string, string> = {
  web: 'Web',
  app: 'App',
  email: 'Email',
  sms: 'SMS',
  push: 'Push',
  store: 'Store',
  call_center: 'Call centre',
  ads: 'Ads',
  social: 'Social',
  search: 'Search',
  direct_mail: 'Direct mail',
  other: 'Other',
};

export const channelLabel = (channel: string) => CHANNEL_LABELS[channel] ?? channel;

/** Strokes on a 24 × 24 grid. */
const SHAPES: Record<string, ComponentChildren> = {
  web: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3c3 3.2 3 14.8 0 18M12 3c-3 3.2-3 14.8 0 18" />
    </>
  ),
  app: (
    <>
      <rect x="7" y="2.5" width="10" height="19" rx="2" />
      <path d="M11 18.5h2" />
    </>
  ),
  email: (
    <>
      <rect x="3" y="5" width="18" height="14" rx="1.5" />
      <path d="M3.5 6l8.5 7 8.5-7" />
    </>
  ),
  sms: <path d="M4 5h16v11H10l-4 3.5V16H4z" />,
  push: (
    <>
      <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z" />
      <path d="M10 20.5a2 2 0 0 0 4 0" />
    </>
  ),
  store: (
    <>
      <path d="M3.5 9l1.5-5h14l1.5 5M3.5 9h17M3.5 9a2.8 2.8 0 0 0 5.7 0 2.8 2.8 0 0 0 5.6 0 2.8 2.8 0 0 0 5.7 0" />
      <path d="M5 11.5V20h14v-8.5M10 20v-5h4v5" />
    </>
  ),
  call_center: (
    <>
      <path d="M4 14v-2a8 8 0 0 1 16 0v2" />
      <rect x="3" y="13" width="4" height="6" rx="1" />
      <rect x="17" y="13" width="4" height="6" rx="1" />
      <path d="M19 19c0 1.5-2 2.5-5 2.5" />
    </>
  ),
  ads: (
    <>
      <path d="M3 10v4h3l7 4V6L6 10z" />
      <path d="M16.5 9a4 4 0 0 1 0 6M19 6.5a7.5 7.5 0 0 1 0 11" />
    </>
  ),
  social: (
    <>
      <circle cx="6" cy="12" r="2.5" />
      <circle cx="18" cy="6" r="2.5" />
      <circle cx="18" cy="18" r="2.5" />
      <path d="M8.2 10.8l7.6-3.6M8.2 13.2l7.6 3.6" />
    </>
  ),
  search: (
    <>
      <circle cx="10.5" cy="10.5" r="6" />
      <path d="M15 15l5.5 5.5" />
    </>
  ),
  direct_mail: (
    <>
      <path d="M4 9a4 4 0 0 1 8 0v10H4z" />
      <path d="M8 5h8a4 4 0 0 1 4 4v10h-8M15 12V5.5M15 5.5h3" />
    </>
  ),
  other: (
    <>
      <circle cx="12" cy="12" r="9" />
      <circle cx="8" cy="12" r="0.8" />
      <circle cx="12" cy="12" r="0.8" />
      <circle cx="16" cy="12" r="0.8" />
    </>
  ),
};

/** The channel's icon, with its name for screen readers (and shown beside it with `label`). */
export function ChannelIcon(props: { channel: string; label?: boolean; size?: number }) {
  const name = channelLabel(props.channel);
  const size = props.size ?? 18;
  return (
    <span class="channel-icon" title={name}>
      <svg
        viewBox="0 0 24 24"
        width={size}
        height={size}
        fill="none"
        stroke="currentColor"
        stroke-width="1.6"
        stroke-linecap="round"
        stroke-linejoin="round"
        aria-hidden="true"
        focusable="false"
      >
        {SHAPES[props.channel] ?? SHAPES.other}
      </svg>
      {props.label ? <span>{name}</span> : <span class="sr-only">{name}</span>}
    </span>
  );
}
