/** Reports: the index of the seven reports and one page per report, `#/reports/<name>?<parameters>`. */
import { Card, Page } from '../../components/ui.js';
import type { RouteDef } from '../route.js';
import { REPORTS } from './catalog.js';
import { ReportPage } from './report-page.js';

function ReportsIndex() {
  return (
    <Page title="Reports">
      <p class="muted">Each report reads the customers' events, messages and stages in a period (the last 90 days unless you choose) and never changes them.</p>
      <div class="grid report-index">
        {REPORTS.map((r) => (
          <Card key={r.name}>
            <h2>
              <a href={`#/reports/${r.name}`}>{r.title}</a>
            </h2>
            <p>{r.answers}</p>
          </Card>
        ))}
      </div>
    </Page>
  );
}

export const reportsRoutes: RouteDef[] = [
  { pattern: '/reports', render: () => <ReportsIndex /> },
  { pattern: '/reports/:name', render: (params, query) => <ReportPage name={params.name!} query={query} /> },
];
