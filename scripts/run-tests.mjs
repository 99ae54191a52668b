// Runs every compiled test file (unit tests beside the code, cross-module tests
// under test/) with node's test runner, two files at a time. Node 20 needs the
// files listed, and `node --test` sorts them by name: run() keeps our order.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';
import skippedReporter from './skipped-reporter.mjs';

// The test files run with this process's flags: their stack traces point into the TypeScript.
if (!process.execArgv.includes('--enable-source-maps')) {
  const again = spawnSync(process.execPath, ['--enable-source-maps', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(again.status ?? 1);
}

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

// The longest files start first, so that the last ones to finish are short
// and neither core waits long for the other at the end.
const LONGEST = [
  'delivery-crash',
  'journeys',
  'journeys-crash',
  'demo',
  'console-act',
  'email-journey',
  'simulate',
  'worker',
  'delivery',
  'policy',
  'users-api',
  'console-reports',
  'destinations',
  'jobs-crash',
  'console-people',
].map((name) => join('dist', 'test', `${name}.test.js`));
const rank = (file) => (LONGEST.includes(file) ? LONGEST.indexOf(file) : LONGEST.length);

const filter = process.argv[2];
const files = ['dist/src', 'dist/test']
  .flatMap(find)
  .filter((f) => !filter || f.includes(filter))
  .sort()
  .sort((a, b) => rank(a) - rank(b));

const stream = run({ files, concurrency: 2 });
// As `node --test` does: a failure (not a todo) fails the run.
stream.on('test:fail', (data) => {
  if (data.todo === undefined || data.todo === false) process.exitCode = 1;
});
// Node's own choice of reporter, plus one that names the skipped tests after the summary.
const reports = [process.stdout.isTTY ? new spec() : tap, skippedReporter].map((reporter) =>
  stream.pipe(new PassThrough({ objectMode: true })).compose(reporter),
);
for (const report of reports) report.pipe(process.stdout);
await Promise.all(reports.map((report) => finished(report)));
if (!process.env.TOUCHPOINT_TEST_DATABASE_URL) {
  console.log('PostgreSQL tests not run: set TOUCHPOINT_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them.');
}
