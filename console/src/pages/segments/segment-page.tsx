/** One segment: the builder (or the JSON) with its live count, save and delete; a saved one's size over time and members. */
import { useCallback, useState } from 'preact/hooks';
import { del, post, put } from '../../api.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { JsonEditor } from '../../components/json-editor.js';
import { ProblemList } from '../../components/problems.js';
import { Card, ErrorBox, formatNumber, Loading, Page } from '../../components/ui.js';
import { useAction, useApi } from '../../hooks.js';
import { navigate } from '../../router.js';
import { useCanEdit } from '../../session.js';
import { ConditionBuilder } from './condition-builder.js';
import type { Cond } from './condition-model.js';
import { StatusBadge } from './list.js';
import { LiveCount } from './live-count.js';
import { SegmentMembers, SegmentSizes } from './segment-members.js';
import type { Segment } from './types.js';

const START: Cond = { all: [{ trait: 'email', op: 'exists' }] };

export function SegmentPage(props: { id?: string }) {
  const segment = useApi<Segment>(props.id ? `/api/segments/${encodeURIComponent(props.id)}` : null);
  if (!props.id) return <SegmentEditor />;
  if (segment.error) {
    return (
      <Page title="Segment">
        <ErrorBox error={segment.error} />
      </Page>
    );
  }
  if (!segment.data) return <Loading what="the segment" />;
  return <SegmentEditor key={segment.data.id + segment.data.updatedAt} segment={segment.data} onSaved={segment.reload} />;
}

function useBuilderOptions(readOnly: boolean) {
  const lifecycle = useApi<{ stages: { name: string }[] }>('/api/lifecycle');
  const segments = useApi<{ segments: Segment[] }>('/api/segments');
  return {
    stages: lifecycle.data?.stages.map((s) => s.name) ?? [],
    segments: segments.data?.segments.map((s) => s.name) ?? [],
    readOnly,
  };
}

function SegmentEditor(props: { segment?: Segment; onSaved?(): void }) {
  const canEdit = useCanEdit();
  const existing = props.segment;
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [condition, setCondition] = useState<Cond>(existing?.condition ?? START);
  const [view, setView] = useState<'builder' | 'json'>('builder');
  const options = useBuilderOptions(!canEdit);
  const save = useAction(
    useCallback(async () => {
      const body = { name, ...(description.trim() && { description }), condition };
      return existing ? put<Segment>(`/api/segments/${encodeURIComponent(existing.id)}`, body) : post<Segment>('/api/segments', body);
    }, [name, description, condition, existing]),
  );
  const remove = useAction(
    useCallback(async () => {
      await del(`/api/segments/${encodeURIComponent(existing?.id ?? '')}`);
      return true;
    }, [existing]),
  );
  const onSave = async (event: Event) => {
    event.preventDefault();
    const saved = await save.run();
    if (!saved) return;
    if (existing) props.onSaved?.();
    else navigate(`/segments/${encodeURIComponent(saved.id)}`);
  };
  const onDelete = async () => {
    if (await remove.run()) navigate('/segments');
  };
  const title = existing ? existing.name : 'New segment';
  if (existing?.kind === 'static') return <StaticSegment segment={existing} />;
  return (
    <Page title={title} actions={existing && <SegmentFigures segment={existing} />}>
      <div class="segment-editor">
        <form class="card stack" onSubmit={onSave} aria-label="Segment">
          <div class="row">
            <label class="grow">
              Name
              <input required value={name} disabled={!canEdit} onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            <label class="grow">
              Description
              <input value={description} disabled={!canEdit} onInput={(e) => setDescription(e.currentTarget.value)} />
            </label>
          </div>
          <div class="tabs" role="tablist" aria-label="Condition view">
            <button type="button" role="tab" aria-selected={view === 'builder'} onClick={() => setView('builder')}>
              Builder
            </button>
            <button type="button" role="tab" aria-selected={view === 'json'} onClick={() => setView('json')}>
              JSON
            </button>
          </div>
          {view === 'builder' ? (
            <ConditionBuilder condition={condition} onChange={setCondition} options={options} />
          ) : (
            <JsonEditor label="Condition (JSON)" value={condition} readOnly={!canEdit} onChange={(v) => setCondition(v as Cond)} />
          )}
          <ProblemList error={save.error} />
          <ErrorBox error={remove.error} />
          {canEdit ? (
            <div class="row">
              <button type="submit" class="primary" disabled={save.busy || name.trim() === ''}>
                {save.busy ? 'Saving…' : existing ? 'Save changes' : 'Save segment'}
              </button>
              {existing && <ConfirmButton label="Delete" confirm={`Delete ${existing.name}?`} onConfirm={onDelete} />}
            </div>
          ) : (
            <p class="hint">Your role reads segments; a marketer or an admin edits them.</p>
          )}
        </form>
        <LiveCount condition={condition} />
      </div>
      {existing && (
        <div class="grid wide">
          <SegmentSizes id={existing.id} />
          <SegmentMembers id={existing.id} />
        </div>
      )}
    </Page>
  );
}

function SegmentFigures(props: { segment: Segment }) {
  return (
    <span class="segment-figures">
      <StatusBadge segment={props.segment} /> <strong>{formatNumber(props.segment.size)}</strong> members
    </span>
  );
}

function StaticSegment(props: { segment: Segment }) {
  return (
    <Page title={props.segment.name} actions={<SegmentFigures segment={props.segment} />}>
      <Card>
        <p>
          A static segment: the customers holding the identifiers uploaded to it. Replace its members through the API (<code>PUT /api/segments/:id</code> with{' '}
          <code>identifiers</code>).
        </p>
      </Card>
      <div class="grid wide">
        <SegmentSizes id={props.segment.id} />
        <SegmentMembers id={props.segment.id} />
      </div>
    </Page>
  );
}
