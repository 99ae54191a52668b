/**
 * Conversion paths from the contact history, no I/O. A customer's
 * touchpoints are their own events (consecutive events on one channel
 * within 30 minutes are one visit, one touch) and the messages that went
 * out to them (sent, delivered, opened, clicked...). Each conversion takes
 * the touches in the look-back window before it that no earlier conversion
 * took; what is left after the last conversion is a path that did not
 * convert. Paths are labelled by channel, campaign or journey.
 */
import type { PathRow } from '../attribution/paths.js';
import type { MessageFact } from '../../history/index.js';
import type { ActivityEvent } from '../../profiles/index.js';
import { isTrack, orderValue, propertiesOf } from './facts.js';

export const ATTRIBUTE_BY = ['channel', 'campaign', 'journey'] as const;
export type AttributeBy = (typeof ATTRIBUTE_BY)[number];

const VISIT_GAP = 30 * 60_000;

export interface PathOptions {
  conversion: string;
  value: string;
  lookback: number;
  by: AttributeBy;
  from: number;
  to: number;
  journeyNames: ReadonlyMap<string, string>;
}

interface Touch {
  at: number;
  label: string;
}

function inboundLabel(visit: Visit, by: AttributeBy): string {
  if (by === 'campaign') return visit.campaign ?? `${visit.channel} (no campaign)`;
  return visit.channel;
}

/** A visit: events on one channel less than VISIT_GAP apart; its campaign is the one it arrived with (UTM tags are on the landing page only). */
interface Visit {
  channel: string;
  campaign: string | null;
  last: number;
}

/** Whether the event starts a visit: another channel, a long pause, or an arrival from another campaign. */
const startsVisit = (visit: Visit | undefined, e: ActivityEvent): boolean =>
  !visit || visit.channel !== e.channel || e.timestamp - visit.last > VISIT_GAP || (e.campaign !== null && e.campaign !== visit.campaign);

function outboundLabel(m: MessageFact, by: AttributeBy, names: ReadonlyMap<string, string>): string {
  if (by === 'channel') return m.channel;
  const journey = m.journeyId === null ? null : (names.get(m.journeyId) ?? m.journeyId);
  return journey === null ? `${m.channel} (no journey)` : `journey: ${journey}`;
}

function touchesOf(events: readonly ActivityEvent[], messages: readonly MessageFact[], o: PathOptions): Touch[] {
  const touches: Touch[] = [];
  let visit: Visit | undefined;
  for (const e of events) {
    if (isTrack(e, o.conversion)) continue;
    if (startsVisit(visit, e)) {
      visit = { channel: e.channel, campaign: e.campaign, last: e.timestamp };
      touches.push({ at: e.timestamp, label: inboundLabel(visit, o.by) });
    } else visit!.last = e.timestamp;
  }
  for (const m of messages) touches.push({ at: m.sentAt ?? m.requestedAt, label: outboundLabel(m, o.by, o.journeyNames) });
  return touches.sort((a, b) => a.at - b.at);
}

export interface CustomerPaths {
  paths: { channels: string[]; converted: boolean; value: number }[];
  /** Conversions with no touch before them in the look-back window. */
  untouched: { count: number; value: number };
}

/** One customer's paths: `events` in time order (conversions included), `messages` that went out to them. */
export function customerPaths(events: readonly ActivityEvent[], messages: readonly MessageFact[], o: PathOptions): CustomerPaths {
  const touches = touchesOf(events, messages, o);
  const out: CustomerPaths = { paths: [], untouched: { count: 0, value: 0 } };
  let taken = 0;
  for (const e of events) {
    if (!isTrack(e, o.conversion) || e.timestamp >= o.to) continue;
    while (taken < touches.length && touches[taken]!.at < e.timestamp - o.lookback) taken++;
    let end = taken;
    while (end < touches.length && touches[end]!.at < e.timestamp) end++;
    // A conversion before the period is not counted, but the touches before it were its own.
    if (e.timestamp < o.from) {
      taken = end;
      continue;
    }
    const value = orderValue(propertiesOf(e), o.value);
    if (end === taken) {
      out.untouched.count++;
      out.untouched.value += value;
    } else out.paths.push({ channels: touches.slice(taken, end).map((t) => t.label), converted: true, value });
    taken = end;
  }
  const rest = touches.slice(taken).filter((t) => t.at >= o.from && t.at < o.to);
  if (rest.length > 0) out.paths.push({ channels: rest.map((t) => t.label), converted: false, value: 0 });
  return out;
}

/** Identical paths as one row, as ChannelAttribution's path table has them. */
export function addPaths(table: Map<string, PathRow>, paths: CustomerPaths['paths']): void {
  for (const p of paths) {
    const key = p.channels.join(' > ');
    const row = table.get(key) ?? table.set(key, { channels: p.channels, conversions: 0, value: 0, nulls: 0 }).get(key)!;
    if (p.converted) {
      row.conversions++;
      row.value += p.value;
    } else row.nulls++;
  }
}
