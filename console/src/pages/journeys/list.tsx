/** Journeys: every journey with its status and its totals (entered, in it now, converted). */
import { type Column, Table } from '../../components/table.js';
import { ErrorBox, formatNumber, formatPercent, formatTime, Loading, Page } from '../../components/ui.js';
import { useApi } from '../../hooks.js';
import { href } from '../../router.js';
import { goalText } from './step-text.js';
import type { Journey } from './types.js';

const STATUS_CLASS: Record<string, string> = { live: 'ok', paused: 'warn', draft: '', archived: 'bad' };

export function StatusBadge(props: { status: string }) {
  return <span class={`badge ${STATUS_CLASS[props.status] ?? ''}`}>{props.status}</span>;
}

const COLUMNS: Column<Journey>[] = [
  { key: 'name', label: 'Journey', render: (j) => <a href={href(`/journeys/${encodeURIComponent(j.id)}`)}>{j.name}</a> },
  { key: 'status', label: 'Status', render: (j) => <StatusBadge status={j.status} /> },
  { key: 'entered', label: 'Entered', numeric: true, render: (j) => formatNumber(j.totals?.entered) },
  { key: 'active', label: 'In it now', numeric: true, render: (j) => formatNumber(j.totals?.active) },
  { key: 'converted', label: 'Converted', numeric: true, render: (j) => formatNumber(j.totals?.converted) },
  {
    key: 'rate',
    label: 'Rate',
    numeric: true,
    render: (j) => (j.totals?.entered ? formatPercent(j.totals.converted / j.totals.entered) : '–'),
  },
  { key: 'goal', label: 'Goal', render: (j) => goalText(j.definition) ?? <span class="muted">none</span> },
  { key: 'version', label: 'Version', numeric: true },
  { key: 'liveSince', label: 'Live since', render: (j) => formatTime(j.liveSince) },
];

export function JourneyList() {
  const journeys = useApi<{ journeys: Journey[] }>('/api/journeys');
  return (
    <Page title="Journeys">
      <ErrorBox error={journeys.error} />
      {journeys.loading && !journeys.data && <Loading what="journeys" />}
      {journeys.data && (
        <div class="card">
          <Table columns={COLUMNS} rows={journeys.data.journeys} rowKey={(j) => j.id} caption="Journeys by name" empty="No journey yet." />
        </div>
      )}
    </Page>
  );
}
