#!/usr/bin/env node
// The `touchpoint` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { runCli } from '../dist/src/cli/index.js';

const stopSignal = new Promise((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => resolve(signal));
});
const code = await runCli(process.argv.slice(2), { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, stopSignal });
// Every command has closed what it opened by now (serve after SIGINT/SIGTERM): leave at once.
process.exit(code);
