/**
 * Multi-row statements for batch work: one INSERT (or DELETE) for many rows,
 * in chunks that stay under the database's parameter limit. The SQL text is
 * made here, not by Kysely's builder: compiling a builder tree of thousands of
 * values costs more than the database spends on the rows. Chunks have a
 * power-of-two number of rows (500 rows go as 256 + 128 + 64 + 32 + 16 + 4),
 * so a table sees a dozen statement texts, each made once and prepared once,
 * instead of one per batch size.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { DialectAdapter } from './dialect.js';

export type Row = readonly unknown[];

export interface InsertOptions {
  /** ON CONFLICT (target): update these columns from the new row, or do nothing when none are given. */
  conflict?: { target: readonly string[]; update?: readonly string[] };
  /** RETURNING these columns of the rows written. */
  returning?: readonly string[];
}

export interface Bulk {
  /** Inserts the rows; with `returning`, resolves to the rows written (not those a conflict skipped). */
  insert(db: Kysely<object>, table: string, columns: readonly string[], rows: readonly Row[], options?: InsertOptions): Promise<Record<string, unknown>[]>;
  /**
   * UPDATE table SET columns WHERE each of `where` equals its value: `values`
   * holds the new values, then the conditions'. Returns the rows updated. For
   * the many one-row updates of a batch: its text is made once, not built.
   */
  update(db: Kysely<object>, table: string, set: readonly string[], where: readonly string[], values: Row): Promise<number>;
  /** DELETE FROM table WHERE column IN (values); returns the rows deleted. */
  deleteIn(db: Kysely<object>, table: string, column: string, values: readonly unknown[]): Promise<number>;
  /** DELETE FROM table WHERE (a, b) IN ((…), …): rows matching any of the tuples. */
  deleteTuples(db: Kysely<object>, table: string, columns: readonly string[], tuples: readonly Row[]): Promise<number>;
}

const MAX_ROWS = 512;
/** Distinct statement texts kept: one per table, column list and chunk size. */
const TEXTS_KEPT = 2000;
const quote = (name: string) => `"${name}"`;

function conflictClause(conflict: InsertOptions['conflict']): string {
  if (!conflict) return '';
  const target = conflict.target.map(quote).join(', ');
  if (!conflict.update || conflict.update.length === 0) return ` on conflict (${target}) do nothing`;
  return ` on conflict (${target}) do update set ${conflict.update.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`;
}

/** The rows' values in one list, row after row (a loop: Array.prototype.flat is many times slower on thousands of values). */
function flatten(rows: readonly Row[]): unknown[] {
  const values: unknown[] = [];
  for (const row of rows) for (const value of row) values.push(value);
  return values;
}

export function createBulk(dialect: DialectAdapter): Bulk {
  const perStatement = (width: number) => Math.max(1, Math.min(MAX_ROWS, Math.floor(dialect.maxParameters / width)));
  const texts = new Map<string, string>();
  /** The statement for `count` rows, made once: the same string each time (the statement caches key on it). */
  const text = (key: string, count: number, make: () => string): string => {
    const k = `${count}\u0000${key}`;
    let sql = texts.get(k);
    if (sql === undefined) {
      sql = make();
      if (texts.size >= TEXTS_KEPT) texts.clear();
      texts.set(k, sql);
    }
    return sql;
  };
  /** Power-of-two chunks of at most `size` rows, largest first. */
  function* chunks<T>(rows: readonly T[], size: number): Generator<readonly T[]> {
    let start = 0;
    while (start < rows.length) {
      let n = 1;
      while (n * 2 <= size && n * 2 <= rows.length - start) n *= 2;
      yield rows.slice(start, start + n);
      start += n;
    }
  }

  function tuples(count: number, width: number): string {
    const parts: string[] = [];
    let n = 0;
    for (let r = 0; r < count; r++) {
      const marks: string[] = [];
      for (let c = 0; c < width; c++) marks.push(dialect.parameterMark(++n));
      parts.push(`(${marks.join(', ')})`);
    }
    return parts.join(', ');
  }

  async function run(db: Kysely<object>, sql: string, parameters: unknown[]): Promise<number> {
    const result = await db.executeQuery(CompiledQuery.raw(sql, parameters));
    return Number(result.numAffectedRows ?? 0);
  }

  return {
    async insert(db, table, columns, rows, options = {}) {
      const size = perStatement(columns.length);
      const head = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values `;
      const tail = conflictClause(options.conflict) + (options.returning ? ` returning ${options.returning.map(quote).join(', ')}` : '');
      const written: Record<string, unknown>[] = [];
      for (const chunk of chunks(rows, size)) {
        const sql = text(head + tail, chunk.length, () => head + tuples(chunk.length, columns.length) + tail);
        const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(sql, flatten(chunk)));
        if (options.returning) written.push(...result.rows);
      }
      return written;
    },
    async update(db, table, set, where, values) {
      if (values.length !== set.length + where.length)
        throw new Error(`update of ${table}: ${set.length + where.length} values expected, got ${values.length}`);
      const key = `update\u0000${table}\u0000${set.join(',')}\u0000${where.join(',')}`;
      const sql = text(key, 1, () => {
        const assignments = set.map((c, i) => `${quote(c)} = ${dialect.parameterMark(i + 1)}`).join(', ');
        const conditions = where.map((c, i) => `${quote(c)} = ${dialect.parameterMark(set.length + i + 1)}`).join(' and ');
        return `update ${quote(table)} set ${assignments} where ${conditions}`;
      });
      return run(db, sql, [...values]);
    },
    async deleteIn(db, table, column, values) {
      let deleted = 0;
      const head = `delete from ${quote(table)} where ${quote(column)} in (`;
      for (const chunk of chunks(values, perStatement(1))) {
        const sql = text(head, chunk.length, () => `${head}${chunk.map((_, i) => dialect.parameterMark(i + 1)).join(', ')})`);
        deleted += await run(db, sql, [...chunk]);
      }
      return deleted;
    },
    async deleteTuples(db, table, columns, rows) {
      let deleted = 0;
      const head = `delete from ${quote(table)} where (${columns.map(quote).join(', ')}) in (values `;
      for (const chunk of chunks(rows, perStatement(columns.length))) {
        const sql = text(head, chunk.length, () => `${head}${tuples(chunk.length, columns.length)})`);
        deleted += await run(db, sql, flatten(chunk));
      }
      return deleted;
    },
  };
}
