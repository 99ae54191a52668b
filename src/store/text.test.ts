import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { foldAscii, isWellFormed, openStore, startsWith, successor, type Store } from './index.js';

it('finds the successor of a prefix in code point order', () => {
  assert.equal(successor('bea@'), 'beaA');
  assert.equal(successor('müll'), 'mülm');
  assert.equal(successor('a\uD7FF'), 'a\uE000', 'past the surrogates');
  assert.equal(successor('a\u{10FFFF}'), 'b', 'the last code point has no successor: the one before it moves');
  assert.equal(successor('\u{10FFFF}'), undefined);
  assert.equal(successor('x\u{1F600}'), 'x\u{1F601}');
});

it('folds A-Z alone, as the databases do', () => {
  assert.equal(foldAscii('ANN-1 Müller ÄÖ'), 'ann-1 müller ÄÖ');
  assert.equal(isWellFormed('ann\u{1F600}'), true);
  assert.equal(isWellFormed('ann\uD800'), false);
});

type Tables = { search_test: { value: string } };

for (const dialect of DIALECTS) {
  describe(`prefix search on ${dialect.name}`, () => {
    let db: TestDatabase;
    let store: Store;
    const values = [
      'bea@example.com',
      'bea.x@example.com',
      'beax',
      'Bea@Example.org',
      'müller',
      'Müller',
      'MÜLLER',
      'ann-1',
      'Ann-2',
      'anna',
      'an',
      '50%_off',
      '50x',
      'x\u{1F600}y',
      'x\u{1F600}',
      'x\uFFFF',
      'x\u{10000}',
    ];
    before(async () => {
      db = await dialect.create();
      store = openStore(db.url, { sqliteSynchronous: 'normal' });
      await store.db.schema
        .createTable('search_test')
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await store.db.schema.createIndex('search_test_key').on('search_test').expression(store.dialect.searchKey('value')).execute();
      await store.db.schema
        .createIndex('search_test_folded')
        .on('search_test')
        .expression(store.dialect.searchKey('value', { foldAscii: true }))
        .execute();
      // Enough rows that a planner prefers the index when it can use it.
      const filler = Array.from({ length: 20_000 }, (_, i) => [`${(i * 7919).toString(36)}-${i}`]);
      await store.write((trx) => store.bulk.insert(trx, 'search_test', ['value'], [...values.map((v) => [v]), ...filler]));
      await sql`analyze`.execute(store.db);
    });
    after(async () => {
      await store.close();
      await db.cleanup();
    });

    const find = (prefix: string, foldAsciiCase = false) => {
      const key = store.dialect.searchKey('value', { foldAscii: foldAsciiCase });
      return store.db.withTables<Tables>().selectFrom('search_test').select('value').where(startsWith(key, prefix)).orderBy(key).orderBy('value');
    };

    it('matches exactly the values that start with the prefix, byte for byte', async () => {
      const cases: [string, string[]][] = [
        ['bea@', ['bea@example.com']],
        ['Müll', ['Müller']],
        ['50%', ['50%_off']],
        ['50_', []],
        ['x\u{1F600}', ['x\u{1F600}', 'x\u{1F600}y']],
        ['x\uFFFF', ['x\uFFFF']],
      ];
      for (const [prefix, expected] of cases) {
        assert.deepEqual(
          (await find(prefix).execute()).map((r) => r.value),
          expected,
          prefix,
        );
      }
    });

    it('folds A-Z and nothing else when asked', async () => {
      const cases: [string, string[]][] = [
        ['ann', ['an', 'ann-1', 'Ann-2', 'anna'].filter((v) => v.toLowerCase().startsWith('ann'))],
        ['bea@', ['Bea@Example.org', 'bea@example.com']],
        ['müll', ['Müller', 'müller']],
        ['mÜll', ['MÜLLER']],
      ];
      for (const [prefix, expected] of cases) {
        assert.deepEqual((await find(prefix, true).execute()).map((r) => r.value).sort(), expected.sort(), prefix);
      }
    });

    it('is served by an index on the search key', async () => {
      for (const [index, query] of [
        ['search_test_key', find('bea@')],
        ['search_test_folded', find('ann', true)],
      ] as const) {
        const plan = (await store.dialect.explain(store.db, query.compile())).join('\n');
        assert.match(plan, new RegExp(`\\b${index}\\b`), plan);
      }
    });
  });
}
