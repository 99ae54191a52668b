/**
 * How long each Reports page of the console waits for its report: GETs
 * every report with the parameters the page opens with (the last 90 days;
 * the funnel's console steps), twice each, against a running Touchpoint —
 * e.g. the demo brand (`npm run demo -- --no-trickle`, whose demo.json holds
 * the admin token):
 *
 *   node dist/bench/report-pages.js http://127.0.0.1:4000 "$ADMIN_TOKEN"
 *
 * Prints each report's time and its answer's size.
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
  console.log(`report API times at ${base} (each run twice, one at a time)`);
  for (const [name, params] of PAGES) {
    const url = `${base}/api/reports/${name}?${new URLSearchParams(params)}`;
    const times: string[] = [];
    let size = '';
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json()) as { tables?: { name: string; rows: unknown[] }[]; error?: { message: string } };
      times.push(`${((performance.now() - started) / 1000).toFixed(2)} s`);
      if (!response.ok) throw new Error(`${name}: ${response.status} ${body.error?.message}`);
      size = body.tables!.map((t) => `${t.name} ${t.rows.length}`).join(', ');
    }
    const shown = Object.keys(params).length ? ` ${new URLSearchParams(params)}` : '';
    console.log(`${`${name}${shown}`.padEnd(90)} ${times.join(', ')}  (${size})`);
  }
}

await main();
