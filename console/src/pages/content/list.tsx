/** Content: the library by name, with the channels each item has a variant for. */
import { type Column, Table } from '../../components/table.js';
import { ErrorBox, formatTime, Loading, Page } from '../../components/ui.js';
import { useApi } from '../../hooks.js';
import { href } from '../../router.js';
import type { ContentSummary } from './types.js';

const COLUMNS: Column<ContentSummary>[] = [
  { key: 'name', label: 'Content', render: (c) => <a href={href(`/content/${encodeURIComponent(c.id)}`)}>{c.name}</a> },
  {
    key: 'channels',
    label: 'Channels',
    render: (c) => (
      <span class="badges">
        {c.channels.map((ch) => (
          <span key={ch} class="badge">
            {ch}
          </span>
        ))}
      </span>
    ),
  },
  { key: 'description', label: 'Description' },
  { key: 'updatedAt', label: 'Changed', render: (c) => formatTime(c.updatedAt) },
];

export function ContentList() {
  const items = useApi<{ content: ContentSummary[]; next: string | null }>('/api/content', { limit: 200 });
  return (
    <Page title="Content">
      <ErrorBox error={items.error} />
      {items.loading && !items.data && <Loading what="content" />}
      {items.data && (
        <div class="card">
          <Table columns={COLUMNS} rows={items.data.content} rowKey={(c) => c.id} caption="Content items by name" empty="No content yet." />
          {items.data.next && <p class="hint">The first 200 items by name.</p>}
        </div>
      )}
    </Page>
  );
}
