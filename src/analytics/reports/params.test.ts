import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PERIOD, readParameters, type ParamSpec } from './params.js';

const SPECS: ParamSpec[] = [
  ...PERIOD,
  { name: 'window', kind: 'duration', default: '7d', description: 'w' },
  { name: 'n', kind: 'integer', min: 1, description: 'n' },
];

it('reads dates in UTC, durations, whole numbers; refuses what is not', () => {
  assert.deepEqual(readParameters(SPECS, { from: '2026-01-31', to: '2026-01-31T12:00:00', n: '3' }), {
    from: Date.UTC(2026, 0, 31),
    to: Date.UTC(2026, 0, 31, 12),
    window: 7 * 86_400_000,
    n: 3,
  });
  assert.equal(readParameters(SPECS, { to: '2026-01-31T12:00:00+02:00' }).to, Date.UTC(2026, 0, 31, 10));
  assert.throws(() => readParameters(SPECS, { from: '2026-02-30' }), /^ReportParameterError: from: that day is not in the calendar/);
  assert.throws(() => readParameters(SPECS, { window: '7 days' }), /window: give a positive duration/);
  assert.throws(() => readParameters(SPECS, { n: '1.5' }), /n: give a whole number/);
  assert.throws(() => readParameters(SPECS, { n: '0' }), /n: must be at least 1/);
  assert.throws(() => readParameters(SPECS, { size: '1' }), /size: this report takes no such parameter; it takes from, to, window, n/);
});
