import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type ConfigError, envName, loadConfig } from './config.js';

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

it('keeps the event log in the same kind of store as the rest, without printing a password', () => {
  const mixed = { TOUCHPOINT_DATABASE_URL: 'sqlite:./data/tp.db', TOUCHPOINT_LOG_DATABASE_URL: 'postgres://ann:secret@db/log' };
  assert.throws(
    () => loadConfig(mixed),
    (error: ConfigError) => {
      assert.match(error.message, /TOUCHPOINT_LOG_DATABASE_URL \(logDatabaseUrl\): .*both SQLite or both PostgreSQL/);
      assert.doesNotMatch(error.message, /secret/);
      return true;
    },
  );
  assert.equal(loadConfig({ TOUCHPOINT_LOG_DATABASE_URL: 'sqlite:/var/log-disk/tp-log.db' }).logDatabaseUrl, 'sqlite:/var/log-disk/tp-log.db');
  const twoDatabases = { TOUCHPOINT_DATABASE_URL: 'postgres://db/tp', TOUCHPOINT_LOG_DATABASE_URL: 'postgres://db/log' };
  assert.throws(() => loadConfig(twoDatabases), /on PostgreSQL the event log is a table in the same database/);
});

it('refuses a database URL of a kind it does not know, instead of taking it for a file name', () => {
  assert.throws(() => loadConfig({ TOUCHPOINT_LOG_DATABASE_URL: 'mysql://x' }), /TOUCHPOINT_LOG_DATABASE_URL \(logDatabaseUrl\): use sqlite:PATH/);
  assert.throws(
    () => loadConfig({ TOUCHPOINT_DATABASE_URL: 'mysql://u:pw@x/db' }),
    (error: ConfigError) => !error.message.includes('pw') && /TOUCHPOINT_DATABASE_URL/.test(error.message),
  );
  assert.equal(loadConfig({ TOUCHPOINT_DATABASE_URL: 'sqlite:///srv/tp.db' }).databaseUrl, 'sqlite:///srv/tp.db');
});

it('maps camelCase keys to TOUCHPOINT_ names', () => {
  assert.equal(envName('maxBatchBytes'), 'TOUCHPOINT_MAX_BATCH_BYTES');
});

it('reads TOUCHPOINT_TRUST_PROXY as true, false or a list of addresses; a hop count is refused, not ignored', () => {
  assert.equal(loadConfig({}).trustProxy, false);
  const cases: [string, boolean | string][] = [
    ['true', true],
    ['FALSE', false],
    ['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8, 127.0.0.1'],
    ['loopback,::1,fd00::/8', 'loopback,::1,fd00::/8'],
    ['192.168.0.0/255.255.0.0', '192.168.0.0/255.255.0.0'],
  ];
  for (const [text, value] of cases) assert.equal(loadConfig({ TOUCHPOINT_TRUST_PROXY: text }).trustProxy, value, text);
  assert.equal(loadConfig({}, { configFile: '/x.json', readFile: () => '{"trustProxy": "10.0.0.1"}' }).trustProxy, '10.0.0.1');
  for (const bad of ['yes', '10.0.0.0/33', 'proxy.example.com', '127.0.0.1,', '1.2.3.4/8/1', '-1']) {
    assert.throws(() => loadConfig({ TOUCHPOINT_TRUST_PROXY: bad }), /TOUCHPOINT_TRUST_PROXY \(trustProxy\): .* is not an IP address/, bad);
  }
  for (const attempt of [
    () => loadConfig({ TOUCHPOINT_TRUST_PROXY: '1' }),
    () => loadConfig({}, { configFile: '/x.json', readFile: () => '{"trustProxy": 2}' }),
  ]) {
    assert.throws(attempt, (error: ConfigError) => {
      assert.equal(error.problems.length, 1);
      assert.match(error.message, /TOUCHPOINT_TRUST_PROXY \(trustProxy\): a hop count \(\d\) cannot tell a proxy from a client/);
      return true;
    });
  }
});

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

it('checks each channel by its kind, naming the field and never repeating a secret', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const channels = {
    sms: { kind: 'webhook', url: 'ftp://x', secret, colour: 'red' },
    push: { kind: 'webhok' },
    'Bad!': { kind: 'webhook', url: 'https://x.test', secret },
    email: {
      kind: 'smtp',
      host: 'smtp.test',
      user: 'tp',
      pass: 'very-secret-password',
      dkim: { domainName: 'shop.test', keySelector: 's1', privateKey: 'NOT-A-KEY' },
    },
  };
  const problems = problemsOf({ TOUCHPOINT_CHANNELS: JSON.stringify(channels), TOUCHPOINT_OUTBOUND_ALLOW_LIST: '["10.0.0.0/33"]' });
  assert.deepEqual(problems, [
    'TOUCHPOINT_CHANNELS (channels/sms/colour: Unexpected property)',
    'TOUCHPOINT_CHANNELS (channels/sms/url: not of the form expected (Where messages are POSTed (http: or https:).))',
    'TOUCHPOINT_CHANNELS (channels/push/kind: must be one of smtp, webhook, got "webhok")',
    'TOUCHPOINT_CHANNELS (channels/Bad!: a channel name is a lower-case letter, then lower-case letters, digits, _ or - (at most 50))',
    'TOUCHPOINT_CHANNELS (channels/email/from: Expected required property)',
    'TOUCHPOINT_CHANNELS (channels/email/dkim/privateKey: not a private key in PEM (-----BEGIN PRIVATE KEY-----))',
    'TOUCHPOINT_OUTBOUND_ALLOW_LIST (outboundAllowList): Not a CIDR range, an IP address or a host name: "10.0.0.0/33"',
  ]);
  assert.ok(!problems.join('\n').includes('MfKQ9r8G') && !problems.join('\n').includes('very-secret'), 'no secret in the messages');
  assert.deepEqual(problemsOf({ TOUCHPOINT_CHANNELS: JSON.stringify({ outbox: { kind: 'webhook', url: 'https://x.test', secret } }) }), [
    'TOUCHPOINT_CHANNELS (channels/outbox): "outbox" is a built-in channel; choose another name',
  ]);
});

it('fills each channel kind with its defaults', () => {
  const config = loadConfig({ TOUCHPOINT_CHANNELS: JSON.stringify({ email: { kind: 'smtp', host: 'smtp.test', from: 'news@shop.test' } }) });
  assert.deepEqual(config.channels.email, {
    kind: 'smtp',
    host: 'smtp.test',
    from: 'news@shop.test',
    port: 587,
    secure: false,
    requireTLS: false,
    rejectUnauthorized: true,
    pool: true,
    maxConnections: 5,
    maxAttempts: 8,
  });
});
