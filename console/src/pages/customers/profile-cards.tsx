/** The Customer 360's cards: traits, identities, household, consent, lifecycle, segments, journeys. */
import { ChannelIcon } from '../../components/channel-icon.js';
import { type Column, Table } from '../../components/table.js';
import { Card, ErrorBox, formatNumber, formatTime } from '../../components/ui.js';
import { useApi } from '../../hooks.js';
import { href } from '../../router.js';
import type { ConsentEntry, Enrolment, Household, Profile } from './types.js';

const show = (value: unknown) => (value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value));

export function TraitsCard(props: { profile: Profile }) {
  const rows = [...Object.entries(props.profile.traits), ...Object.entries(props.profile.computedTraits).map(([k, v]) => [`${k} (computed)`, v] as const)];
  return (
    <Card title="Traits">
      {rows.length === 0 ? (
        <p class="empty">No traits.</p>
      ) : (
        <dl class="facts">
          {rows.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{show(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </Card>
  );
}

export function IdentitiesCard(props: { profile: Profile }) {
  return (
    <Card title="Identities">
      <dl class="facts">
        {props.profile.identities.map((i) => (
          <div key={`${i.kind}:${i.value}`}>
            <dt>{i.kind}</dt>
            <dd>{i.value}</dd>
          </div>
        ))}
      </dl>
      {props.profile.merges.length > 0 && <p class="hint">{props.profile.merges.length} profile(s) merged into this one.</p>}
    </Card>
  );
}

export function HouseholdCard(props: { profile: Profile }) {
  const id = props.profile.household?.id;
  const household = useApi<Household>(id ? `/api/households/${encodeURIComponent(id)}` : null);
  if (!id) return null;
  const others = household.data?.members.filter((m) => m.id !== props.profile.id) ?? [];
  return (
    <Card title="Household">
      <ErrorBox error={household.error} />
      {household.data && (
        <>
          <p>
            {formatNumber(household.data.totals.members)} {household.data.totals.members === 1 ? 'member' : 'members'} ·{' '}
            {formatNumber(household.data.totals.orders)} orders · revenue {formatNumber(household.data.totals.revenue)}
          </p>
          <ul class="plain">
            {others.map((m) => (
              <li key={m.id}>
                <a href={href(`/customers/${encodeURIComponent(m.id)}`)}>{m.name || m.email || m.id}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

interface ConsentRow {
  channel: string;
  purpose: string;
  entry: ConsentEntry;
}

const CONSENT_COLUMNS: Column<ConsentRow>[] = [
  { key: 'channel', label: 'Channel', render: (r) => <ChannelIcon channel={r.channel} label /> },
  { key: 'purpose', label: 'Purpose' },
  {
    key: 'status',
    label: 'Consent',
    render: (r) =>
      r.entry.status === 'unknown' ? (
        `not asked (${r.entry.default})`
      ) : (
        <span title={r.entry.at ? `since ${formatTime(r.entry.at)}` : undefined}>{r.entry.status}</span>
      ),
  },
  { key: 'allowed', label: 'May contact', render: (r) => <span class={`badge ${r.entry.allowed ? 'ok' : 'bad'}`}>{r.entry.allowed ? 'yes' : 'no'}</span> },
];

export function ConsentCard(props: { profile: Profile }) {
  const rows = Object.entries(props.profile.consent).flatMap(([channel, purposes]) =>
    Object.entries(purposes).map(([purpose, entry]) => ({ channel, purpose, entry })),
  );
  // Channels nobody asked about, on their opt-in default, say little: they are folded away.
  const told = rows.filter((r) => r.entry.status !== 'unknown' || r.entry.allowed);
  const quiet = rows.filter((r) => !told.includes(r));
  return (
    <Card title="Consent">
      <Table columns={CONSENT_COLUMNS} rows={told} rowKey={(r) => `${r.channel}:${r.purpose}`} empty="No consent recorded." />
      {quiet.length > 0 && (
        <p class="hint">
          No contact without consent on:{' '}
          {quiet.map((r) => (
            <ChannelIcon key={`${r.channel}:${r.purpose}`} channel={r.channel} />
          ))}
        </p>
      )}
    </Card>
  );
}

export function LifecycleCard(props: { profile: Profile }) {
  const { stage, stageHistory } = props.profile;
  return (
    <Card title="Lifecycle">
      <p>
        {stage ? (
          <>
            <span class="badge ok">{stage.name}</span> since {formatTime(stage.since)}
          </>
        ) : (
          <span class="muted">No stage yet.</span>
        )}
      </p>
      <ol class="stage-history" aria-label="Stage history, oldest first">
        {stageHistory.map((h) => (
          <li key={`${h.at}:${h.to}`}>
            <time dateTime={h.at}>{formatTime(h.at)}</time> {h.from ?? '(none)'} → <strong>{h.to ?? '(none)'}</strong> <span class="muted">({h.trigger})</span>
          </li>
        ))}
      </ol>
    </Card>
  );
}

export function SegmentsCard(props: { profile: Profile }) {
  return (
    <Card title="Segments">
      {props.profile.segments.length === 0 ? (
        <p class="empty">In no segment.</p>
      ) : (
        <ul class="plain">
          {props.profile.segments.map((s) => (
            <li key={s.id}>
              <a href={href(`/segments/${encodeURIComponent(s.id)}`)}>{s.name}</a> <span class="muted">since {formatTime(s.since)}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

const ENROLMENT_COLUMNS: Column<Enrolment>[] = [
  { key: 'journeyName', label: 'Journey', render: (e) => <a href={href(`/journeys/${encodeURIComponent(e.journeyId)}`)}>{e.journeyName}</a> },
  { key: 'status', label: 'Status', render: (e) => <span class={`badge ${e.status === 'active' ? 'ok' : ''}`}>{e.status}</span> },
  { key: 'stepId', label: 'Step', render: (e) => e.stepId ?? e.exitReason ?? '–' },
  { key: 'enteredAt', label: 'Entered', render: (e) => formatTime(e.enteredAt) },
];

export function JourneysCard(props: { enrolments?: Enrolment[] }) {
  return (
    <Card title="Journeys">
      {props.enrolments && <Table columns={ENROLMENT_COLUMNS} rows={props.enrolments} rowKey={(e) => e.id} empty="In no journey." />}
    </Card>
  );
}
