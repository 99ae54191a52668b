/** One condition as a row of field, operator and value controls, by kind. */
import type { ComponentChildren } from 'preact';
import {
  BUILTINS,
  CHANNEL_OPS,
  CHANNELS,
  COMPARE_OPS,
  CONSENT_STATES,
  type Cond,
  namesOf,
  parseValue,
  takesNoValue,
  VALUE_OPS,
  valueText,
} from './condition-model.js';

export interface BuilderOptions {
  stages: string[];
  segments: string[];
  readOnly: boolean;
}

type Edit = (next: Cond) => void;

function Select(props: { label: string; value: string; options: (string | [string, string])[]; onChange(value: string): void; disabled?: boolean }) {
  return (
    <select aria-label={props.label} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.currentTarget.value)}>
      {props.options.map((o) => {
        const [value, label] = typeof o === 'string' ? [o, o] : o;
        return (
          <option key={value} value={value}>
            {label}
          </option>
        );
      })}
    </select>
  );
}

function Text(props: { label: string; value: string; onChange(value: string): void; type?: 'text' | 'number'; disabled?: boolean; placeholder?: string }) {
  const common = {
    'aria-label': props.label,
    value: props.value,
    placeholder: props.placeholder,
    disabled: props.disabled,
    onInput: (e: { currentTarget: HTMLInputElement }) => props.onChange(e.currentTarget.value),
  };
  return props.type === 'number' ? <input type="number" min={0} class="narrow" {...common} /> : <input type="text" {...common} />;
}

/** name op value, for traits, computed traits and profile figures. */
function ValueTest(props: { cond: Cond; onChange: Edit; name: ComponentChildren; ro: boolean }) {
  const op = String(props.cond.op ?? 'eq');
  const setOp = (next: string) => {
    const { value, ...rest } = props.cond;
    props.onChange(takesNoValue(next) ? { ...rest, op: next } : { ...rest, op: next, value: parseValue(next, valueText(value)) });
  };
  return (
    <>
      {props.name}
      <Select label="Operator" value={op} options={VALUE_OPS} onChange={setOp} disabled={props.ro} />
      {!takesNoValue(op) && (
        <Text
          label="Value"
          value={valueText(props.cond.value)}
          disabled={props.ro}
          placeholder={op === 'in' || op === 'not_in' ? 'a, b, c' : 'value'}
          onChange={(text) => props.onChange({ ...props.cond, value: parseValue(op, text) })}
        />
      )}
    </>
  );
}

function EventFields(props: { cond: Cond; onChange: Edit; ro: boolean }) {
  const c = props.cond;
  const atMost = c.atMost !== undefined;
  const count = Number(atMost ? c.atMost : (c.atLeast ?? 1));
  const setCount = (mode: string, n: number) => {
    const { atLeast: _l, atMost: _m, ...rest } = c;
    props.onChange({ ...rest, [mode]: Number.isFinite(n) ? n : 0 });
  };
  const where = Array.isArray(c.where) ? c.where.length : 0;
  return (
    <>
      <Text label="Event name" value={valueText(c.event)} disabled={props.ro} onChange={(t) => props.onChange({ ...c, event: namesOf(t) })} />
      <Select
        label="How often"
        value={atMost ? 'atMost' : 'atLeast'}
        options={[
          ['atLeast', 'at least'],
          ['atMost', 'at most'],
        ]}
        disabled={props.ro}
        onChange={(mode) => setCount(mode, count)}
      />
      <Text
        label="Times"
        type="number"
        value={String(count)}
        disabled={props.ro}
        onChange={(t) => setCount(atMost ? 'atMost' : 'atLeast', Number.parseInt(t, 10))}
      />
      <span class="row-word">times within</span>
      <Text
        label="Within days"
        type="number"
        value={c.withinDays === undefined ? '' : String(c.withinDays)}
        placeholder="ever"
        disabled={props.ro}
        onChange={(t) => {
          const { withinDays: _w, ...rest } = c;
          props.onChange(t.trim() === '' ? rest : { ...rest, withinDays: Number.parseInt(t, 10) });
        }}
      />
      <span class="row-word">days</span>
      {where > 0 && <span class="badge">{where} property filter(s): edit in JSON</span>}
    </>
  );
}

/** The controls after the field menu, for each kind of condition. */
export function RowFields(props: { kind: string; cond: Cond; onChange: Edit; options: BuilderOptions }) {
  const { cond: c, onChange, options } = props;
  const ro = options.readOnly;
  const sub = (key: string) => (c[key] ?? {}) as Cond;
  switch (props.kind) {
    case 'trait':
    case 'computedTrait':
      return (
        <ValueTest
          cond={c}
          onChange={onChange}
          ro={ro}
          name={<Text label="Trait name" value={String(c[props.kind] ?? '')} disabled={ro} onChange={(t) => onChange({ ...c, [props.kind]: t })} />}
        />
      );
    case 'profile':
      return (
        <ValueTest
          cond={c}
          onChange={onChange}
          ro={ro}
          name={<Select label="Figure" value={String(c.profile)} options={BUILTINS} disabled={ro} onChange={(v) => onChange({ ...c, profile: v })} />}
        />
      );
    case 'event':
      return <EventFields cond={c} onChange={onChange} ro={ro} />;
    case 'channel':
      return (
        <>
          <Select label="Channel" value={String(c.channel)} options={CHANNELS} disabled={ro} onChange={(v) => onChange({ ...c, channel: v })} />
          <Select label="Operator" value={String(c.op)} options={CHANNEL_OPS} disabled={ro} onChange={(v) => onChange({ ...c, op: v })} />
        </>
      );
    case 'channelCount': {
      const cc = sub('channelCount');
      return (
        <>
          <Select
            label="Operator"
            value={String(cc.op ?? 'gte')}
            options={COMPARE_OPS}
            disabled={ro}
            onChange={(v) => onChange({ channelCount: { ...cc, op: v } })}
          />
          <Text
            label="Value"
            type="number"
            value={valueText(cc.value)}
            disabled={ro}
            onChange={(t) => onChange({ channelCount: { ...cc, value: Number.parseInt(t, 10) || 0 } })}
          />
        </>
      );
    }
    case 'stage': {
      const current = Array.isArray(c.stage) ? String(c.stage[0] ?? '') : String(c.stage ?? '');
      return <Select label="Stage" value={current} options={withCurrent(options.stages, current)} disabled={ro} onChange={(v) => onChange({ stage: v })} />;
    }
    case 'consent': {
      const consent = sub('consent');
      const set = (key: string, value: string) => {
        const { [key]: _old, ...rest } = consent;
        onChange({ consent: value === '' ? rest : { ...rest, [key]: value } });
      };
      return (
        <>
          <Select label="Channel" value={String(consent.channel ?? 'email')} options={CHANNELS} disabled={ro} onChange={(v) => set('channel', v)} />
          <Text label="Purpose" value={String(consent.purpose ?? '')} placeholder="marketing" disabled={ro} onChange={(t) => set('purpose', t.trim())} />
          <Select label="State" value={String(consent.is ?? 'allowed')} options={CONSENT_STATES} disabled={ro} onChange={(v) => set('is', v)} />
        </>
      );
    }
    case 'segment':
      return (
        <>
          <Select
            label="Member"
            value={c.member === false ? 'no' : 'yes'}
            options={[
              ['yes', 'is a member of'],
              ['no', 'is not a member of'],
            ]}
            disabled={ro}
            onChange={(v) => onChange({ ...c, member: v === 'yes' })}
          />
          <Select
            label="Segment"
            value={String(c.segment ?? '')}
            options={withCurrent(options.segments, String(c.segment ?? ''))}
            disabled={ro}
            onChange={(v) => onChange({ ...c, segment: v })}
          />
        </>
      );
    case 'household':
      return (
        <Text
          label="Household"
          value={String(c.household ?? '')}
          placeholder="any, none or a household id"
          disabled={ro}
          onChange={(t) => onChange({ household: t })}
        />
      );
    default:
      return <span class="muted">Edit this condition in the JSON view.</span>;
  }
}

const withCurrent = (names: string[], current: string) => (current === '' || names.includes(current) ? names : [current, ...names]);
