/** A JSON text area that says at once whether the text parses, and hands the parsed value on. */
import { useEffect, useState } from 'preact/hooks';

export function JsonEditor(props: { label: string; value: unknown; onChange(value: unknown): void; rows?: number; readOnly?: boolean }) {
  const [text, setText] = useState(() => JSON.stringify(props.value, null, 2));
  const [syntax, setSyntax] = useState<string>();
  // A change from outside (the builder, a reload) replaces the text unless it already means the same.
  useEffect(() => {
    setText((current) => (sameJson(current, props.value) ? current : JSON.stringify(props.value, null, 2)));
  }, [props.value]);
  const edit = (next: string) => {
    setText(next);
    try {
      const value = JSON.parse(next) as unknown;
      setSyntax(undefined);
      props.onChange(value);
    } catch (error) {
      setSyntax(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <label class="json-editor">
      {props.label}
      <textarea
        rows={props.rows ?? 14}
        spellcheck={false}
        readOnly={props.readOnly}
        value={text}
        aria-invalid={syntax !== undefined}
        onInput={(e) => edit(e.currentTarget.value)}
      />
      {syntax && (
        <span class="field-error" role="alert">
          Not JSON yet: {syntax}
        </span>
      )}
    </label>
  );
}

function sameJson(text: string, value: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return false;
  }
}
