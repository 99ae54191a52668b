/**
 * One timeline of a customer's touchpoints, newest first: what they did on
 * every channel (inbound) and what the brand sent them or held back, with
 * the reason (outbound). "Older" reads the next page.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get } from '../../api.js';
import { ChannelIcon, channelLabel } from '../../components/channel-icon.js';
import { ErrorBox, Loading, formatTime } from '../../components/ui.js';
import type { InboundEntry, OutboundEntry, TimelineEntry } from './types.js';

const PAGE = 50;
const HELD = new Set(['suppressed', 'deferred', 'failed', 'bounced']);
const WENT_OUT = new Set(['sent', 'delivered', 'opened', 'clicked', 'replied', 'converted']);

interface Page {
  events: TimelineEntry[];
  next: string | null;
}

export function Timeline(props: { profileId: string; journeyNames: Map<string, string> }) {
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const [next, setNext] = useState<string | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const load = async (before?: string) => {
    setBusy(true);
    try {
      const page = await get<Page>(`/api/profiles/${encodeURIComponent(props.profileId)}/timeline`, { limit: PAGE, before });
      setEntries((shown) => (before ? [...shown, ...page.events] : page.events));
      setNext(page.next);
      setError(undefined);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK', String(e)));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    setEntries([]);
    void load();
  }, [props.profileId]);
  return (
    <div class="timeline">
      <ErrorBox error={error} />
      {next === undefined && busy && <Loading what="the timeline" />}
      {next !== undefined && entries.length === 0 && <p class="empty">No touchpoints yet.</p>}
      <ol aria-label="Touchpoints, newest first">
        {entries.map((entry) => (
          <li key={entry.direction === 'inbound' ? `e${entry.seq}` : `m${entry.id}`} class={`touch ${entry.direction}`}>
            <ChannelIcon channel={entry.channel} />
            <time dateTime={entry.timestamp}>{formatTime(entry.timestamp)}</time>
            {entry.direction === 'inbound' ? <Inbound entry={entry} /> : <Outbound entry={entry} journeyNames={props.journeyNames} />}
          </li>
        ))}
      </ol>
      {next && (
        <button type="button" disabled={busy} onClick={() => load(next)}>
          {busy ? 'Loading…' : 'Older touchpoints'}
        </button>
      )}
    </div>
  );
}

function Inbound(props: { entry: InboundEntry }) {
  const { entry } = props;
  const properties = entry.message?.properties ?? {};
  const total = properties.total ?? properties.revenue ?? properties.value;
  const what = describe(entry);
  // A stage change is Touchpoint's own record, not something the customer did on a channel.
  const from = entry.event === STAGE_CHANGED ? 'Lifecycle' : `In · ${channelLabel(entry.channel)}`;
  return (
    <span class="touch-what">
      <span class="direction">{from}</span> <strong>{what}</strong>
      {typeof total === 'number' && (
        <span class="muted"> · {total.toLocaleString('en', { style: 'currency', currency: String(properties.currency ?? 'EUR') })}</span>
      )}
    </span>
  );
}

const STAGE_CHANGED = 'Stage Changed';

/** What the customer did, in a few words; Touchpoint's own stage changes say which stage. */
function describe(entry: InboundEntry): string {
  const properties = entry.message?.properties ?? {};
  if (entry.event === STAGE_CHANGED && typeof properties.to === 'string') return `Stage changed to ${properties.to}`;
  if (entry.event) return entry.event;
  if (entry.type === 'page') return `Viewed ${entry.message?.name ?? 'a page'}`;
  if (entry.type === 'screen') return `Opened ${entry.message?.name ?? 'a screen'}`;
  return entry.type;
}

function Outbound(props: { entry: OutboundEntry; journeyNames: Map<string, string> }) {
  const { entry } = props;
  const title = entry.rendered?.subject ?? entry.rendered?.title ?? entry.rendered?.text?.slice(0, 80);
  const tone = HELD.has(entry.status) ? 'bad' : WENT_OUT.has(entry.status) ? 'ok' : 'warn';
  return (
    <span class="touch-what">
      <span class="direction">Out · {channelLabel(entry.channel)}</span> <strong>{title ?? `${channelLabel(entry.channel)} message`}</strong>{' '}
      <span class={`badge ${tone}`}>{entry.status}</span>
      {entry.reason && (
        <span class="reason">
          {' '}
          {entry.status === 'deferred' ? 'Deferred' : HELD.has(entry.status) ? 'Held back' : 'Note'}: <code>{entry.reason}</code>
          {entry.deferredUntil && ` until ${formatTime(entry.deferredUntil)}`}
        </span>
      )}
      {entry.journeyId && <span class="muted"> · {props.journeyNames.get(entry.journeyId) ?? entry.journeyId}</span>}
    </span>
  );
}
