/**
 * Attribution over a path table sent in the request: POST
 * /api/attribution/paths. The table comes as text (ChannelAttribution's
 * format, as `text/csv` or `text/plain`) or as JSON entries; every model
 * answers side by side, as JSON or CSV. Nothing is read from the store or
 * written to it.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { attributeAll, attributionCsv, MODELS, parsePathTable, pathRowsOf, PathTableError, type PathRow } from '../../analytics/index.js';
import { TouchpointError } from '../../errors.js';
import { typed } from '../api.js';
import { responses, StringEnum } from '../schemas.js';

/**
 * Above the API's usual 1 MB: ChannelAttribution's 10,000-path example is
 * 0.5 MB as text. The models run on the server's event loop, which serves
 * tracking too: at this limit (about 60,000 paths) reading the table and
 * running the models take about half a second. Larger tables go to
 * `touchpoint attribution`.
 */
export const PATHS_BODY_LIMIT = 4 * 1024 * 1024;

const TEXT_TYPES = ['text/csv', 'text/plain'];

const EntrySchema = Type.Object(
  {
    path: Type.String({ minLength: 1, description: 'Channels separated by ">", e.g. "search > email > store".' }),
    conversions: Type.Number({ minimum: 0 }),
    value: Type.Number({ minimum: 0 }),
    nulls: Type.Number({ minimum: 0, description: 'Customers who took the path and did not convert.' }),
  },
  { additionalProperties: false },
);

const HalfLife = Type.Number({ exclusiveMinimum: 0, description: 'Time decay: a touch weighs half the one this many touches after it (default 2).' });

/** A text body is the table: it arrives here as `table`, as JSON clients may also send it. */
const PathsBody = Type.Object(
  {
    table: Type.Optional(Type.String({ description: 'The path table as text: path;total_conversions;total_conversion_value;total_null, one path a line.' })),
    paths: Type.Optional(Type.Array(EntrySchema)),
    halfLife: Type.Optional(HalfLife),
  },
  { additionalProperties: false, description: 'Either table or paths. As text/csv or text/plain, the body is the table itself.' },
);

const CreditSchema = Type.Object({
  channel: Type.String(),
  conversions: Type.Number(),
  value: Type.Number(),
  removalEffect: Type.Optional(Type.Number({ description: 'markov only.' })),
});
const ModelSchema = Type.Object({
  kind: StringEnum(['rule', 'data-driven'] as const),
  label: Type.String(),
  channels: Type.Array(CreditSchema),
  halfLife: Type.Optional(Type.Number({ description: 'time_decay only.' })),
  conversionProbability: Type.Optional(Type.Number({ description: 'markov only.' })),
  method: Type.Optional(Type.Object({ method: StringEnum(['exact'] as const) }, { description: 'shapley only: how the values were found.' })),
});
const AttributionSchema = Type.Object({
  totals: Type.Object({ paths: Type.Integer(), customers: Type.Number(), conversions: Type.Number(), value: Type.Number(), nulls: Type.Number() }),
  channels: Type.Array(Type.String()),
  models: Type.Object(Object.fromEntries(MODELS.map((m) => [m, ModelSchema]))),
});

/** The rows of the body, refused with TP_INVALID_PATHS naming the line or entry that cannot be read. */
function rowsOf(body: Static<typeof PathsBody>): PathRow[] {
  if ((body.table === undefined) === (body.paths === undefined)) {
    throw new TouchpointError('TP_VALIDATION', 'Send the path table as text (text/csv or text/plain, or "table" in JSON) or as "paths" entries: one of them.');
  }
  try {
    return body.table !== undefined ? parsePathTable(body.table) : pathRowsOf(body.paths ?? []);
  } catch (error) {
    if (!(error instanceof PathTableError)) throw error;
    throw new TouchpointError(
      'TP_INVALID_PATHS',
      `${error.message}. A path table is path;total_conversions;total_conversion_value;total_null, then one path a line.`,
    );
  }
}

export async function attributionRoutes(instance: FastifyInstance): Promise<void> {
  await instance.register(async (scope) => {
    // The table as text: read as it came, the route checks it line by line.
    scope.addContentTypeParser(TEXT_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, { table: String(body) }));
    // Any other type is refused as the management API refuses it, naming the types this route takes.
    scope.removeContentTypeParser('*');
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
      if (String(body).trim() === '') return done(null, undefined);
      done(new TouchpointError('TP_VALIDATION', `Send the path table as ${TEXT_TYPES.join(' or ')}, or as application/json.`));
    });
    const app = typed(scope);
    app.post(
      '/api/attribution/paths',
      {
        bodyLimit: PATHS_BODY_LIMIT,
        config: { tooLargeAdvice: 'Aggregate identical paths into one row, or run touchpoint attribution --paths FILE on a table this large.' },
        schema: {
          tags: ['analytics'],
          summary: 'Every attribution model over a path table, side by side (?format=csv for one row per model and channel)',
          consumes: ['application/json', ...TEXT_TYPES],
          querystring: Type.Object(
            { format: StringEnum(['json', 'csv'] as const, { default: 'json' }), halfLife: Type.Optional(HalfLife) },
            { additionalProperties: false },
          ),
          body: PathsBody,
          response: responses({ 200: AttributionSchema }),
        },
      },
      async (request, reply) => {
        const { body, query } = request;
        if (body.halfLife !== undefined && query.halfLife !== undefined) {
          throw new TouchpointError('TP_VALIDATION', 'halfLife is given in the query and in the body; give it once.');
        }
        const attribution = attributeAll(rowsOf(body), { halfLife: body.halfLife ?? query.halfLife });
        if (query.format === 'json') return attribution;
        return reply.header('content-type', 'text/csv; charset=utf-8').send(attributionCsv(attribution));
      },
    );
  });
}
