import assert from 'node:assert/strict';
import { it } from 'node:test';
import { inferChannel } from './channels.js';

it('infers the channel from context.channel, SDK aliases and the source', () => {
  const cases: [unknown, string][] = [
    [undefined, 'web'],
    ['email', 'email'],
    ['Call Center', 'call_center'],
    ['browser', 'web'],
    ['mobile', 'app'],
    ['server', 'web'],
    ['somewhere', 'web'],
    [42, 'web'],
    ['POS', 'store'],
  ];
  for (const [value, expected] of cases) assert.equal(inferChannel(value, 'web'), expected, String(value));
});
