/** A write key shown the one time the API gives it (create, rotate), with a copy button; and the form that creates a source. */
import { useRef, useState } from 'preact/hooks';
import { post } from '../../api.js';
import { CHANNEL_LABELS } from '../../components/channel-icon.js';
import { ErrorBox } from '../../components/ui.js';
import { useAction } from '../../hooks.js';
import type { Source } from './types.js';

export function KeyOnce(props: { source: Source & { writeKey: string }; onDone(): void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    field.current?.select();
    try {
      await navigator.clipboard.writeText(props.source.writeKey);
    } catch {
      // Without clipboard access (a page over plain HTTP), the key stays selected for Ctrl+C.
      document.execCommand?.('copy');
    }
    setCopied(true);
  };
  return (
    <div class="notice key-once" role="status">
      <p>
        The write key of <strong>{props.source.name}</strong>. It is shown this once: only its hash is kept.
      </p>
      <div class="row">
        <label class="grow">
          Write key
          <input ref={field} readOnly value={props.source.writeKey} onFocus={(e) => e.currentTarget.select()} />
        </label>
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" class="link" onClick={props.onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

export function NewSourceForm(props: { onCreated(source: Source & { writeKey: string }): void }) {
  const [name, setName] = useState('');
  const [channel, setChannel] = useState('web');
  const create = useAction((input: { name: string; channel: string }) => post<Source & { writeKey: string }>('/api/sources', input));
  const submit = async (event: Event) => {
    event.preventDefault();
    const created = await create.run({ name: name.trim(), channel });
    if (created) {
      setName('');
      props.onCreated(created);
    }
  };
  return (
    <form class="row new-source" onSubmit={submit} aria-label="New source">
      <label>
        Name
        <input required maxLength={200} value={name} placeholder="e.g. Store POS" onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        Channel
        <select value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
          {Object.entries(CHANNEL_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="primary" disabled={create.busy}>
        Create source
      </button>
      <ErrorBox error={create.error} />
    </form>
  );
}
