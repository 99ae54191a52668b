/** One content item: its variants per channel, each with a live preview for a customer; marketers edit the item as JSON. */
import { useCallback, useState } from 'preact/hooks';
import { put } from '../../api.js';
import { JsonEditForm } from '../../components/json-edit-form.js';
import { Card, ErrorBox, Loading, Page } from '../../components/ui.js';
import { useApi } from '../../hooks.js';
import { useCanEdit } from '../../session.js';
import { PreviewPanel } from './preview.js';
import { CONTENT_CHANNELS, type ContentChannel, type ContentItem } from './types.js';

export function ContentPage(props: { id: string }) {
  const item = useApi<ContentItem>(`/api/content/${encodeURIComponent(props.id)}`);
  const canEdit = useCanEdit();
  const [editing, setEditing] = useState(false);
  const [chosen, setChosen] = useState<ContentChannel>();
  if (item.error) {
    return (
      <Page title="Content">
        <ErrorBox error={item.error} />
      </Page>
    );
  }
  const c = item.data;
  if (!c) return <Loading what="the content item" />;
  const channels = CONTENT_CHANNELS.filter((ch) => c.variants[ch] !== undefined);
  const channel = chosen && channels.includes(chosen) ? chosen : channels[0];
  const actions = canEdit && !editing && (
    <button type="button" class="primary" onClick={() => setEditing(true)}>
      Edit variants
    </button>
  );
  return (
    <Page title={c.name} actions={actions}>
      {c.description && <p class="muted">{c.description}</p>}
      {!canEdit && <p class="hint">Your role reads content; a marketer or an admin edits it.</p>}
      {editing && (
        <ContentEditor
          item={c}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            item.reload();
          }}
        />
      )}
      <div class="tabs" role="tablist" aria-label="Channel">
        {channels.map((ch) => (
          <button key={ch} type="button" role="tab" aria-selected={ch === channel} onClick={() => setChosen(ch)}>
            {ch}
          </button>
        ))}
      </div>
      {channel && (
        <div class="grid wide">
          <Card title={`The ${channel} variant`}>
            <Variant fields={c.variants[channel] ?? {}} />
          </Card>
          <PreviewPanel contentId={c.id} channel={channel} />
        </div>
      )}
    </Page>
  );
}

function Variant(props: { fields: Record<string, unknown> }) {
  return (
    <dl class="variant">
      {Object.entries(props.fields).map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>
            <pre>{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function ContentEditor(props: { item: ContentItem; onSaved(): void; onCancel(): void }) {
  const id = props.item.id;
  const save = useCallback((doc: unknown) => put<ContentItem>(`/api/content/${encodeURIComponent(id)}`, doc), [id]);
  return (
    <JsonEditForm
      title="Edit the item"
      class="content-editor"
      hint="One variant per channel (email: subject, html, text…; sms: text; push: title, body, deepLink; webhook: payload), each a Liquid template (see docs/content.md). Every template must parse."
      label="Item (JSON)"
      initial={{ name: props.item.name, description: props.item.description ?? undefined, variants: props.item.variants }}
      saveLabel="Save"
      save={save}
      onSaved={props.onSaved}
      onCancel={props.onCancel}
    />
  );
}
