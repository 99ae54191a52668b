/** A source's latest refused messages: what the tracking API answered and why. */
import { type Column, Table } from '../../components/table.js';
import { ErrorBox, Loading, formatTime } from '../../components/ui.js';
import { useApi } from '../../hooks.js';
import type { Rejection, Source } from './types.js';

const COLUMNS: Column<Rejection>[] = [
  { key: 'at', label: 'When', render: (r) => formatTime(r.at) },
  { key: 'code', label: 'Code', render: (r) => <code>{r.code}</code> },
  { key: 'message', label: 'What to fix' },
  { key: 'index', label: 'In batch', numeric: true },
];

export function Rejections(props: { source: Source }) {
  const rejections = useApi<{ rejections: Rejection[] }>(`/api/sources/${encodeURIComponent(props.source.id)}/rejections`, { limit: 20 });
  return (
    <section aria-label={`Recent rejections of ${props.source.name}`}>
      <ErrorBox error={rejections.error} />
      {rejections.loading && !rejections.data && <Loading what="rejections" />}
      {rejections.data && (
        <Table
          caption={`${props.source.name}: the latest messages refused (the last 100 are kept)`}
          columns={COLUMNS}
          rows={rejections.data.rejections}
          empty={`Nothing refused from ${props.source.name} lately.`}
        />
      )}
    </section>
  );
}
