/** A report's tables as the API gives them (intervals folded beside their figure), each with its CSV download, then the notes. */
import { useState } from 'preact/hooks';
import { withQuery } from '../../api.js';
import { Table } from '../../components/table.js';
import { Card } from '../../components/ui.js';
import { displayColumns, humanize } from './format.js';
import type { ReportResult, ReportTable } from './types.js';

/** Rows shown before "Show all": a cube of a big brand has hundreds of cells, and the CSV has them all. */
const FIRST_ROWS = 50;

export function csvHref(report: string, query: Record<string, string>, table: string): string {
  return withQuery(`/api/reports/${report}`, { ...query, format: 'csv', table });
}

export function ResultTables(props: { result: ReportResult; query: Record<string, string>; skip?: string[] }) {
  const { result } = props;
  return (
    <>
      {result.tables
        .filter((t) => !props.skip?.includes(t.name))
        .map((table) => (
          <Card
            key={table.name}
            title={humanize(table.name)}
            class="report-table"
            actions={
              <a href={csvHref(result.report, props.query, table.name)} download={`${result.report}-${table.name}.csv`}>
                Download {humanize(table.name).toLowerCase()} as CSV
              </a>
            }
          >
            <Rows table={table} />
          </Card>
        ))}
    </>
  );
}

export function Notes(props: { notes: string[]; extra?: string[] }) {
  const all = [...(props.extra ?? []), ...props.notes];
  if (all.length === 0) return null;
  return (
    <Card title="How to read it" class="report-notes">
      <ul>
        {all.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </Card>
  );
}

function Rows(props: { table: ReportTable }) {
  const [all, setAll] = useState(false);
  const { rows } = props.table;
  const shown = all ? rows : rows.slice(0, FIRST_ROWS);
  return (
    <>
      <Table columns={displayColumns(props.table)} rows={shown} empty="No rows for these parameters." />
      {shown.length < rows.length && (
        <button type="button" class="link" onClick={() => setAll(true)}>
          Show all {rows.length} rows
        </button>
      )}
    </>
  );
}
