/**
 * How long each Reports page of the console waits for its report: GETs
 * every report with the parameters the page opens with (the last 90 days;
 * the funnel's console steps), twice each, against a running Touchpoint —
 * e.g. the demo brand (`npm run demo -- --no-trickle`, whose demo.json holds
 * the admin token):
 *
 *   node dist/bench/report-pages.js http://127.0.0.1:4000 "$ADMIN_TOKEN"
 *
 * Each page is asked with fresh=true (computed now: the baseline) and then
 * as the console asks (an answer kept from the first, or from the demo's
 * warm-up): prints both times, their ratio and the answer's size.
 */
import { performance } from 'node:perf_hooks';

const PAGES: [string, Record<string, string>][] = [
  ['funnel', { steps: 'Product Viewed > Product Added > Order Completed' }],
  ['funnel', { steps: 'Product Viewed > Product Added > Order Completed', by: 'channel' }],
  ['lifecycle-flow', {}],
  ['attribution', {}],
  ['attribution', { by: 'campaign' }],
  ['cross-channel', {}],
  ['ropo', {}],
  ['cube', {}],
  ['cube', { dimensions: 'channel,category' }],
  ['experiments', {}],
];

async function main(): Promise<void> {
  const [base, token] = process.argv.slice(2);
  if (!base || !token) throw new Error('usage: node dist/bench/report-pages.js <url> <admin token>');
  console.log(`report API times at ${base}: computed now (fresh=true) against the answer kept, one request at a time`);
  for (const [name, params] of PAGES) {
    const url = `${base}/api/reports/${name}?${new URLSearchParams(params)}`;
    const computed = await timed(`${url}&fresh=true`, token);
    const kept = await timed(url, token);
    const shown = Object.keys(params).length ? ` ${new URLSearchParams(params)}` : '';
    console.log(
      `${`${name}${shown}`.padEnd(86)} computed ${computed.seconds.toFixed(2)} s, kept ${kept.seconds.toFixed(3)} s (cached: ${kept.cached}), ratio ${(computed.seconds / kept.seconds).toFixed(0)}  (${kept.size})`,
    );
  }
}

async function timed(url: string, token: string): Promise<{ seconds: number; size: string; cached: boolean }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as {
    tables?: { name: string; rows: unknown[] }[];
    freshness?: { cached: boolean };
    error?: { message: string };
  };
  const seconds = (performance.now() - started) / 1000;
  if (!response.ok) throw new Error(`${url}: ${response.status} ${body.error?.message}`);
  return { seconds, size: body.tables!.map((t) => `${t.name} ${t.rows.length}`).join(', '), cached: body.freshness?.cached ?? false };
}

await main();
