/** Segments: every segment with its size now and its back-fill status. */
import { type Column, Table } from '../../components/table.js';
import { ErrorBox, formatNumber, formatPercent, formatTime, Loading, Page } from '../../components/ui.js';
import { useApi } from '../../hooks.js';
import { href } from '../../router.js';
import { useCanEdit } from '../../session.js';
import type { Segment } from './types.js';

export function StatusBadge(props: { segment: Segment }) {
  const s = props.segment;
  if (s.status === 'ready') return <span class="badge ok">ready</span>;
  return <span class="badge warn">{`${s.status} ${formatPercent(s.progress, 0)}`}</span>;
}

const COLUMNS: Column<Segment>[] = [
  { key: 'name', label: 'Segment', render: (s) => <a href={href(`/segments/${encodeURIComponent(s.id)}`)}>{s.name}</a> },
  { key: 'size', label: 'Customers', numeric: true, render: (s) => formatNumber(s.size) },
  { key: 'kind', label: 'Kind' },
  { key: 'status', label: 'Status', render: (s) => <StatusBadge segment={s} /> },
  { key: 'description', label: 'Description' },
  { key: 'updatedAt', label: 'Changed', render: (s) => formatTime(s.updatedAt) },
];

export function SegmentList() {
  const segments = useApi<{ segments: Segment[] }>('/api/segments');
  const canEdit = useCanEdit();
  return (
    <Page
      title="Segments"
      actions={
        canEdit && (
          <a class="button-link primary" href={href('/segments/new')}>
            New segment
          </a>
        )
      }
    >
      <ErrorBox error={segments.error} />
      {segments.loading && !segments.data && <Loading what="segments" />}
      {segments.data && (
        <div class="card">
          <Table columns={COLUMNS} rows={segments.data.segments} rowKey={(s) => s.id} caption="Segments by name, with their size now" empty="No segment yet." />
        </div>
      )}
    </Page>
  );
}
