/**
 * `touchpoint demo` as a user runs it: a real process on a temporary folder
 * and a free port, at a small scale. It generates, serves every report with
 * data, makes the same counts from the same seed, serves the same store again
 * without generating, keeps live activity going, and stops on SIGTERM.
 * `npm run demo` (the script) starts and serves too.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/touchpoint.js');
const SMALL = ['--customers', '300', '--days', '30', '--seed', '5'];

interface Demo {
  child: ChildProcess;
  url: string;
  token: string;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM (to the process group when it is npm's) and the exit code. */
  stop(): Promise<number | null>;
}

async function startDemo(command: string, args: string[], group = false): Promise<Demo> {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, TOUCHPOINT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: group,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`the demo exited with ${code}: ${output}`)));
  });
  const token = output.match(/Admin token \(.*\): (\S+)/)?.[1];
  assert.ok(token, output);
  return {
    child,
    url,
    token,
    output: () => output,
    exited,
    async stop() {
      if (group) process.kill(-child.pid!, 'SIGTERM');
      else child.kill('SIGTERM');
      return exited;
    },
  };
}

const demoArgs = (dir: string, extra: string[] = []) => [BIN, 'demo', ...SMALL, '--data', dir, '--port', '0', '--host', '127.0.0.1', ...extra];
const countsOf = (output: string) =>
  output
    .match(/demo: (\d+) profiles, (\d+) events, (\d+) messages/)
    ?.slice(1)
    .map(Number);

async function get(demo: Demo, path: string) {
  const response = await fetch(`${demo.url}${path}`, { headers: { authorization: `Bearer ${demo.token}` } });
  assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
  return response.json() as Promise<{ tables: { name: string; rows: unknown[] }[] }>;
}

const REPORTS = [
  `funnel?steps=${encodeURIComponent('Product Viewed > Product Added > Order Completed')}&by=channel`,
  'lifecycle-flow',
  'attribution',
  'cross-channel',
  'ropo',
  'cube',
  'experiments',
];

describe('touchpoint demo', () => {
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-demo-'));
    dirs.push(dir);
    return join(dir, 'demo');
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const first = folder();
  let counts: number[] | undefined;

  it('generates the history, serves every report with data, and stops on SIGTERM', async () => {
    const demo = await startDemo(process.execPath, demoArgs(first, ['--no-trickle']));
    try {
      assert.match(demo.output(), /Generating Stride Athletics: 300 customers, 30 days/);
      assert.match(demo.output(), /history: 100% \(day 30\/30/, 'a progress line every 10% when stderr is not a terminal');
      assert.match(demo.output(), /Write key of Web shop: \S+/);
      counts = countsOf(demo.output());
      assert.ok(
        counts?.every((n) => n > 0),
        demo.output(),
      );
      const health = await fetch(`${demo.url}/health`);
      assert.equal(health.status, 200);
      for (const report of REPORTS) {
        const body = await get(demo, `/api/reports/${report}`);
        const first = body.tables[0]!;
        assert.ok(first.rows.length > 0, `${report}: ${first.name} has rows`);
      }
      const page = await fetch(`${demo.url}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<div id="app">/, 'the console is served');
      const [, users, password] = demo.output().match(/sign in as (\S+),.* password (\S+)/) ?? [];
      assert.ok(users && password, demo.output());
      const signIn = await fetch(`${demo.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: users, password }),
      });
      assert.equal(signIn.status, 200, 'the printed console user signs in');
      assert.equal((await signIn.json()).user.role, 'admin');
      const experiments = await get(demo, '/api/reports/experiments');
      const splits = experiments.tables.find((t) => t.name === 'journey_splits')!;
      assert.ok(splits.rows.length > 0, 'the journeys with a random split are compared');
    } finally {
      assert.equal(await demo.stop(), 0, demo.output());
    }
    assert.match(demo.output(), /Demo stopped \(SIGTERM\)/);
  });

  it('the same seed makes the same profiles, events and messages', async () => {
    const demo = await startDemo(process.execPath, demoArgs(folder(), ['--no-trickle']));
    await demo.stop();
    assert.deepEqual(countsOf(demo.output()), counts);
  });

  it('a restart serves the demo already there without generating, with live activity', async () => {
    const demo = await startDemo(process.execPath, demoArgs(first));
    try {
      assert.match(demo.output(), /Serving the demo already in .* --fresh makes it again/);
      assert.doesNotMatch(demo.output(), /Generating/);
      assert.deepEqual(countsOf(demo.output()), counts);
      let live = false;
      for (let i = 0; i < 100 && !live; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const response = await fetch(`${demo.url}/api/events?limit=20`, { headers: { authorization: `Bearer ${demo.token}` } });
        live = (await response.text()).includes('"live-5-');
      }
      assert.ok(live, 'the trickle sends events through the tracking API');
      const second = spawnSync(process.execPath, demoArgs(first), { cwd: ROOT, encoding: 'utf8' });
      assert.notEqual(second.status, 0, 'a second demo on the same folder is refused');
      assert.match(second.stderr, /another demo \(process \d+\) is using .*: stop it first/);
    } finally {
      assert.equal(await demo.stop(), 0, demo.output());
    }
  });

  it('npm run demo starts and serves', async () => {
    // The demo made above: the script's way in is what this checks, generating is checked above.
    const demo = await startDemo('npm', ['run', 'demo', '--', '--data', first, '--port', '0', '--host', '127.0.0.1'], true);
    try {
      const health = await fetch(`${demo.url}/health`);
      assert.equal(health.status, 200);
      await get(demo, '/api/reports/cube');
    } finally {
      await demo.stop();
    }
  });
});
