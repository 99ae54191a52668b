// Runs every compiled test file (unit tests beside the code, cross-module tests
// under test/) with node's test runner. Node 20 needs the files listed.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const filter = process.argv[2];
const files = ['dist/src', 'dist/test']
  .flatMap(find)
  .filter((f) => !filter || f.includes(filter))
  .sort();
// Node's own choice of reporter, plus one that names the skipped tests after the summary.
const reporters = [
  '--test-reporter',
  process.stdout.isTTY ? 'spec' : 'tap',
  '--test-reporter-destination',
  'stdout',
  '--test-reporter',
  fileURLToPath(new URL('./skipped-reporter.mjs', import.meta.url)),
  '--test-reporter-destination',
  'stdout',
];
const result = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=2', ...reporters, ...files], { stdio: 'inherit' });
if (!process.env.TOUCHPOINT_TEST_DATABASE_URL) {
  console.log('PostgreSQL tests not run: set TOUCHPOINT_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them.');
}
process.exit(result.status ?? 1);
