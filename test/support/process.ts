/** Runs `touchpoint serve` as a real process, for tests that kill it. */
import { spawn } from 'node:child_process';
import { ADMIN_TOKEN } from './touchpoint.js';

const BIN = new URL('../../../bin/touchpoint.js', import.meta.url).pathname;

export interface ServerProcess {
  url: string;
  kill(): void;
  exited: Promise<unknown>;
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { url, kill: () => child.kill('SIGKILL'), exited };
}

/** Calls a server process's API with the test admin token; a status of 300 or more throws with the body. */
// biome-ignore lint/suspicious/noExplicitAny: answers of many shapes, read field by field
export async function callServer<T = any>(server: ServerProcess, method: string, path: string, body?: unknown, auth = `Bearer ${ADMIN_TOKEN}`): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
