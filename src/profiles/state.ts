/**
 * A profile's state as a pure function of its events: traits (latest value by
 * event time, with the source that set it), channels used with first and last
 * seen, first touch, consent, household and order value. Applying events in
 * any order, or merging two states, gives the same result, so rebuilds,
 * merges and unmerges are exact.
 */
import { consentChanges, asObject as object } from './consent.js';
import { householdOf } from './household.js';
import { addAmounts } from './computed/definition.js';

/** A value with the event that set it: the latest by event time wins. */
export interface Stamped<T> {
  value: T;
  at: number;
  seq: number;
  sourceId: string;
}

export type TraitValue = Stamped<unknown>;

export interface ChannelUse {
  first: number;
  last: number;
  events: number;
}

export interface Touch {
  at: number;
  seq: number;
  channel: string;
  sourceId: string;
  source: string;
  medium: string;
  campaign: string | null;
}

export interface ProfileState {
  traits: Record<string, TraitValue>;
  channels: Record<string, ChannelUse>;
  firstTouch: Touch | null;
  firstSeen: number;
  lastSeen: number;
  eventCount: number;
  /** channel -> purpose -> granted/denied. */
  consent: Record<string, Record<string, Stamped<'granted' | 'denied'>>>;
  household: Stamped<string> | null;
  /** "Order Completed" events and their revenue (properties.revenue, else total). */
  orders: { count: number; revenue: number };
  /** The customer's events by hour of the day (UTC, 24 counts): when they are active, for the best send time. Absent in states kept before it existed. */
  hours?: number[];
}

export interface StateOptions {
  householdByAddress: boolean;
}

export interface StateEvent {
  seq: number;
  sourceId: string;
  channel: string;
  timestamp: number;
  message: Record<string, unknown>;
}

export const emptyState = (): ProfileState => ({
  traits: {},
  channels: {},
  firstTouch: null,
  firstSeen: Number.MAX_SAFE_INTEGER,
  lastSeen: 0,
  eventCount: 0,
  consent: {},
  household: null,
  orders: { count: 0, revenue: 0 },
});

/** Traits that are read as something else and not kept as traits. */
const NOT_TRAITS = new Set(['consent']);

const later = (a: { at: number; seq: number }, b: { at: number; seq: number }) => a.at > b.at || (a.at === b.at && a.seq > b.seq);
const latest = <T>(a: Stamped<T> | null | undefined, b: Stamped<T>): Stamped<T> => (!a || later(b, a) ? b : a);

export function applyEvent(state: ProfileState, event: StateEvent, options: StateOptions = { householdByAddress: false }): ProfileState {
  const traits = { ...state.traits };
  const incoming = { ...object(object(event.message.context).traits), ...(event.message.type === 'identify' ? object(event.message.traits) : {}) };
  const stamp = <T>(value: T): Stamped<T> => ({ value, at: event.timestamp, seq: event.seq, sourceId: event.sourceId });
  for (const [name, value] of Object.entries(incoming)) {
    if (!NOT_TRAITS.has(name)) traits[name] = latest(traits[name], stamp(value));
  }
  const consent = { ...state.consent };
  for (const c of consentChanges(event.message)) {
    consent[c.channel] = { ...consent[c.channel], [c.purpose]: latest(consent[c.channel]?.[c.purpose], stamp(c.status)) };
  }
  const householdId = householdOf(event.message, options.householdByAddress);
  const isOrder = event.message.type === 'track' && event.message.event === 'Order Completed';
  const use = state.channels[event.channel];
  const channels = {
    ...state.channels,
    [event.channel]: use
      ? { first: Math.min(use.first, event.timestamp), last: Math.max(use.last, event.timestamp), events: use.events + 1 }
      : { first: event.timestamp, last: event.timestamp, events: 1 },
  };
  const touch = touchOf(event);
  const firstTouch = !state.firstTouch || later(state.firstTouch, touch) ? touch : state.firstTouch;
  return {
    traits,
    channels,
    firstTouch,
    consent,
    firstSeen: Math.min(state.firstSeen, event.timestamp),
    lastSeen: Math.max(state.lastSeen, event.timestamp),
    eventCount: state.eventCount + 1,
    household: householdId ? latest(state.household, stamp(householdId)) : state.household,
    orders: isOrder ? { count: state.orders.count + 1, revenue: addAmounts(state.orders.revenue, orderValue(event.message)) } : state.orders,
    hours: countHour(state.hours, event.timestamp),
  };
}

function countHour(hours: readonly number[] | undefined, at: number): number[] {
  const next = hours ? [...hours] : new Array<number>(24).fill(0);
  next[new Date(at).getUTCHours()]! += 1;
  return next;
}

/**
 * A change an admin made (consent recorded through the API, a trait a journey
 * set): it changes what it says and nothing else. It is not the customer's activity: no channel,
 * no event count, no last seen.
 */
export function applyAdminChange(state: ProfileState, event: StateEvent): ProfileState {
  const changes = consentChanges(event.message);
  const incoming = event.message.type === 'identify' ? Object.entries(object(event.message.traits)) : [];
  if (changes.length === 0 && incoming.length === 0) return state;
  const consent = { ...state.consent };
  const traits = { ...state.traits };
  const stamp = <T>(value: T): Stamped<T> => ({ value, at: event.timestamp, seq: event.seq, sourceId: event.sourceId });
  for (const c of changes) consent[c.channel] = { ...consent[c.channel], [c.purpose]: latest(consent[c.channel]?.[c.purpose], stamp(c.status)) };
  for (const [name, value] of incoming) if (!NOT_TRAITS.has(name)) traits[name] = latest(traits[name], stamp(value));
  return { ...state, consent, traits };
}

function orderValue(message: Record<string, unknown>): number {
  const props = object(message.properties);
  const value = typeof props.revenue === 'number' ? props.revenue : props.total;
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function mergeStates(a: ProfileState, b: ProfileState): ProfileState {
  const traits = { ...a.traits };
  for (const [name, value] of Object.entries(b.traits)) traits[name] = latest(traits[name], value);
  const consent = { ...a.consent };
  for (const [channel, purposes] of Object.entries(b.consent)) {
    consent[channel] = { ...consent[channel] };
    for (const [purpose, value] of Object.entries(purposes)) consent[channel]![purpose] = latest(consent[channel]![purpose], value);
  }
  const channels = { ...a.channels };
  for (const [name, use] of Object.entries(b.channels)) {
    const current = channels[name];
    channels[name] = current ? { first: Math.min(current.first, use.first), last: Math.max(current.last, use.last), events: current.events + use.events } : use;
  }
  const touches = [a.firstTouch, b.firstTouch].filter((t): t is Touch => t !== null);
  const firstTouch = touches.reduce<Touch | null>((first, t) => (!first || later(first, t) ? t : first), null);
  return {
    traits,
    channels,
    firstTouch,
    consent,
    firstSeen: Math.min(a.firstSeen, b.firstSeen),
    lastSeen: Math.max(a.lastSeen, b.lastSeen),
    eventCount: a.eventCount + b.eventCount,
    household: b.household ? latest(a.household, b.household) : a.household,
    orders: { count: a.orders.count + b.orders.count, revenue: addAmounts(a.orders.revenue, b.orders.revenue) },
    ...((a.hours || b.hours) && { hours: Array.from({ length: 24 }, (_, h) => (a.hours?.[h] ?? 0) + (b.hours?.[h] ?? 0)) }),
  };
}

/** Where an event came from, as campaign analytics name it: context.campaign, else UTM parameters, else the referrer. */
export function touchOf(event: StateEvent): Touch {
  const context = object(event.message.context);
  const campaign = object(context.campaign);
  const page = object(context.page);
  const utm = utmParameters(page.url ?? object(event.message.properties).url);
  const referrer = hostOf(page.referrer);
  const source = text(campaign.source) ?? utm.utm_source ?? referrer ?? '(direct)';
  const medium = text(campaign.medium) ?? utm.utm_medium ?? (referrer ? 'referral' : '(none)');
  return {
    at: event.timestamp,
    seq: event.seq,
    channel: event.channel,
    sourceId: event.sourceId,
    source,
    medium,
    campaign: text(campaign.name) ?? utm.utm_campaign ?? null,
  };
}

function utmParameters(url: unknown): Record<string, string | undefined> {
  if (typeof url !== 'string') return {};
  try {
    const params = new URL(url).searchParams;
    return Object.fromEntries(['utm_source', 'utm_medium', 'utm_campaign'].map((k) => [k, params.get(k) ?? undefined]));
  } catch {
    return {};
  }
}

function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string' || url === '') return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
