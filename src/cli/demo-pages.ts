/**
 * The report requests the console makes when its pages open (console/src/
 * pages/reports/catalog.ts and the overview): the demo computes these ahead,
 * so that their answers are kept when a visitor arrives.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The console's funnel, which has no default steps in the API. */
const FUNNEL_STEPS = 'Product Viewed > Product Added > Order Completed';

export function consolePages(now: number): [string, Record<string, string>][] {
  // The overview's period ends at the next whole hour (overview-page.tsx), 30 or 90 days long.
  const to = Math.ceil(now / HOUR) * HOUR;
  const overview = (days: number, interval: string): [string, Record<string, string>] => [
    'lifecycle-flow',
    { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString(), interval },
  ];
  return [
    overview(30, 'day'),
    overview(90, 'week'),
    ['funnel', { steps: FUNNEL_STEPS }],
    ['lifecycle-flow', {}],
    ['attribution', {}],
    ['cross-channel', {}],
    ['ropo', {}],
    ['cube', {}],
    ['experiments', {}],
  ];
}
