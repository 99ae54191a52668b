/** A plain data table: columns by key, cells formatted by the column or shown as they are. */
import type { ComponentChildren } from 'preact';

export interface Column<Row> {
  key: string;
  label: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  render?(row: Row): ComponentChildren;
}

export function Table<Row>(props: { columns: Column<Row>[]; rows: Row[]; caption?: string; empty?: string; rowKey?(row: Row, index: number): string }) {
  if (props.rows.length === 0) return <p class="empty">{props.empty ?? 'Nothing to show.'}</p>;
  return (
    <div class="table-wrap">
      <table>
        {props.caption && <caption>{props.caption}</caption>}
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.key} scope="col" class={c.numeric ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, i) => (
            <tr key={props.rowKey ? props.rowKey(row, i) : i}>
              {props.columns.map((c) => (
                <td key={c.key} class={c.numeric ? 'num' : undefined}>
                  {c.render ? c.render(row) : cell((row as Record<string, unknown>)[c.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function cell(value: unknown): ComponentChildren {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en') : value.toLocaleString('en', { maximumFractionDigits: 4 });
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
