/** `touchpoint policy show|set|simulate`: the contact policy in force, a new version from a file, and what it would decide. */
import { readFile } from 'node:fs/promises';
import { TouchpointError } from '../errors.js';
import type { MessageChannel, PolicyVersion } from '../policy/index.js';
import { print, withTouchpoint, type CliContext } from './context.js';

type Options = { config?: string; json?: boolean };

function describeVersion(v: PolicyVersion): string {
  const when = v.updatedAt === null ? 'never saved: consent only' : `saved ${new Date(v.updatedAt).toISOString()}`;
  return `version ${v.version} (${when})\n${JSON.stringify(v.policy, null, 2)}`;
}

export async function showPolicy(ctx: CliContext, options: Options): Promise<void> {
  await withTouchpoint(ctx, options, async (tp) => {
    const current = await tp.policy.current();
    print(ctx.stdout, options.json ? JSON.stringify(current) : describeVersion(current));
  });
}

export async function setPolicy(ctx: CliContext, file: string, options: Options): Promise<void> {
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new TouchpointError('TP_INVALID_JSON', `${file} is not a readable JSON file: ${(error as Error).message}`);
  }
  await withTouchpoint(ctx, options, async (tp) => {
    const saved = await tp.policy.put(input);
    print(ctx.stdout, options.json ? JSON.stringify(saved) : `Saved: ${describeVersion(saved)}`);
  });
}

export interface SimulateOptions extends Options {
  profile: string;
  channel: MessageChannel;
  fallback?: MessageChannel[];
  purpose?: string;
  content?: string;
  journey?: string;
}

export async function simulatePolicy(ctx: CliContext, options: SimulateOptions): Promise<void> {
  await withTouchpoint(ctx, options, async (tp) => {
    const { profile, channel, fallback, purpose, content, journey } = options;
    const out = await tp.journeys.simulateContact({ profileId: profile, channel, fallback, purpose, content, journey });
    if (options.json) return print(ctx.stdout, JSON.stringify(out));
    const d = out.decision;
    const where = 'channel' in d ? ` on ${d.channel}` : '';
    const until = d.kind === 'defer' ? ` until ${new Date(d.until).toISOString()}` : '';
    print(ctx.stdout, `${d.kind}${where} (${d.reason})${until}, policy version ${out.policyVersion}, zone ${out.zone}, stage ${out.stage ?? '-'}`);
    for (const s of out.trace) print(ctx.stdout, `  ${s.rule.padEnd(16)} ${s.outcome.padEnd(8)} ${[s.channel, s.reason, s.detail].filter(Boolean).join('  ')}`);
  });
}
