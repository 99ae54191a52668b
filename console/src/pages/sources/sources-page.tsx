/**
 * Sources: where events come from, each with its channel and the start of
 * its write key, how many events each sent per day over 30 days, and what the
 * tracking API refused lately. Admins create sources and rotate keys (the
 * new key is shown once).
 */
import { useState } from 'preact/hooks';
import { post } from '../../api.js';
import { Chart } from '../../components/chart.js';
import { ChannelIcon, channelLabel } from '../../components/channel-icon.js';
import { type Column, Table } from '../../components/table.js';
import { Card, ErrorBox, Loading, Page, formatNumber, formatTime } from '../../components/ui.js';
import { useAction, useApi } from '../../hooks.js';
import { isAdmin, useSession } from '../../session.js';
import { Rejections } from './rejections.js';
import type { Source, Volume } from './types.js';
import { KeyOnce, NewSourceForm } from './write-key.js';

const volumeOption = (volume: Volume) => ({
  tooltip: { trigger: 'axis' },
  legend: { bottom: 0, type: 'scroll' },
  grid: { left: 48, right: 16, top: 16, bottom: 56 },
  xAxis: { type: 'category', data: volume.days.map((d) => d.slice(5)) },
  yAxis: { type: 'value' },
  series: volume.sources.map((s) => ({ name: s.name, type: 'bar', stack: 'events', data: s.counts })),
});

export function SourcesPage() {
  const admin = isAdmin(useSession().user.role);
  const sources = useApi<{ sources: Source[] }>('/api/sources');
  const volume = useApi<Volume>('/api/sources/volume', { days: 30 });
  const [shownKey, setShownKey] = useState<Source & { writeKey: string }>();
  const [selected, setSelected] = useState<string>();
  const rotate = useAction((id: string) => post<Source & { writeKey: string }>(`/api/sources/${encodeURIComponent(id)}/rotate-key`));
  const totals = new Map((volume.data?.sources ?? []).map((s) => [s.id, s.total]));
  const columns: Column<Source>[] = [
    { key: 'name', label: 'Source' },
    { key: 'channel', label: 'Channel', render: (s) => <ChannelIcon channel={s.channel} label /> },
    { key: 'writeKeyHint', label: 'Write key', render: (s) => <code>{s.writeKeyHint}</code> },
    { key: 'events', label: 'Events, 30 days', numeric: true, render: (s) => formatNumber(totals.get(s.id)) },
    { key: 'createdAt', label: 'Created', render: (s) => formatTime(s.createdAt) },
    {
      key: 'actions',
      label: 'Actions',
      render: (s) => (
        <span class="row">
          <button type="button" aria-pressed={selected === s.id} onClick={() => setSelected(selected === s.id ? undefined : s.id)}>
            Rejections<span class="sr-only"> of {s.name}</span>
          </button>
          {admin && (
            <button
              type="button"
              disabled={rotate.busy}
              onClick={async () => {
                if (!confirm(`Give ${s.name} a new write key? The current one stops working now.`)) return;
                const rotated = await rotate.run(s.id);
                if (rotated) {
                  setShownKey(rotated);
                  sources.reload();
                }
              }}
            >
              Rotate key<span class="sr-only"> of {s.name}</span>
            </button>
          )}
        </span>
      ),
    },
  ];
  const selectedSource = sources.data?.sources.find((s) => s.id === selected);
  return (
    <Page title="Sources">
      {shownKey && <KeyOnce source={shownKey} onDone={() => setShownKey(undefined)} />}
      <ErrorBox error={rotate.error} />
      {admin && (
        <Card title="New source">
          <NewSourceForm
            onCreated={(created) => {
              setShownKey(created);
              sources.reload();
              volume.reload();
            }}
          />
        </Card>
      )}
      <Card title="Events per day, last 30 days">
        <ErrorBox error={volume.error} />
        {volume.data ? (
          <Chart
            option={volumeOption(volume.data)}
            label={`Events received per day and source: ${volume.data.sources.map((s) => `${s.name} (${channelLabel(s.channel)}) ${s.total}`).join(', ')}`}
          />
        ) : (
          !volume.error && <Loading what="event volume" />
        )}
      </Card>
      <Card title="Sources">
        <ErrorBox error={sources.error} />
        {sources.data ? <Table columns={columns} rows={sources.data.sources} rowKey={(s) => s.id} empty="No sources yet." /> : <Loading what="sources" />}
      </Card>
      {selectedSource && (
        <Card title="Recent rejections">
          <Rejections key={selectedSource.id} source={selectedSource} />
        </Card>
      )}
    </Page>
  );
}
