/** The contact policy: the document in force as sections, its editor (marketers), its versions, and the simulator. */
import { useState } from 'preact/hooks';
import { put } from '../../api.js';
import { JsonEditForm } from '../../components/json-edit-form.js';
import { Table } from '../../components/table.js';
import { Card, ErrorBox, formatTime, Loading, Page } from '../../components/ui.js';
import { useApi } from '../../hooks.js';
import { useCanEdit } from '../../session.js';
import { PolicySections } from './sections.js';
import { Simulator } from './simulator.js';
import type { PolicyVersion } from './types.js';

export function PolicyPage() {
  const current = useApi<PolicyVersion>('/api/policy');
  const versions = useApi<{ versions: PolicyVersion[] }>('/api/policy/versions', { limit: 20 });
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<number>();
  const canEdit = useCanEdit();
  const p = current.data;
  const done = (version: PolicyVersion) => {
    setEditing(false);
    setSaved(version.version);
    current.reload();
    versions.reload();
  };
  const actions = canEdit && p && !editing && (
    <button type="button" class="primary" onClick={() => setEditing(true)}>
      Edit policy
    </button>
  );
  return (
    <Page title="Contact policy" actions={actions}>
      <ErrorBox error={current.error} />
      {!p && !current.error && <Loading what="the policy" />}
      {p && (
        <p class="muted">
          Version {p.version}
          {p.updatedAt ? `, saved ${formatTime(p.updatedAt)}` : ' (none saved yet: consent only)'}.
          {!canEdit && ' Your role reads the policy; a marketer or an admin edits it.'}
        </p>
      )}
      {saved !== undefined && (
        <p class="notice" role="status">
          Saved as version {saved}.
        </p>
      )}
      {p && editing && <PolicyEditor current={p} onSaved={done} onCancel={() => setEditing(false)} />}
      {p && <PolicySections policy={p.policy} />}
      <Simulator />
      <Card title="Versions">
        <ErrorBox error={versions.error} />
        <Table
          columns={[
            { key: 'version', label: 'Version', numeric: true },
            { key: 'updatedAt', label: 'Saved', render: (v) => formatTime(v.updatedAt) },
            {
              key: 'policy',
              label: 'Document',
              render: (v) => (
                <details>
                  <summary>{Object.keys(v.policy).join(', ')}</summary>
                  <pre>{JSON.stringify(v.policy, null, 2)}</pre>
                </details>
              ),
            },
          ]}
          rows={versions.data?.versions ?? []}
          rowKey={(v) => String(v.version)}
          empty="No version saved yet."
        />
      </Card>
    </Page>
  );
}

const savePolicy = (doc: unknown) => put<PolicyVersion>('/api/policy', doc);

function PolicyEditor(props: { current: PolicyVersion; onSaved(v: PolicyVersion): void; onCancel(): void }) {
  return (
    <JsonEditForm
      title="Edit the policy"
      class="policy-editor"
      hint="Fields: caps, quietHours, controlGroup, arbitration, fatigue, deferLimitHours, transactionalPurposes (see docs/policy.md). Saving makes a new version; a document that is not valid is refused and the policy in force stays as it was."
      label="Policy (JSON)"
      initial={props.current.policy}
      saveLabel="Save as a new version"
      save={savePolicy}
      onSaved={props.onSaved}
      onCancel={props.onCancel}
    />
  );
}
