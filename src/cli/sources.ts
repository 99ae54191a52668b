import { CHANNELS, isChannel, presentSource, type Source } from '../collect/index.js';
import { print, withTouchpoint, type CliContext } from './context.js';

type Options = { config?: string; json?: boolean };

export async function createSource(ctx: CliContext, name: string, options: Options & { channel: string }): Promise<void> {
  if (!isChannel(options.channel)) throw new Error(`--channel must be one of ${CHANNELS.join(', ')}; got ${JSON.stringify(options.channel)}`);
  const channel = options.channel;
  await withTouchpoint(ctx, options, async (tp) => {
    const source = await tp.sources.create({ name, channel });
    if (options.json) return print(ctx.stdout, JSON.stringify({ ...presentSource(source), writeKey: source.writeKey }));
    print(ctx.stdout, `Created source ${source.name} (${source.id}, channel ${source.channel}).`);
    print(ctx.stdout, `Write key (shown only now): ${source.writeKey}`);
  });
}

export async function listSources(ctx: CliContext, options: Options): Promise<void> {
  await withTouchpoint(ctx, options, async (tp) => {
    const sources = await tp.sources.list();
    if (options.json) return print(ctx.stdout, JSON.stringify(sources.map(presentSource)));
    if (sources.length === 0) return print(ctx.stdout, 'No sources yet. Create one: touchpoint sources create "Web shop" --channel web');
    for (const s of sources) print(ctx.stdout, formatSource(s));
  });
}

export async function rotateKey(ctx: CliContext, idOrName: string, options: Options & { grace?: string }): Promise<void> {
  const grace = options.grace === undefined ? 0 : Number(options.grace);
  if (!Number.isInteger(grace) || grace < 0) throw new Error(`--grace must be a whole number of seconds, got ${options.grace}`);
  await withTouchpoint(ctx, options, async (tp) => {
    const source = await tp.sources.rotateKey(idOrName, grace);
    if (options.json) return print(ctx.stdout, JSON.stringify({ ...presentSource(source), writeKey: source.writeKey }));
    print(ctx.stdout, `New write key for ${source.name} (shown only now): ${source.writeKey}`);
    print(ctx.stdout, grace > 0 ? `The old key keeps working for ${grace} seconds.` : 'The old key no longer works.');
  });
}

function formatSource(s: Source): string {
  const view = presentSource(s);
  return `${view.id}  ${view.name.padEnd(24)}  ${view.channel.padEnd(12)}  key ${view.writeKeyHint}  created ${view.createdAt}`;
}
