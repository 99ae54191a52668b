/**
 * Reports: GET /api/reports lists them with their parameters; GET
 * /api/reports/<name> runs one, as JSON or (format=csv) one table as CSV.
 * Parameters are read by the analytics module, which names a bad one.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { reportCsv, ReportParameterError, type Analytics, type ReportDefinition } from '../../analytics/index.js';
import { TouchpointError } from '../../errors.js';
import { Loose, typed } from '../api.js';
import { responses } from '../schemas.js';

const OUTPUT = ['format', 'table', 'fresh'];

/** A text parameter; an array is accepted only to be refused by name below (given twice). */
const optionText = (description: string) => Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description }));

function querySchema(report: ReportDefinition) {
  const params = Object.fromEntries(
    report.params.map((p) => [
      p.name,
      // An array is accepted here only to be refused by name below: a parameter given twice.
      Type.Optional(
        Type.Union([Type.String(), Type.Array(Type.String())], {
          description: `${p.description}${p.default ? ` Default: ${p.default}.` : ''}${p.required ? ' Required.' : ''}`,
        }),
      ),
    ]),
  );
  return Type.Object({
    ...params,
    format: optionText('json (default) or csv (one table).'),
    table: optionText('With format=csv: the table to return (default: the first).'),
    fresh: optionText(
      'true: compute the report now rather than serve an answer kept from an earlier request (answers are kept for a few minutes; `freshness` says when one was computed).',
    ),
  });
}

export async function reportRoutes(instance: FastifyInstance, deps: { analytics: Analytics }): Promise<void> {
  const app = typed(instance);
  app.get('/api/reports', { schema: { tags: ['reports'], summary: 'The reports and their parameters', response: responses({ 200: Loose }) } }, async () => ({
    reports: deps.analytics.reports().map((r) => ({ name: r.name, summary: r.summary, parameters: r.params })),
  }));
  for (const report of deps.analytics.reports()) {
    app.get(
      `/api/reports/${report.name}`,
      { schema: { tags: ['reports'], summary: report.summary, querystring: querySchema(report), response: responses({ 200: Loose }) } },
      async (request, reply) => {
        const query = once(request.query as Record<string, string | string[] | undefined>);
        const format = query.format ?? 'json';
        if (format !== 'json' && format !== 'csv')
          throw new TouchpointError('TP_INVALID_PARAMETER', `format: choose json or csv (got ${JSON.stringify(format)}).`);
        const tableName = query.table;
        const fresh = query.fresh ?? 'false';
        if (fresh !== 'true' && fresh !== 'false')
          throw new TouchpointError('TP_INVALID_PARAMETER', `fresh: choose true or false (got ${JSON.stringify(fresh)}).`);
        for (const key of OUTPUT) delete query[key];
        const result = await runReport(deps.analytics, report.name, query, fresh === 'true');
        if (format === 'json') return result;
        const csv = reportCsv(result, tableName);
        if (csv === undefined) {
          throw new TouchpointError(
            'TP_INVALID_PARAMETER',
            `table: this report's tables are ${result.tables.map((t) => t.name).join(', ')} (got ${JSON.stringify(tableName)}).`,
          );
        }
        return reply.type('text/csv; charset=utf-8').send(csv);
      },
    );
  }
  app.get(
    '/api/reports/:name',
    { schema: { tags: ['reports'], summary: 'An unknown report: 404 with the list', params: Type.Object({ name: Type.String() }), hide: true } },
    async (request) => {
      const names = deps.analytics.reports().map((r) => r.name);
      throw new TouchpointError('TP_REPORT_NOT_FOUND', `No report named ${JSON.stringify(request.params.name)}; the reports are ${names.join(', ')}.`);
    },
  );
}

/** The query with each parameter given once; one given twice is refused by name. */
function once(raw: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) throw new TouchpointError('TP_INVALID_PARAMETER', `${name}: give it once (it was given ${value.length} times).`);
    out[name] = value;
  }
  return out;
}

async function runReport(analytics: Analytics, name: string, query: Record<string, string | undefined>, fresh: boolean) {
  try {
    return await analytics.run(name, query, { fresh });
  } catch (error) {
    if (error instanceof ReportParameterError) throw new TouchpointError('TP_INVALID_PARAMETER', error.message);
    throw error;
  }
}
