import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cli } from './support/cli.js';
import { DIALECTS, type TestDatabase } from './support/dialects.js';

describe('touchpoint CLI', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    db = await DIALECTS[0]!.create();
    env = { TOUCHPOINT_DATABASE_URL: db.url };
  });
  after(() => db.cleanup());

  it('has help for every command', async () => {
    for (const args of [['--help'], ['sources', '--help'], ['import', '--help'], ['serve', '--help'], ['replay', '--help'], ['sources', 'rotate-key', '--help']]) {
      const run = await cli(args, env);
      assert.equal(run.code, 0, args.join(' '));
      assert.match(run.stdout, /Usage: touchpoint/);
    }
  });

  it('migrates, then says the schema is up to date', async () => {
    assert.match((await cli(['migrate'], env)).stdout, /applied/);
    assert.match((await cli(['migrate'], env)).stdout, /up to date/);
  });

  it('creates, lists and rotates sources', async () => {
    const created = await cli(['sources', 'create', 'Call centre', '--channel', 'call_center', '--json'], env);
    const source = JSON.parse(created.stdout);
    assert.equal(source.channel, 'call_center');
    assert.match((await cli(['sources', 'list'], env)).stdout, /Call centre\s+call_center/);
    const rotated = await cli(['sources', 'rotate-key', 'Call centre', '--grace', '60'], env);
    assert.match(rotated.stdout, /New write key for Call centre/);
    assert.match(rotated.stdout, /keeps working for 60 seconds/);
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
    const run = await cli(['migrate'], { ...env, TOUCHPOINT_LOG_PARTITIONS: 'many', TOUCHPOINT_SQLITE_SYNCHRONOUS: 'off', TOUCHPOINT_PROT: '1' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /TOUCHPOINT_LOG_PARTITIONS/);
    assert.match(run.stderr, /TOUCHPOINT_SQLITE_SYNCHRONOUS/);
    assert.match(run.stderr, /TOUCHPOINT_PROT: unknown setting/);
  });
});
