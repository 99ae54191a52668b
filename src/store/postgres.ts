import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';

const INT8_OID = 20;

/** Opens a pooled PostgreSQL connection. 64-bit integers come back as numbers, as on SQLite. */
export function openPostgres(url: string, poolSize: number): Kysely<object> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  return new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
}
