/** A saved segment's size over time and its first members. */
import { Chart } from '../../components/chart.js';
import { Card, Empty, ErrorBox, formatTime, Loading } from '../../components/ui.js';
import { useApi } from '../../hooks.js';
import { href } from '../../router.js';

export function SegmentSizes(props: { id: string }) {
  const sizes = useApi<{ sizes: { day: string; size: number }[] }>(`/api/segments/${encodeURIComponent(props.id)}/sizes`);
  const rows = sizes.data?.sizes ?? [];
  return (
    <Card title="Size over time">
      <ErrorBox error={sizes.error} />
      {sizes.loading && !sizes.data && <Loading />}
      {sizes.data && rows.length < 2 && <Empty>Sizes are recorded once a day; {rows.length === 0 ? 'none yet' : 'one so far'}.</Empty>}
      {rows.length >= 2 && (
        <Chart
          label={`Segment size per day, from ${rows[0]!.size} on ${rows[0]!.day} to ${rows[rows.length - 1]!.size} on ${rows[rows.length - 1]!.day}`}
          height={200}
          option={{
            grid: { left: 50, right: 16, top: 16, bottom: 30 },
            tooltip: { trigger: 'axis' },
            xAxis: { type: 'category', data: rows.map((r) => r.day) },
            yAxis: { type: 'value', minInterval: 1 },
            series: [{ type: 'line', name: 'Customers', data: rows.map((r) => r.size), showSymbol: false, areaStyle: { opacity: 0.15 } }],
          }}
        />
      )}
    </Card>
  );
}

export function SegmentMembers(props: { id: string }) {
  const members = useApi<{ members: { profileId: string; since: string }[]; next: string | null }>(`/api/segments/${encodeURIComponent(props.id)}/members`, {
    limit: 25,
  });
  return (
    <Card title="Members">
      <ErrorBox error={members.error} />
      {members.loading && !members.data && <Loading />}
      {members.data && members.data.members.length === 0 && <Empty>No member yet.</Empty>}
      {members.data && members.data.members.length > 0 && (
        <>
          <ul class="members">
            {members.data.members.map((m) => (
              <li key={m.profileId}>
                <a href={href(`/customers/${encodeURIComponent(m.profileId)}`)}>{m.profileId}</a> <span class="muted">since {formatTime(m.since)}</span>
              </li>
            ))}
          </ul>
          {members.data.next && (
            <p class="hint">
              The first {members.data.members.length} members; all of them as CSV:{' '}
              <a href={`/api/segments/${encodeURIComponent(props.id)}/members?format=csv`} download>
                download
              </a>
              .
            </p>
          )}
        </>
      )}
    </Card>
  );
}
