/** `touchpoint journeys list|show|pause|resume`: the journeys of the store, and pausing or resuming one. */
import type { Journey, JourneyStats } from '../journeys/index.js';
import { print, withTouchpoint, type CliContext } from './context.js';

type Options = { config?: string; json?: boolean };

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

function line(j: Journey): string {
  const entry = Object.keys(j.definition.entry)[0];
  return `${j.id}  ${j.name.padEnd(28)}  ${j.status.padEnd(8)}  v${String(j.version).padEnd(3)}  entry ${entry}  ${j.definition.steps.length} steps`;
}

export async function listJourneys(ctx: CliContext, options: Options): Promise<void> {
  await withTouchpoint(ctx, options, async (tp) => {
    const journeys = await tp.journeys.list();
    if (options.json) return print(ctx.stdout, JSON.stringify(journeys));
    if (journeys.length === 0) return print(ctx.stdout, 'No journeys yet. Create one with POST /api/journeys (docs/journeys.md).');
    for (const j of journeys) print(ctx.stdout, line(j));
  });
}

function describeStats(stats: JourneyStats): string[] {
  const ended = Object.entries(stats.ended).map(([k, v]) => `${k} ${v}`);
  const suppressed = Object.entries(stats.messages.suppressed).map(([k, v]) => `${k} ${v}`);
  return [
    `entered ${stats.entered}, in it now ${stats.active}${ended.length ? `, ended: ${ended.join(', ')}` : ''}`,
    `messages: sent ${stats.messages.sent}, suppressed ${suppressed.length ? suppressed.join(', ') : '0'}, failed ${stats.messages.failed}`,
    `converted ${stats.converted} (${(stats.conversionRate * 100).toFixed(1)}%), value ${stats.value}`,
    'steps (reached / there now / passed / sent):',
    ...stats.steps.map((s) => `  ${s.id.padEnd(20)} ${s.kind.padEnd(9)} ${s.reached} / ${s.now} / ${s.passed} / ${s.sent}`),
    ...(stats.arms.some((a) => a.arm !== null)
      ? [
          'split arms (entered / sent / converted / value):',
          ...stats.arms.map((a) => `  ${String(a.arm).padEnd(12)} ${a.entered} / ${a.sent} / ${a.converted} / ${a.value}`),
        ]
      : []),
  ];
}

export async function showJourney(ctx: CliContext, idOrName: string, options: Options): Promise<void> {
  await withTouchpoint(ctx, options, async (tp) => {
    const { journey, stats } = await tp.journeys.stats(idOrName);
    if (options.json) return print(ctx.stdout, JSON.stringify({ journey, stats }));
    print(ctx.stdout, line(journey));
    print(ctx.stdout, `live since ${iso(journey.liveSince)}, updated ${iso(journey.updatedAt)}`);
    for (const text of describeStats(stats)) print(ctx.stdout, text);
  });
}

export async function setJourneyStatus(ctx: CliContext, idOrName: string, status: 'paused' | 'live', options: Options): Promise<void> {
  await withTouchpoint(ctx, options, async (tp) => {
    const journey = await tp.journeys.setStatus(idOrName, status);
    if (options.json) return print(ctx.stdout, JSON.stringify(journey));
    print(ctx.stdout, status === 'paused' ? `Paused ${journey.name}: no one enters, and customers in it wait where they are.` : `${journey.name} is live.`);
  });
}
