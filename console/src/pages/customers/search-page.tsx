/** Customers: find one by the start of any identifier or name (debounced as you type), or browse them by last seen. */
import { useEffect, useState } from 'preact/hooks';
import { useDebounced } from '../../components/debounce.js';
import { ChannelIcon } from '../../components/channel-icon.js';
import { type Column, Table } from '../../components/table.js';
import { ErrorBox, Loading, Page, formatNumber, formatTime } from '../../components/ui.js';
import { useApi } from '../../hooks.js';
import { currentLocation, href } from '../../router.js';
import type { ProfileSummary } from './types.js';

const PAGE = 25;

const COLUMNS: Column<ProfileSummary>[] = [
  { key: 'name', label: 'Customer', render: (p) => <a href={href(`/customers/${encodeURIComponent(p.id)}`)}>{p.name || p.email || p.id}</a> },
  { key: 'email', label: 'Email' },
  { key: 'lastSeen', label: 'Last seen', render: (p) => formatTime(p.lastSeen) },
  { key: 'eventCount', label: 'Events', numeric: true },
  {
    key: 'channels',
    label: 'Channels',
    render: (p) => (
      <span class="channel-list">
        {p.channels.map((c) => (
          <ChannelIcon key={c} channel={c} />
        ))}
      </span>
    ),
  },
];

export function CustomersPage(props: { q: string }) {
  const [text, setText] = useState(props.q);
  const q = useDebounced(text.trim(), 250);
  // The address keeps the search, so that Back from a customer returns to the results (without a history entry per letter).
  useEffect(() => {
    // Only while the page is still shown: a search that settles just after a click on a customer must not take the address back.
    if (currentLocation().path === '/customers') history.replaceState(null, '', href('/customers', { q }));
  }, [q]);
  return (
    <Page title="Customers">
      <search class="customer-search">
        <label>
          Find a customer
          <input
            type="search"
            value={text}
            placeholder="Email, phone, user id, name… (the start is enough)"
            autocomplete="off"
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
      </search>
      {q ? <SearchResults q={q} /> : <RecentCustomers />}
    </Page>
  );
}

function SearchResults(props: { q: string }) {
  const found = useApi<{ profiles: ProfileSummary[] }>('/api/profiles', { q: props.q, limit: 50 });
  return (
    <section aria-live="polite" aria-busy={found.loading}>
      <ErrorBox error={found.error} />
      {found.loading && !found.data && <Loading what="matches" />}
      {found.data && (
        <Table
          caption={`Customers whose id, identifier or name starts with “${props.q}”${found.data.profiles.length === 50 ? ' (the first 50)' : ''}`}
          columns={COLUMNS}
          rows={found.data.profiles}
          rowKey={(p) => p.id}
          empty={`No customer has an identifier or name that starts with “${props.q}”.`}
        />
      )}
    </section>
  );
}

function RecentCustomers() {
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors[cursors.length - 1];
  const page = useApi<{ profiles: ProfileSummary[]; next: string | null }>('/api/profiles', { limit: PAGE, before });
  return (
    <section>
      <ErrorBox error={page.error} />
      {page.loading && !page.data && <Loading what="customers" />}
      {page.data && (
        <>
          <Table caption="Customers, last seen first" columns={COLUMNS} rows={page.data.profiles} rowKey={(p) => p.id} empty="No customers yet." />
          <div class="row pager">
            <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
              Newer
            </button>
            <span class="muted">
              Page {cursors.length + 1} · {formatNumber(page.data.profiles.length)} shown
            </span>
            <button type="button" disabled={!page.data.next} onClick={() => page.data?.next && setCursors([...cursors, page.data.next])}>
              Older
            </button>
          </div>
        </>
      )}
    </section>
  );
}
