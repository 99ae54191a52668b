import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { CompiledQuery, Kysely } from 'kysely';
import { createBulk } from './bulk.js';
import { postgresAdapter, sqliteAdapter } from './dialect.js';

/** A database that records the statements it is given and writes nothing. */
function recorder() {
  const statements: CompiledQuery[] = [];
  const executeQuery = async (q: CompiledQuery) => {
    statements.push(q);
    return { rows: [], numAffectedRows: 0n };
  };
  const db = { executeQuery } as unknown as Kysely<object>;
  return { db, statements };
}

it('inserts in chunks of a power of two rows, in order, and makes each statement text once', async () => {
  const bulk = createBulk(sqliteAdapter);
  const { db, statements } = recorder();
  const rows = Array.from({ length: 1000 }, (_, i) => [i, `v${i}`]);
  await bulk.insert(db, 't', ['a', 'b'], rows);
  const sizes = statements.map((s) => s.parameters.length / 2);
  assert.deepEqual(sizes, [512, 256, 128, 64, 32, 8]);
  assert.deepEqual(
    statements.flatMap((s) => s.parameters.filter((_, i) => i % 2 === 0)),
    rows.map((r) => r[0]),
  );
  assert.match(statements[5]!.sql, /^insert into "t" \("a", "b"\) values \(\?, \?\)(, \(\?, \?\)){7}$/);
  await bulk.insert(db, 't', ['a', 'b'], rows.slice(0, 8));
  assert.equal(statements[6]!.sql, statements[5]!.sql, 'the same text, made once');
});

it('deletes by values and by tuples in the same chunks', async () => {
  const bulk = createBulk(sqliteAdapter);
  const { db, statements } = recorder();
  await bulk.deleteIn(db, 't', 'a', [1, 2, 3]);
  await bulk.deleteTuples(
    db,
    't',
    ['a', 'b'],
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
  );
  assert.deepEqual(
    statements.map((s) => [s.sql, s.parameters]),
    [
      ['delete from "t" where "a" in (?, ?)', [1, 2]],
      ['delete from "t" where "a" in (?)', [3]],
      ['delete from "t" where ("a", "b") in (values (?, ?), (?, ?))', [1, 2, 3, 4]],
      ['delete from "t" where ("a", "b") in (values (?, ?))', [5, 6]],
    ],
  );
});

it('updates one row by its conditions with a text made once, in each dialect’s parameter marks', async () => {
  const { db, statements } = recorder();
  await createBulk(sqliteAdapter).update(db, 't', ['a', 'b'], ['id', 'at'], [1, 'x', 'r1', 5]);
  await createBulk(postgresAdapter).update(db, 't', ['a', 'b'], ['id', 'at'], [2, 'y', 'r2', 6]);
  assert.deepEqual(
    statements.map((s) => [s.sql, s.parameters]),
    [
      ['update "t" set "a" = ?, "b" = ? where "id" = ? and "at" = ?', [1, 'x', 'r1', 5]],
      ['update "t" set "a" = $1, "b" = $2 where "id" = $3 and "at" = $4', [2, 'y', 'r2', 6]],
    ],
  );
  await assert.rejects(createBulk(sqliteAdapter).update(db, 't', ['a'], ['id'], [1]), /2 values expected, got 1/);
});
