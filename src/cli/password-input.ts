/**
 * Reading a password for `touchpoint users`: asked twice on a terminal
 * without echo, or one line of standard input (a pipe, --password-stdin), so
 * that it never shows in the shell's history or the process list.
 */
import type { CliContext } from './context.js';

type Input = NonNullable<CliContext['stdin']>;

export async function readPassword(ctx: CliContext, options: { fromStdin?: boolean; what: string }): Promise<string> {
  const input = ctx.stdin;
  if (!input) throw new Error('No standard input to read the password from.');
  if (options.fromStdin || !input.isTTY || !input.setRawMode) return readLine(input);
  const first = await askHidden(input, ctx.stderr, `${options.what}: `);
  const again = await askHidden(input, ctx.stderr, `${options.what} again: `);
  if (first !== again) throw new Error('The two passwords differ; nothing was changed.');
  return first;
}

/** The first line of the input, without its line ending. */
function readLine(input: Input): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = () => {
      input.off('data', onData);
      input.off('end', finish);
      input.off('error', reject);
      input.pause();
      resolve(text.split(/\r?\n/)[0]!);
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n')) finish();
    };
    input.on('data', onData);
    input.on('end', finish);
    input.on('error', reject);
    input.resume();
  });
}

function askHidden(input: Input, output: NodeJS.WritableStream, prompt: string): Promise<string> {
  output.write(prompt);
  input.setRawMode?.(true);
  let chars: string[] = [];
  return new Promise((resolve, reject) => {
    const stop = () => {
      input.setRawMode?.(false);
      input.off('data', onData);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') {
          stop();
          return resolve(chars.join(''));
        }
        if (ch === '\u0003' || ch === '\u0004') {
          stop();
          return reject(new Error('Cancelled; nothing was changed.'));
        }
        if (ch === '\u007f' || ch === '\b') chars = chars.slice(0, -1);
        else if (ch >= ' ') chars.push(ch);
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
