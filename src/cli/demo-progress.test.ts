import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createDemoProgress } from './demo-progress.js';

function lines(run: (update: (day: number, events: number, at: number) => void) => void): string[] {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk) => {
    text += String(chunk);
  });
  let clock = 0;
  const progress = createDemoProgress({ stderr }, 1000, () => clock);
  run((day, events, at) => {
    clock = at;
    progress.update({ phase: 'history', day, days: 10, events });
  });
  progress.stop();
  return text.trim().split('\n');
}

test('the time left follows the events still expected when later days have more of them', () => {
  // 1 day of 10 done in 10 s with 50 of ~1,000 events: the days' pace says 90 s, the events' 190 s.
  const [first, last] = lines((update) => {
    update(0, 0, 0);
    update(1, 50, 10_000);
    update(10, 1000, 200_000);
  });
  assert.match(first!, /10% \(day 1\/10, 50 of ~1000 events, 5 events\/s, ETA 190s\)/);
  assert.match(last!, /100% .* ETA 0s/);
});

test('the time left follows the days when the events outrun the estimate', () => {
  const [line] = lines((update) => {
    update(0, 0, 0);
    update(5, 1200, 50_000);
  });
  assert.match(line!, /50% .* ETA 50s\)/);
});

test('off a terminal, a line is printed each 10% of the days, not on each update', () => {
  const all = lines((update) => {
    update(0, 0, 0);
    update(1, 10, 1000);
    update(1, 12, 1100);
    update(2, 30, 2000);
  });
  assert.deepEqual(
    all.map((l) => l.slice(0, 13)),
    ['history: 10% ', 'history: 20% '],
  );
});
