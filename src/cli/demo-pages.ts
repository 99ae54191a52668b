/**
 * The report requests the console makes when its pages open (console/src/
 * pages/reports/catalog.ts and the overview): the demo computes these ahead,
 * so that their answers are kept when a visitor arrives.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The console's funnel, which has no default steps in the API. */
const FUNNEL_STEPS = 'Product Viewed > Product Added > Order Completed';

/** The overview's periods: 30 or 90 days to the next whole hour (overview-page.tsx). */
export function overviewPeriods(now: number): { days: number; from: string; to: string }[] {
  const to = Math.ceil(now / HOUR) * HOUR;
  return [30, 90].map((days) => ({ days, from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString() }));
}

export function consolePages(now: number): [string, Record<string, string>][] {
  const [month, quarter] = overviewPeriods(now);
  const overview = (p: { from: string; to: string }, interval: string): [string, Record<string, string>] => [
    'lifecycle-flow',
    { from: p.from, to: p.to, interval },
  ];
  return [
    overview(month!, 'day'),
    overview(quarter!, 'week'),
    ['funnel', { steps: FUNNEL_STEPS }],
    ['lifecycle-flow', {}],
    ['attribution', {}],
    ['cross-channel', {}],
    ['ropo', {}],
    ['cube', {}],
    ['experiments', {}],
  ];
}
