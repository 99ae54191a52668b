/** The printed comparison of the two runs, side by side. */
import type { ArmResult } from './run.js';
import { mean, percentile, proportionDifference } from './stats.js';

const int = (n: number) => Math.round(n).toLocaleString('en');
const fixed = (n: number, digits = 2) => n.toFixed(digits);
const pct = (n: number) => `${(100 * n).toFixed(1)}%`;
const signed = (n: number, digits = 1) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;

/** The incremental effect of messages: treated customers against the control group's draw (held out only in the policy run). */
export function incrementality(r: ArmResult) {
  const g = r.groups;
  const rate = proportionDifference(g.treatedConverted, g.treated, g.controlConverted, g.control);
  return { ...rate, incremental: rate.difference * g.treated, incrementalLow: rate.low * g.treated, incrementalHigh: rate.high * g.treated };
}

export interface Figures {
  mean: number;
  p95: number;
}

export const weeklyFigures = (r: ArmResult): Figures => ({ mean: mean(r.perCustomerWeek), p95: percentile(r.perCustomerWeek, 95) });

export function formatReport(
  runs: { none: ArmResult; policy: ArmResult },
  meta: { seed: number; wallSeconds: number; armSeconds: Record<string, number>; load: string },
): string {
  const { none, policy } = runs;
  const [a, b] = [weeklyFigures(none), weeklyFigures(policy)];
  const lines: string[] = [];
  const row = (label: string, x: string, y: string) => lines.push(`  ${label.padEnd(48)}${x.padStart(26)}${y.padStart(26)}`);
  lines.push(`Contact-pressure simulation: ${int(none.customers)} customers, ${none.weeks} weeks, seed ${meta.seed}`);
  lines.push('');
  row('', 'no policy', 'policy');
  row('messages sent', int(none.sent), int(policy.sent));
  row('  email / sms / push', channels(none), channels(policy));
  for (const journey of [...new Set([...Object.keys(none.sentByJourney), ...Object.keys(policy.sentByJourney)])].sort())
    row(`  ${journey}`, int(none.sentByJourney[journey] ?? 0), int(policy.sentByJourney[journey] ?? 0));
  row('messages per customer per week, mean', fixed(a.mean), fixed(b.mean));
  row('messages per customer per week, p95', int(a.p95), int(b.p95));
  row('customer-weeks counted', int(none.perCustomerWeek.length), int(policy.perCustomerWeek.length));
  row('requests not sent (by reason below)', int(none.requested - none.sent), int(policy.requested - policy.sent));
  const reasons = [...new Set([...Object.keys(none.suppressed), ...Object.keys(policy.suppressed)])].sort();
  for (const reason of reasons) row(`  ${reason}`, int(none.suppressed[reason] ?? 0), int(policy.suppressed[reason] ?? 0));
  row('unsubscribes (customer x channel)', int(none.unsubscribes), int(policy.unsubscribes));
  row('customers who unsubscribed from a channel', int(none.unsubscribedCustomers), int(policy.unsubscribedCustomers));
  row('conversions (orders)', int(none.orders), int(policy.orders));
  row('  of which after a click on a message', int(sum(none.messageOrders)), int(sum(policy.messageOrders)));
  for (const kind of [...new Set([...Object.keys(none.messageOrders), ...Object.keys(policy.messageOrders)])].sort())
    row(`    ${kind}`, int(none.messageOrders[kind] ?? 0), int(policy.messageOrders[kind] ?? 0));
  row('  of which by customers outside the control draw', int(none.groups.treatedOrders), int(policy.groups.treatedOrders));
  row(
    'customers who ordered',
    int(none.groups.treatedConverted + none.groups.controlConverted),
    int(policy.groups.treatedConverted + policy.groups.controlConverted),
  );
  row('revenue', int(none.revenue), int(policy.revenue));
  row('journey goals reached (engine)', int(none.goals), int(policy.goals));
  lines.push('');
  const ratio = a.p95 === 0 ? Number.NaN : b.p95 / a.p95;
  const orders = policy.orders - none.orders;
  lines.push(
    `  p95 messages per customer per week, policy / no policy: ${fixed(ratio)} (aim: at most 0.50, ${ratio <= 0.5 ? 'met' : 'MISSED'}); ` +
      `conversions ${signed(orders, 0)} (${signed((100 * orders) / Math.max(1, none.orders))}%; aim: no fewer, ${orders >= 0 ? 'met' : 'MISSED'})`,
  );
  lines.push('');
  lines.push('  Incremental conversions: customers with an order, treated against the control group (95% CI, normal approximation)');
  for (const [label, r] of [
    ['policy (10% held out)', policy],
    ['no policy (the same rule on its own profile ids, nobody held out: an A/A check)', none],
  ] as const) {
    const inc = incrementality(r);
    lines.push(
      `    ${label}: treated ${pct(inc.treated)} of ${int(r.groups.treated)}, control ${pct(inc.control)} of ${int(r.groups.control)}; ` +
        `difference ${signed(100 * inc.difference)} points (${signed(100 * inc.low)} to ${signed(100 * inc.high)}); ` +
        `incremental customers ${signed(inc.incremental, 0)} (${signed(inc.incrementalLow, 0)} to ${signed(inc.incrementalHigh, 0)})`,
    );
  }
  lines.push('');
  lines.push('  Why requests did not go out, per journey (policy run; consent and reachability left out):');
  for (const [journey, j] of Object.entries(policy.byJourney).sort()) {
    const policyReasons = Object.entries(j.notSent).filter(([reason]) => !CONSENT_REASONS.has(reason));
    const parts = policyReasons.sort((x, y) => y[1] - x[1]).map(([reason, n]) => `${reason} ${int(n)}`);
    lines.push(`    ${journey}: ${int(j.requested)} requested, ${int(policy.sentByJourney[journey] ?? 0)} sent; ${parts.join(', ') || 'nothing else'}`);
  }
  lines.push('');
  for (const [label, r] of [
    ['no policy', none],
    ['policy', policy],
  ] as const) {
    const t = Object.entries(r.timings).map(([k, v]) => `${k} ${v.toFixed(0)}`);
    lines.push(`  seconds spent, ${label}: ${t.join(', ')}`);
  }
  const arms = Object.entries(meta.armSeconds)
    .map(([arm, s]) => `${arm} ${s.toFixed(0)} s`)
    .join(', ');
  lines.push(`  wall time ${meta.wallSeconds.toFixed(0)} s (the two runs in parallel: ${arms}; load average ${meta.load})`);
  return lines.join('\n');
}

const CONSENT_REASONS = new Set(['consent_denied', 'no_consent', 'no_address', 'profile_gone']);
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const channels = (r: ArmResult) => ['email', 'sms', 'push'].map((c) => int(r.sentByChannel[c] ?? 0)).join(' / ');
