/**
 * A report's parameter form, built from the parameters the API declares:
 * dates as date fields, choices as selects, a list of choices as
 * checkboxes, the rest as text. Running it writes the values into the
 * page's address, so the report can be shared as a link. A refusal
 * (TP_INVALID_PARAMETER) names the parameter: that field is marked and the
 * message shows beside the form.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../../api.js';
import { ErrorBox } from '../../components/ui.js';
import { humanize } from './format.js';
import type { ParamSpec } from './types.js';

const LABELS: Record<string, string> = { to: 'To (exclusive)', by: 'Break down by', halfLife: 'Half-life (touches)' };
const label = (spec: ParamSpec) => LABELS[spec.name] ?? humanize(spec.name);

export interface ParamFormProps {
  report: string;
  specs: ParamSpec[];
  main: string[];
  /** The values in use (the address's, or the console's defaults). */
  values: Record<string, string>;
  error?: ApiError;
  busy: boolean;
  onRun(values: Record<string, string>): void;
}

export function ParamForm(props: ParamFormProps) {
  const [values, setValues] = useState(props.values);
  const key = JSON.stringify(props.values);
  useEffect(() => setValues(props.values), [key]);
  const invalid = props.error?.code === 'TP_INVALID_PARAMETER' ? props.error.message.split(':')[0] : undefined;
  const set = (name: string, value: string) => setValues((v) => ({ ...v, [name]: value }));
  const field = (spec: ParamSpec) => (
    <Field key={spec.name} report={props.report} spec={spec} value={values[spec.name] ?? ''} invalid={invalid === spec.name} onChange={set} />
  );
  const main = props.specs.filter((s) => props.main.includes(s.name));
  const more = props.specs.filter((s) => !props.main.includes(s.name));
  const submit = (event: Event) => {
    event.preventDefault();
    props.onRun(values);
  };
  return (
    <form class="report-form card" onSubmit={submit} aria-label="Report parameters">
      <div class="report-fields">{main.map(field)}</div>
      {more.length > 0 && (
        <details open={more.some((s) => s.name === invalid) || undefined}>
          <summary>More parameters</summary>
          <div class="report-fields">{more.map(field)}</div>
        </details>
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={props.busy}>
          {props.busy ? 'Running…' : 'Run report'}
        </button>
        <a href={`#/reports/${props.report}`}>Reset to defaults</a>
      </div>
      {props.error?.code === 'TP_INVALID_PARAMETER' && <ErrorBox error={props.error} />}
    </form>
  );
}

function Field(props: { report: string; spec: ParamSpec; value: string; invalid: boolean; onChange(name: string, value: string): void }) {
  const { spec } = props;
  const id = `param-${props.report}-${spec.name}`;
  const hint = `${spec.description}${spec.default ? ` Default: ${spec.default}.` : ''}`;
  const common = {
    id,
    name: spec.name,
    'aria-describedby': `${id}-hint`,
    'aria-invalid': props.invalid || undefined,
  };
  const onInput = (e: Event) => props.onChange(spec.name, (e.currentTarget as HTMLInputElement).value);
  if (spec.kind === 'list' && spec.choices) return <Checkboxes {...props} hint={hint} id={id} />;
  let input: JSX.Element;
  if (spec.kind === 'choice') {
    input = (
      <select {...common} value={props.value || spec.default} onChange={onInput}>
        {spec.choices?.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    );
  } else {
    const date = spec.kind === 'date' && (props.value === '' || /^\d{4}-\d{2}-\d{2}$/.test(props.value));
    // Preact types <input> as a union by `type`; one chosen at run time needs the widening.
    const type = (date ? 'date' : spec.kind === 'integer' || spec.kind === 'number' ? 'number' : 'text') as 'text';
    const placeholder = spec.kind === 'date' ? undefined : spec.default;
    input = (
      <input
        {...common}
        type={type}
        value={props.value}
        placeholder={placeholder}
        min={spec.min}
        max={spec.max}
        step={spec.kind === 'number' ? 'any' : undefined}
        onInput={onInput}
      />
    );
  }
  return (
    <div class={`report-field${spec.name === 'steps' ? ' wide' : ''}`}>
      <label for={id}>{label(spec)}</label>
      {input}
      <small id={`${id}-hint`} class="hint">
        {spec.kind === 'date' ? `${hint.replace(/ \(ISO 8601[^)]*\)/, '')}` : hint}
      </small>
    </div>
  );
}

function Checkboxes(props: { spec: ParamSpec; value: string; invalid: boolean; hint: string; id: string; onChange(name: string, value: string): void }) {
  const chosen = (props.value || props.spec.default || '').split(',').filter(Boolean);
  const toggle = (choice: string, on: boolean) => {
    const next = props.spec.choices!.filter((c) => (c === choice ? on : chosen.includes(c)));
    props.onChange(props.spec.name, next.join(','));
  };
  return (
    <fieldset class="report-field" aria-describedby={`${props.id}-hint`} aria-invalid={props.invalid || undefined}>
      <legend>{label(props.spec)}</legend>
      <div class="row">
        {props.spec.choices!.map((c) => (
          <label key={c} class="check">
            <input type="checkbox" checked={chosen.includes(c)} onChange={(e) => toggle(c, e.currentTarget.checked)} /> {c}
          </label>
        ))}
      </div>
      <small id={`${props.id}-hint`} class="hint">
        {props.hint}
      </small>
    </fieldset>
  );
}
