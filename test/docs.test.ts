import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { ConfigSchema, envName } from '../src/config.js';

it('docs/configuration.md documents every setting', () => {
  const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  for (const key of Object.keys(ConfigSchema.properties)) {
    assert.match(doc, new RegExp(`\\| \`${envName(key)}\` \\| \`${key}\` \\|`), key);
  }
});

it('the README first screen shows how to start, test and send a first event', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const firstScreen = readme.split('\n').slice(0, 40).join('\n');
  for (const text of ['npm install && npm start', 'npm test', '/v1/track']) assert.ok(firstScreen.includes(text), text);
});
