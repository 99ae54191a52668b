import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError, envName, loadConfig } from './config.js';

it('has defaults that serve on port 4000 with a SQLite file', () => {
  const config = loadConfig({});
  assert.equal(config.port, 4000);
  assert.equal(config.databaseUrl, 'sqlite:./data/touchpoint.db');
  assert.equal(config.sqliteSynchronous, 'full');
});

it('reads settings from the environment, converting types', () => {
  const config = loadConfig({ TOUCHPOINT_PORT: '8080', TOUCHPOINT_LOG_LEVEL: 'debug', PATH: '/bin', TOUCHPOINT_TEST_DATABASE_URL: 'x' });
  assert.equal(config.port, 8080);
  assert.equal(config.logLevel, 'debug');
});

it('reads a JSON file, which the environment overrides', () => {
  const files: Record<string, string> = { '/etc/tp.json': JSON.stringify({ port: 5000, logPartitions: 8 }) };
  const config = loadConfig({ TOUCHPOINT_CONFIG: '/etc/tp.json', TOUCHPOINT_PORT: '6000' }, { readFile: (p) => files[p]! });
  assert.equal(config.port, 6000);
  assert.equal(config.logPartitions, 8);
});

it('names every bad setting', () => {
  const attempt = () => loadConfig({ TOUCHPOINT_PORT: 'eighty', TOUCHPOINT_ADMIN_TOKEN: 'short', TOUCHPOINT_COLOUR: 'red' });
  assert.throws(attempt, (error: ConfigError) => {
    assert.equal(error.problems.length, 3);
    assert.match(error.message, /TOUCHPOINT_PORT \(port\)/);
    assert.match(error.message, /TOUCHPOINT_ADMIN_TOKEN/);
    assert.match(error.message, /TOUCHPOINT_COLOUR: unknown setting/);
    return true;
  });
  assert.throws(() => loadConfig({ TOUCHPOINT_CONFIG: '/x.json' }, { readFile: () => '{"port": 1, "bogus": true}' }), /bogus/);
  assert.throws(() => loadConfig({ TOUCHPOINT_CONFIG: '/x.json' }, { readFile: () => 'nope' }), /not valid JSON/);
});

it('maps camelCase keys to TOUCHPOINT_ names', () => {
  assert.equal(envName('maxBatchBytes'), 'TOUCHPOINT_MAX_BATCH_BYTES');
});
