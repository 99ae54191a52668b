/**
 * One report's page: the parameter form (from the API's declaration), the
 * report's charts, its tables with CSV downloads, and its notes. The
 * parameters live in the address (`#/reports/funnel?steps=…`): a link
 * opens the same report, and the back button goes to the previous one.
 */
import type { ComponentType } from 'preact';
import { ErrorBox, Loading, Page } from '../../components/ui.js';
import { href, navigate } from '../../router.js';
import { reportInfo, type ReportInfo } from './catalog.js';
import { requestQuery, useDeclarations } from './declarations.js';
import { ParamForm } from './param-form.js';
import { Notes, ResultTables } from './result-tables.js';
import type { ParamSpec, ReportResult, ViewProps } from './types.js';
import { useReport } from './use-report.js';
import { VIEWS } from './views.js';

export function ReportPage(props: { name: string; query: URLSearchParams }) {
  const info = reportInfo(props.name);
  if (!info) {
    return (
      <Page title="No such report">
        <p>
          There is no report named <code>{props.name}</code>. <a href="#/reports">See the reports</a>.
        </p>
      </Page>
    );
  }
  // One instance per report: another report's answer is never shown under this one's title.
  return <KnownReport key={info.name} info={info} query={props.query} />;
}

function KnownReport(props: { info: ReportInfo; query: URLSearchParams }) {
  const { info, query } = props;
  const declarations = useDeclarations();
  const specs = declarations.data?.find((d) => d.name === info.name)?.parameters;
  const apiQuery = specs ? requestQuery(specs, query, info.defaults) : {};
  const loaded = useReport(specs ? `/api/reports/${info.name}` : null, apiQuery);
  const update = (changes: Record<string, string | undefined>) => {
    const next: Record<string, string | undefined> = Object.fromEntries(query);
    navigate(`/reports/${info.name}`, { ...next, ...changes });
  };
  const run = (values: Record<string, string>) => {
    const target = addressOf(specs ?? [], query, values);
    if (`#${window.location.hash.slice(1)}` === href(`/reports/${info.name}`, target)) loaded.reload();
    else navigate(`/reports/${info.name}`, target);
  };
  const View: ComponentType<ViewProps> = VIEWS[info.name]!;
  const refused = loaded.error?.code === 'TP_INVALID_PARAMETER';
  return (
    <Page title={info.title} actions={<a href="#/reports">All reports</a>}>
      <div class={`report report-${info.name}`}>
        <p class="muted">{info.answers}</p>
        <ErrorBox error={declarations.error} />
        {specs && <ParamForm report={info.name} specs={specs} main={info.main} values={apiQuery} error={loaded.error} busy={loaded.loading} onRun={run} />}
        {(loaded.loading || (!specs && !declarations.error)) && <Loading what="the report (it reads every customer's events in the period)" />}
        {!refused && <ErrorBox error={loaded.error} />}
        {loaded.data && !loaded.error && (
          <div class={loaded.loading ? 'report-results stale' : 'report-results'} aria-busy={loaded.loading ? 'true' : 'false'}>
            <Period result={loaded.data} />
            <Freshness result={loaded.data} busy={loaded.loading} onRecompute={loaded.reload} />
            <View result={loaded.data} query={query} update={update} />
            <ResultTables result={loaded.data} query={apiQuery} />
            <Notes notes={loaded.data.notes} />
          </div>
        )}
      </div>
    </Page>
  );
}

/** The address after a run: the values that differ from the API's default, and the page's own keys (a chart's measure). */
function addressOf(specs: ParamSpec[], query: URLSearchParams, values: Record<string, string>): Record<string, string> {
  const declared = new Set(specs.map((s) => s.name));
  const out: Record<string, string> = {};
  for (const [name, value] of query) if (!declared.has(name)) out[name] = value;
  for (const spec of specs) {
    const value = values[spec.name]?.trim();
    if (value && value !== spec.default) out[spec.name] = value;
  }
  return out;
}

function Period(props: { result: ReportResult }) {
  const { from, to } = props.result.parameters as { from?: string; to?: string };
  if (!from || !to) return null;
  const day = (iso: string) =>
    iso
      .replace('T00:00:00.000Z', '')
      .replace('T', ' ')
      .replace(/:\d\d\.\d+Z$/, ' UTC');
  return (
    <p class="report-period muted">
      Period: {day(from)} to {day(to)} (end excluded)
    </p>
  );
}

/** When the figures were computed; a kept answer says so, with the events processed since, and can be computed anew. */
function Freshness(props: { result: ReportResult; busy: boolean; onRecompute(): void }) {
  const f = props.result.freshness;
  if (!f) return null;
  // In UTC, as the period above it.
  const at = `${f.computedAt.slice(11, 19)} UTC`;
  const since = f.eventsSince === 0 ? 'no events since' : `${f.eventsSince.toLocaleString()} events processed since`;
  return (
    <p class="report-freshness muted">
      {f.cached ? `Computed at ${at} (${since}).` : `Computed at ${at}.`}{' '}
      {f.cached && (
        <button type="button" class="link" disabled={props.busy} onClick={props.onRecompute}>
          Recompute now
        </button>
      )}
    </p>
  );
}
