import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { openTouchpoint } from '../src/main.js';
import { cli } from './support/cli.js';
import { DIALECTS, type TestDatabase } from './support/dialects.js';

/** The line and error code of each rejected line in a rejects file. */
function rejectedLines(path: string): [number, string][] {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return lines.map((l) => JSON.parse(l) as { line: number; code: string }).map((r) => [r.line, r.code]);
}

for (const dialect of DIALECTS) {
  describe(`touchpoint import on ${dialect.name}`, () => {
    let db: TestDatabase;
    let env: Record<string, string>;
    let dir: string;
    const events = async (sourceName: string) => {
      const tp = await openTouchpoint(loadConfig(env));
      try {
        const source = await tp.sources.find(sourceName);
        return await tp.log.query({ sourceId: source!.id, limit: 1000 });
      } finally {
        await tp.close();
      }
    };
    before(async () => {
      db = await dialect.create();
      env = { TOUCHPOINT_DATABASE_URL: db.url, TOUCHPOINT_SQLITE_SYNCHRONOUS: 'normal' };
      const { mkdtempSync } = await import('node:fs');
      dir = mkdtempSync(join((await import('node:os')).tmpdir(), 'touchpoint-import-'));
      assert.equal((await cli(['migrate'], env)).code, 0);
      const created = await cli(['sources', 'create', 'Backfill', '--channel', 'web'], env);
      assert.equal(created.code, 0, created.stderr);
      assert.equal((await cli(['sources', 'create', 'Stores', '--channel', 'store'], env)).code, 0);
    });
    after(() => db.cleanup());

    it('imports NDJSON, rejects bad lines with their numbers, and imports nothing twice', async () => {
      const file = join(dir, 'events.ndjson');
      writeFileSync(
        file,
        [
          JSON.stringify({ type: 'identify', userId: 'n1', traits: { email: 'n1@example.com' }, timestamp: '2025-01-01T00:00:00Z' }),
          JSON.stringify({ type: 'track', userId: 'n1', event: 'Order Completed', properties: { total: 10 }, messageId: 'given-id' }),
          '{not json',
          '',
          JSON.stringify({ type: 'track', userId: 'n2' }),
          JSON.stringify([1, 2]),
          JSON.stringify({ type: 'page', anonymousId: 'a1', timestamp: '2025-01-02T00:00:00Z' }),
        ].join('\n'),
      );
      const first = await cli(['import', file, '--source', 'Backfill', '--json'], env);
      assert.equal(first.code, 0, first.stderr);
      const summary = JSON.parse(first.stdout);
      assert.deepEqual({ ...summary, rejectsPath: undefined }, { read: 6, imported: 3, duplicates: 0, rejected: 3, rejectsPath: undefined });
      assert.deepEqual(rejectedLines(summary.rejectsPath), [
        [3, 'TP_INVALID_JSON'],
        [5, 'TP_MISSING_FIELD'],
        [6, 'TP_INVALID_EVENT'],
      ]);

      const again = JSON.parse((await cli(['import', file, '--source', 'Backfill', '--json'], env)).stdout);
      assert.equal(again.imported, 0);
      assert.equal(again.duplicates, 3);
      const stored = await events('Backfill');
      assert.equal(stored.length, 3);
      assert.equal(new Date(stored.find((e) => e.type === 'identify')!.timestamp).toISOString(), '2025-01-01T00:00:00.000Z', 'historical time kept');
    });

    it('rejects a line nested 5,000 levels deep with its number, and imports the lines after it', async () => {
      const file = join(dir, 'deep.ndjson');
      const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
      writeFileSync(
        file,
        [
          JSON.stringify({ type: 'track', userId: 'd1', event: 'Before', messageId: 'deep-1' }),
          `{"type":"track","userId":"d1","event":"Deep","properties":${deep}}`,
          JSON.stringify({ type: 'track', userId: 'd1', event: 'After', messageId: 'deep-3' }),
        ].join('\n'),
      );
      const run = await cli(['import', file, '--source', 'Backfill', '--json'], env);
      assert.equal(run.code, 0, run.stderr);
      const summary = JSON.parse(run.stdout);
      assert.deepEqual([summary.read, summary.imported, summary.rejected], [3, 2, 1]);
      assert.deepEqual(rejectedLines(summary.rejectsPath), [[2, 'TP_TOO_DEEP']]);
    });

    it('imports store transactions from CSV with a column mapping', async () => {
      const file = join(dir, 'pos.csv');
      writeFileSync(
        file,
        [
          'cust_no;mail;card;sold_at;receipt;total;lines;shop',
          'C-1;ann@example.com;L-77;2025-03-01 10:15;R-1;"1.212,50";SKU1:2:5,00|SKU2:1:1.202,50;S-9',
          ';;;2025-03-01 11:00;R-2;5;;S-9',
          ';bob@example.com;;not a date;R-3;5;;S-9',
          ';;L-88;1740830400;R-4;abc;;S-9',
          ';;L-88;1740830400;R-5;7,5;SKU3;S-1',
        ].join('\n'),
      );
      const args = [
        'import',
        file,
        '--source',
        'Stores',
        '--delimiter',
        ';',
        '--decimal-comma',
        '--json',
        '--map',
        'customerNumber=cust_no',
        '--map',
        'email=mail',
        '--map',
        'loyaltyCard=card',
        '--map',
        'timestamp=sold_at',
        '--map',
        'orderId=receipt',
        '--map',
        'amount=total',
        '--map',
        'items=lines',
        '--map',
        'storeId=shop',
        '--map',
        'properties.till=shop',
      ];
      const run = await cli(args, env);
      assert.equal(run.code, 0, run.stderr);
      const summary = JSON.parse(run.stdout);
      assert.equal(summary.imported, 2);
      assert.equal(summary.rejected, 3);
      assert.deepEqual(rejectedLines(summary.rejectsPath), [
        [3, 'TP_MISSING_IDENTITY'],
        [4, 'TP_INVALID_TIMESTAMP'],
        [5, 'TP_INVALID_EVENT'],
      ]);

      const stored = await events('Stores');
      const first = JSON.parse(stored.find((e) => e.anonymousId === 'customerNumber:C-1')!.payload);
      assert.equal(first.event, 'Order Completed');
      assert.equal(first.timestamp, '2025-03-01T10:15:00.000Z');
      assert.deepEqual(first.context.traits, { email: 'ann@example.com', loyaltyCard: 'L-77', customerNumber: 'C-1' });
      assert.deepEqual(first.properties, {
        order_id: 'R-1',
        total: 1212.5,
        revenue: 1212.5,
        store_id: 'S-9',
        till: 'S-9',
        products: [
          { sku: 'SKU1', quantity: 2, price: 5 },
          { sku: 'SKU2', quantity: 1, price: 1202.5 },
        ],
      });
      assert.ok(stored.every((e) => e.channel === 'store'));
      assert.equal(JSON.parse((await cli(args, env)).stdout).imported, 0, 'a second run imports nothing');
    });

    it('reads a decimal comma only with --decimal-comma, and rejects what it cannot read for sure', async () => {
      const file = join(dir, 'amounts.csv');
      writeFileSync(
        file,
        ['email;total', 'a@example.com;1.234,50', 'b@example.com;12,50', 'c@example.com;1,234', 'd@example.com;1,234.50', 'e@example.com;9.5'].join('\n'),
      );
      const run = async (...flags: string[]) => {
        const rejects = join(dir, `amounts${flags.length}.rejects.ndjson`);
        const summary = JSON.parse(
          (await cli(['import', file, '--source', 'Stores', '--delimiter', ';', '--map', 'amount=total', '--rejects', rejects, '--json', ...flags], env))
            .stdout,
        );
        return {
          summary,
          rejects: readFileSync(rejects, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l)),
        };
      };
      const plain = await run();
      assert.equal(plain.summary.imported, 2);
      assert.deepEqual(
        plain.rejects.map((r) => r.line),
        [2, 3, 4],
      );
      assert.ok(
        plain.rejects.every((r) => r.code === 'TP_INVALID_EVENT' && /^Column total: .*--decimal-comma/.test(r.message)),
        JSON.stringify(plain.rejects),
      );
      const comma = await run('--decimal-comma');
      assert.deepEqual(
        comma.rejects.map((r) => [r.line, r.code]),
        [
          [5, 'TP_INVALID_EVENT'],
          [6, 'TP_INVALID_EVENT'],
        ],
      );
      const totals = (await events('Stores'))
        .map((e) => JSON.parse(e.payload))
        .filter((m) => /^[a-e]@/.test(m.context.traits.email ?? ''))
        .map((m) => [m.context.traits.email[0], m.properties.total])
        .sort();
      assert.deepEqual(totals, [
        ['a', 1234.5],
        ['b', 12.5],
        ['c', 1.234],
        ['d', 1234.5],
        ['e', 9.5],
      ]);
    });

    it('refuses a mapping to a column the file lacks, and an unknown source', async () => {
      const file = join(dir, 'small.csv');
      writeFileSync(file, 'email\nx@example.com\n');
      const badColumn = await cli(['import', file, '--source', 'Stores', '--map', 'orderId=receipt'], env);
      assert.equal(badColumn.code, 1);
      assert.match(badColumn.stderr, /no such column/);
      const badField = await cli(['import', file, '--source', 'Stores', '--map', 'colour=email'], env);
      assert.match(badField.stderr, /Unknown field "colour"/);
      const badSource = await cli(['import', file, '--source', 'Nope'], env);
      assert.match(badSource.stderr, /No source named "Nope"/);
      const ok = await cli(['import', file, '--source', 'Stores', '--type', 'identify', '--json'], env);
      assert.equal(JSON.parse(ok.stdout).imported, 1);
      assert.equal(existsSync(`${file}.rejects.ndjson`), false, 'no rejects file when nothing was rejected');
    });
  });
}
