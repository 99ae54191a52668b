/** One journey: its figures, the flow diagram with per-step counts, pause / resume, versions and split arms. */
import { useCallback, useState } from 'preact/hooks';
import { post } from '../../api.js';
import { type Column, Table } from '../../components/table.js';
import { Card, ErrorBox, formatNumber, formatPercent, formatTime, Loading, Page, Stat } from '../../components/ui.js';
import { useAction, useApi } from '../../hooks.js';
import { useCanEdit } from '../../session.js';
import { FlowDiagram } from './flow-diagram.js';
import { StatusBadge } from './list.js';
import { entryText, goalText, KIND_LABELS, stepSummary } from './step-text.js';
import type { Journey, JourneyStats, StepStats } from './types.js';

/** The moves a person makes from here (archiving stays with the API: it ends the journey for everyone in it). */
const MOVES: Record<string, { to: Journey['status']; label: string }[]> = {
  draft: [{ to: 'live', label: 'Make live' }],
  live: [{ to: 'paused', label: 'Pause' }],
  paused: [{ to: 'live', label: 'Resume' }],
  archived: [],
};

export function JourneyPage(props: { id: string }) {
  const path = `/api/journeys/${encodeURIComponent(props.id)}`;
  const journey = useApi<Journey>(path);
  const stats = useApi<{ stats: JourneyStats }>(`${path}/stats`);
  const canEdit = useCanEdit();
  const [moved, setMoved] = useState<string>();
  const move = useAction(useCallback((status: string) => post<Journey>(`${path}/status`, { status }), [path]));
  if (journey.error) {
    return (
      <Page title="Journey">
        <ErrorBox error={journey.error} />
      </Page>
    );
  }
  const j = journey.data;
  if (!j) return <Loading what="the journey" />;
  const s = stats.data?.stats;
  const onMove = async (to: string) => {
    const after = await move.run(to);
    if (!after) return;
    setMoved(`${after.name} is now ${after.status}.`);
    journey.reload();
    stats.reload();
  };
  const actions = (
    <>
      <StatusBadge status={j.status} />
      {MOVES[j.status]!.map((m) => (
        <button key={m.to} type="button" class={m.to === 'paused' ? 'danger' : 'primary'} disabled={!canEdit || move.busy} onClick={() => onMove(m.to)}>
          {m.label}
        </button>
      ))}
    </>
  );
  return (
    <Page title={j.name} actions={actions}>
      {moved && (
        <p class="notice" role="status">
          {moved}
        </p>
      )}
      <ErrorBox error={move.error} />
      {!canEdit && <p class="hint">Your role reads journeys; a marketer or an admin pauses and resumes them.</p>}
      {j.description && <p class="muted">{j.description}</p>}
      <Card>
        <div class="stats">
          <Stat label="Entered" value={formatNumber(s?.entered)} />
          <Stat label="In it now" value={formatNumber(s?.active)} />
          <Stat label="Converted" value={formatNumber(s?.converted)} hint={s ? formatPercent(s.conversionRate) : undefined} />
          <Stat label="Value" value={formatNumber(s ? Math.round(s.value) : undefined)} />
          <Stat label="Messages sent" value={formatNumber(s?.messages.sent)} />
          <Stat label="Held back" value={formatNumber(s ? sum(s.messages.suppressed) : undefined)} />
        </div>
        <p class="hint">
          Entry: {entryText(j.definition)}. Goal: {goalText(j.definition) ?? 'none'}. Version {j.version}
          {j.liveSince && `, live since ${formatTime(j.liveSince)}`}.
        </p>
      </Card>
      <Card title="Flow">
        <ErrorBox error={stats.error} />
        <FlowDiagram definition={j.definition} stats={s?.steps} entered={s?.entered} />
      </Card>
      <Card title="Steps">
        <StepTable journey={j} steps={s?.steps ?? []} />
      </Card>
      {s && <Details stats={s} />}
    </Page>
  );
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const reasons = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${formatNumber(v)}`)
    .join(', ') || '–';

function StepTable(props: { journey: Journey; steps: StepStats[] }) {
  const stats = new Map(props.steps.map((s) => [s.id, s]));
  const rows = props.journey.definition.steps.map((step) => ({ step, stats: stats.get(step.id) }));
  const columns: Column<(typeof rows)[number]>[] = [
    { key: 'id', label: 'Step', render: (r) => r.step.id },
    { key: 'kind', label: 'Kind', render: (r) => KIND_LABELS[Object.keys(KIND_LABELS).find((k) => k in r.step) ?? ''] ?? '' },
    { key: 'what', label: 'What', render: (r) => stepSummary(r.step) },
    { key: 'reached', label: 'Reached', numeric: true, render: (r) => formatNumber(r.stats?.reached) },
    { key: 'now', label: 'Here now', numeric: true, render: (r) => formatNumber(r.stats?.now) },
    { key: 'sent', label: 'Sent', numeric: true, render: (r) => formatNumber(r.stats?.sent) },
    { key: 'suppressed', label: 'Held back (why)', render: (r) => reasons(r.stats?.suppressed ?? {}) },
  ];
  return <Table columns={columns} rows={rows} rowKey={(r) => r.step.id} caption="Every step with its counts" />;
}

function Details(props: { stats: JourneyStats }) {
  const s = props.stats;
  const arms = s.arms.filter((a) => a.arm !== null);
  return (
    <div class="grid wide">
      <Card title="Versions">
        <Table
          columns={[
            { key: 'version', label: 'Version', numeric: true },
            { key: 'entered', label: 'Entered', numeric: true },
            { key: 'converted', label: 'Converted', numeric: true },
            { key: 'value', label: 'Value', numeric: true, render: (v) => formatNumber(Math.round(v.value)) },
          ]}
          rows={s.versions}
          empty="Nobody has entered yet."
        />
      </Card>
      <Card title="Ended, by reason">
        <Table
          columns={[
            { key: 'reason', label: 'Reason' },
            { key: 'n', label: 'Customers', numeric: true },
          ]}
          rows={Object.entries(s.ended).map(([reason, n]) => ({ reason, n }))}
          empty="Nobody has left yet."
        />
      </Card>
      {arms.length > 0 && (
        <Card title="Split arms">
          <Table
            columns={[
              { key: 'arm', label: 'Arm' },
              { key: 'entered', label: 'Entered', numeric: true },
              { key: 'sent', label: 'Sent', numeric: true },
              { key: 'converted', label: 'Converted', numeric: true },
              { key: 'rate', label: 'Rate', numeric: true, render: (a) => (a.entered ? formatPercent(a.converted / a.entered) : '–') },
            ]}
            rows={arms}
          />
        </Card>
      )}
    </div>
  );
}
