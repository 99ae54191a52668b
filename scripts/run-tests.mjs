// Runs every compiled test file (unit tests beside the code, cross-module tests
// under test/) with node's test runner. Node 20 needs the files listed.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const filter = process.argv[2];
const files = ['dist/src', 'dist/test'].flatMap(find).filter((f) => !filter || f.includes(filter)).sort();
if (!process.env.TOUCHPOINT_TEST_DATABASE_URL) {
  console.log('PostgreSQL tests skipped: set TOUCHPOINT_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them.');
}
const result = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
