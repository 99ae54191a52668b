import { Readable, Writable } from 'node:stream';
import { runCli } from '../../src/cli/index.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs the touchpoint command in-process with the given environment (and text on its standard input, not a terminal). */
export async function cli(args: string[], env: Record<string, string>, input = ''): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(args, { env, stdin: Readable.from([input]), stdout, stderr, stopSignal: new Promise(() => {}) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
