import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspectStore } from '../src/store/index.js';
import { cli } from './support/cli.js';
import { DIALECTS, type TestDatabase } from './support/dialects.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

for (const dialect of DIALECTS) {
  describe(`touchpoint CLI on ${dialect.name}`, () => {
    let db: TestDatabase;
    let env: Record<string, string>;
    let location: string;
    before(async () => {
      db = await dialect.create();
      env = { TOUCHPOINT_DATABASE_URL: db.url };
      location = (await inspectStore(db.url)).location;
    });
    after(() => db.cleanup());

    it('has help for every command', async () => {
      for (const args of [
        ['--help'],
        ['sources', '--help'],
        ['import', '--help'],
        ['serve', '--help'],
        ['replay', '--help'],
        ['sources', 'rotate-key', '--help'],
      ]) {
        const run = await cli(args, env);
        assert.equal(run.code, 0, args.join(' '));
        assert.match(run.stdout, /Usage: touchpoint/);
      }
    });

    it('refuses to make a new store for commands that work on an existing one, and says how to find it', async () => {
      const file = join(tmpdir(), `touchpoint-cli-${process.pid}.ndjson`);
      writeFileSync(file, '{"type":"identify","userId":"u1"}\n');
      const commands = [
        ['sources', 'list'],
        ['sources', 'create', 'Web', '--channel', 'web'],
        ['sources', 'rotate-key', 'Web'],
        ['import', file, '--source', 'Web'],
        ['replay', '--rebuild'],
      ];
      for (const args of commands) {
        const run = await cli(args, env);
        assert.equal(run.code, 1, args.join(' '));
        assert.equal(run.stderr.split('\n')[0], `store: ${location} (no Touchpoint store there)`);
        assert.match(run.stderr, /No Touchpoint store at .*created nothing/);
        assert.match(run.stderr, /TOUCHPOINT_DATABASE_URL .*relative to the current folder.*--config FILE/s);
        assert.match(run.stderr, /touchpoint migrate \(or npm start\)/);
      }
      rmSync(file);
      assert.equal((await inspectStore(db.url)).initialized, false, 'nothing was set up');
      if (dialect.name === 'sqlite') assert.equal(existsSync(location), false, 'no SQLite file was made');
    });

    it('migrates, then says the schema is up to date, naming the store on stderr', async () => {
      const first = await cli(['migrate'], env);
      assert.match(first.stdout, /applied/);
      assert.equal(first.stderr, `store: ${location} (new)\n`);
      const again = await cli(['migrate'], env);
      assert.match(again.stdout, /up to date/);
      assert.equal(again.stderr, `store: ${location}\n`);
    });

    it('creates, lists and rotates sources, with ISO 8601 times in JSON', async () => {
      const created = await cli(['sources', 'create', 'Call centre', '--channel', 'call_center', '--json'], env);
      const logLine = dialect.name === 'sqlite' ? `event log: ${location.replace(/\.db$/, '-log.db')}\n` : '';
      assert.equal(created.stderr, `store: ${location}\n${logLine}`, 'names the store, and the log file when it has one');
      const source = JSON.parse(created.stdout);
      assert.equal(source.channel, 'call_center');
      assert.match(source.createdAt, ISO);
      assert.equal(typeof source.writeKey, 'string');
      assert.match((await cli(['sources', 'list'], env)).stdout, /Call centre\s+call_center/);
      const [listed] = JSON.parse((await cli(['sources', 'list', '--json'], env)).stdout);
      assert.deepEqual(
        { ...listed },
        { id: source.id, name: 'Call centre', channel: 'call_center', writeKeyHint: source.writeKeyHint, createdAt: source.createdAt, rotatedAt: null },
      );
      const rotated = await cli(['sources', 'rotate-key', 'Call centre', '--grace', '60'], env);
      assert.match(rotated.stdout, /New write key for Call centre/);
      assert.match(rotated.stdout, /keeps working for 60 seconds/);
      assert.match(JSON.parse((await cli(['sources', 'rotate-key', 'Call centre', '--json'], env)).stdout).rotatedAt, ISO);
      const bad = await cli(['sources', 'create', 'X', '--channel', 'fax'], env);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /--channel must be one of/);
      const missing = await cli(['sources', 'rotate-key', 'nope'], env);
      assert.match(missing.stderr, /TP_SOURCE_NOT_FOUND/);
    });

    it('replays from a position, the dead letters, or everything', async () => {
      assert.match((await cli(['replay', '--rebuild'], env)).stdout, /Rebuilt everything from the log/);
      assert.match((await cli(['replay', '--from', '1'], env)).stdout, /Replayed from 1/);
      assert.deepEqual(JSON.parse((await cli(['replay', '--dead-letters', '--json'], env)).stdout), { replayed: 0, stillFailing: 0 });
      const none = await cli(['replay'], env);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /--from SEQ, --dead-letters or --rebuild/);
    });

    it('fails at start on bad configuration, naming the setting', async () => {
      const run = await cli(['migrate'], { ...env, TOUCHPOINT_LOG_PARTITIONS: 'many', TOUCHPOINT_SQLITE_SYNCHRONOUS: 'sometimes', TOUCHPOINT_PROT: '1' });
      assert.equal(run.code, 1);
      assert.match(run.stderr, /TOUCHPOINT_LOG_PARTITIONS/);
      assert.match(run.stderr, /TOUCHPOINT_SQLITE_SYNCHRONOUS/);
      assert.match(run.stderr, /TOUCHPOINT_PROT: unknown setting/);
    });
  });
}

describe('touchpoint CLI run from another folder', () => {
  it('names the store the default URL resolves to there, refuses it, and creates neither file nor folder', async () => {
    const home = process.cwd();
    const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'touchpoint-elsewhere-')));
    process.chdir(elsewhere);
    try {
      const run = await cli(['sources', 'list'], {});
      assert.equal(run.code, 1);
      assert.equal(run.stderr.split('\n')[0], `store: ${join(elsewhere, 'data', 'touchpoint.db')} (no Touchpoint store there)`);
      assert.equal(existsSync(join(elsewhere, 'data')), false);
    } finally {
      process.chdir(home);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
