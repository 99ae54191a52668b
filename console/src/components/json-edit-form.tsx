/**
 * Editing a document as JSON in a card: a hint, the editor, the problems the
 * server found (each by its pointer), Save and Cancel. The content item and
 * the contact policy are edited this way.
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useState } from 'preact/hooks';
import { useAction } from '../hooks.js';
import { JsonEditor } from './json-editor.js';
import { ProblemList } from './problems.js';
import { Card } from './ui.js';

export interface JsonEditFormProps<T> {
  title: string;
  class: string;
  /** What the document holds, above the editor. */
  hint: ComponentChildren;
  label: string;
  initial: unknown;
  saveLabel: string;
  save(doc: unknown): Promise<T>;
  onSaved(saved: T): void;
  onCancel(): void;
}

export function JsonEditForm<T>(props: JsonEditFormProps<T>) {
  const [doc, setDoc] = useState<unknown>(props.initial);
  const { save } = props;
  const saving = useAction(useCallback(() => save(doc), [save, doc]));
  return (
    <Card title={props.title} class={props.class}>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          const saved = await saving.run();
          if (saved !== undefined) props.onSaved(saved);
        }}
      >
        <p class="hint">{props.hint}</p>
        <JsonEditor label={props.label} value={doc} rows={18} onChange={setDoc} />
        <ProblemList error={saving.error} />
        <div class="row">
          <button type="submit" class="primary" disabled={saving.busy}>
            {saving.busy ? 'Saving…' : props.saveLabel}
          </button>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Card>
  );
}
