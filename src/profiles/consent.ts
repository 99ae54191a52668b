/**
 * Consent from events, with no I/O. A "Consent Updated" track event sets one
 * or more (channel, purpose) pairs; identify traits may carry
 * `consent: {channel: {purpose: status}}` (or `{channel: status}` for marketing).
 */
import { isChannel } from '../collect/index.js';

export type ConsentStatus = 'granted' | 'denied';
export interface ConsentChange {
  channel: string;
  purpose: string;
  status: ConsentStatus;
}

export const CONSENT_EVENT = 'Consent Updated';
export const DEFAULT_PURPOSE = 'marketing';

export function readConsentStatus(value: unknown): ConsentStatus | undefined {
  if (value === true || value === 'granted' || value === 'opt-in' || value === 'opted_in') return 'granted';
  if (value === false || value === 'denied' || value === 'opt-out' || value === 'opted_out') return 'denied';
  return undefined;
}

export function readPurpose(value: unknown): string | undefined {
  if (value === undefined || value === null) return DEFAULT_PURPOSE;
  return typeof value === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(value) ? value : undefined;
}

function change(channel: unknown, purpose: unknown, status: unknown): ConsentChange | undefined {
  const s = readConsentStatus(status);
  const p = readPurpose(purpose);
  return isChannel(channel) && s && p ? { channel, purpose: p, status: s } : undefined;
}

export function consentChanges(message: Record<string, unknown>): ConsentChange[] {
  const props = asObject(message.properties);
  if (message.type === 'track' && message.event === CONSENT_EVENT) {
    const list = Array.isArray(props.consents) ? props.consents.map(asObject) : [props];
    return list.map((c) => change(c.channel, c.purpose, c.status)).filter((c): c is ConsentChange => c !== undefined);
  }
  if (message.type === 'identify') {
    const changes: ConsentChange[] = [];
    for (const [channel, value] of Object.entries(asObject(asObject(message.traits).consent))) {
      if (value && typeof value === 'object') {
        for (const [purpose, status] of Object.entries(value)) changes.push(change(channel, purpose, status)!);
      } else changes.push(change(channel, DEFAULT_PURPOSE, value)!);
    }
    return changes.filter((c) => c !== undefined);
  }
  return [];
}

export const asObject = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export type ConsentDefault = 'opt-in' | 'opt-out';

/** Unknown consent means "not allowed" for opt-in channels and "allowed" for opt-out ones. */
export function consentDefaults(overrides: Record<string, ConsentDefault>, channels: readonly string[]): Record<string, ConsentDefault> {
  return Object.fromEntries(channels.map((c) => [c, overrides[c] ?? (c === 'direct_mail' ? 'opt-out' : 'opt-in')]));
}

/** Whether one channel and purpose allows contact, and what was recorded: `viewConsent` for one of them. */
export function consentOf(
  recorded: Record<string, Record<string, { value: 'granted' | 'denied' }>>,
  defaults: Record<string, ConsentDefault>,
  channel: string,
  purpose: string,
): { status: 'granted' | 'denied' | 'unknown'; allowed: boolean } {
  const fallback = defaults[channel];
  if (fallback === undefined) return { status: 'unknown', allowed: false };
  const r = recorded[channel]?.[purpose];
  return r ? { status: r.value, allowed: r.value === 'granted' } : { status: 'unknown', allowed: fallback === 'opt-out' };
}

export interface ConsentView {
  status: 'granted' | 'denied' | 'unknown';
  allowed: boolean;
  default: ConsentDefault;
  at: string | null;
  sourceId: string | null;
}

/** Every channel's marketing consent, plus any other purpose recorded, with what it allows. */
export function viewConsent(
  recorded: Record<string, Record<string, { value: 'granted' | 'denied'; at: number; sourceId: string }>>,
  defaults: Record<string, ConsentDefault>,
): Record<string, Record<string, ConsentView>> {
  const view: Record<string, Record<string, ConsentView>> = {};
  for (const [channel, fallback] of Object.entries(defaults)) {
    const purposes = new Set([DEFAULT_PURPOSE, ...Object.keys(recorded[channel] ?? {})]);
    view[channel] = {};
    for (const purpose of purposes) {
      const r = recorded[channel]?.[purpose];
      view[channel]![purpose] = r
        ? { status: r.value, allowed: r.value === 'granted', default: fallback, at: new Date(r.at).toISOString(), sourceId: r.sourceId }
        : { status: 'unknown', allowed: fallback === 'opt-out', default: fallback, at: null, sourceId: null };
    }
  }
  return view;
}
