/** The segment builder: groups of rows (all / any / none of), nested as deep as the condition is. */
import { blankRow, type Cond, type GroupMode, groupCond, groupOf, kindOf, ROW_KINDS } from './condition-model.js';
import { type BuilderOptions, RowFields } from './condition-row.js';

export function ConditionBuilder(props: { condition: Cond; onChange(next: Cond): void; options: BuilderOptions }) {
  // A condition that is one row is shown as a group of one; editing it keeps the group.
  const root = groupOf(props.condition) ? props.condition : { all: [props.condition] };
  return <Group cond={root} onChange={props.onChange} options={props.options} depth={0} />;
}

function Group(props: { cond: Cond; onChange(next: Cond): void; onRemove?(): void; options: BuilderOptions; depth: number }) {
  const view = groupOf(props.cond)!;
  const ro = props.options.readOnly;
  const set = (children: Cond[], mode: GroupMode = view.mode) => props.onChange(groupCond({ mode, children }));
  const replace = (i: number, next: Cond) => set(view.children.map((c, j) => (j === i ? next : c)));
  const remove = (i: number) => set(view.children.filter((_, j) => j !== i));
  const names = { stage: props.options.stages[0], segment: props.options.segments[0] };
  return (
    <fieldset class={`cond-group depth-${props.depth % 2}`}>
      <legend class="cond-legend">
        <select
          aria-label={props.depth === 0 ? 'Match' : 'Group match'}
          value={view.mode}
          disabled={ro}
          onChange={(e) => set(view.children, e.currentTarget.value as GroupMode)}
        >
          <option value="all">All of these</option>
          <option value="any">Any of these</option>
          <option value="none">None of these</option>
        </select>
      </legend>
      {view.children.length === 0 && <p class="empty">No condition yet: add one.</p>}
      {view.children.map((child, i) =>
        groupOf(child) ? (
          <Group key={i} cond={child} onChange={(next) => replace(i, next)} onRemove={() => remove(i)} options={props.options} depth={props.depth + 1} />
        ) : (
          <Row key={i} index={i} cond={child} onChange={(next) => replace(i, next)} onRemove={() => remove(i)} options={props.options} />
        ),
      )}
      {!ro && (
        <div class="row cond-actions">
          <button type="button" onClick={() => set([...view.children, blankRow('trait', names)])}>
            Add condition
          </button>
          <button type="button" onClick={() => set([...view.children, { any: [blankRow('trait', names)] }])}>
            Add group
          </button>
          {props.onRemove && (
            <button type="button" class="danger" onClick={props.onRemove}>
              Remove group
            </button>
          )}
        </div>
      )}
    </fieldset>
  );
}

function Row(props: { index: number; cond: Cond; onChange(next: Cond): void; onRemove(): void; options: BuilderOptions }) {
  const kind = kindOf(props.cond);
  const ro = props.options.readOnly;
  const names = { stage: props.options.stages[0], segment: props.options.segments[0] };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a row of controls named for screen readers, not a form section
    <div class="cond-row" role="group" aria-label={`Condition ${props.index + 1}`}>
      <select aria-label="Field" value={kind} disabled={ro} onChange={(e) => props.onChange(blankRow(e.currentTarget.value, names))}>
        {ROW_KINDS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <RowFields kind={kind} cond={props.cond} onChange={props.onChange} options={props.options} />
      {!ro && (
        <button type="button" class="link remove" aria-label={`Remove condition ${props.index + 1}`} onClick={props.onRemove}>
          Remove
        </button>
      )}
    </div>
  );
}
