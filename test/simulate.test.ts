/**
 * npm run simulate at a tiny scale: both runs of the simulated brand go
 * through the real engine to the end, the policy run sends fewer messages
 * and holds the control group out, and the report prints.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatReport, weeklyFigures } from '../bench/simulate/report.js';
import { sideBySide } from '../bench/simulate/side-by-side.js';

describe('npm run simulate, small', () => {
  it('runs 200 customers for 2 weeks with no policy and with the policy; the policy sends less', async () => {
    const began = performance.now();
    const { none, policy } = await sideBySide({ customers: 200, weeks: 2, seed: 7 });
    const [a, b] = [none.result, policy.result];
    assert.ok(a.sent > 0, 'the no-policy run sends');
    assert.ok(b.sent < a.sent, `policy ${b.sent} messages, no policy ${a.sent}`);
    assert.ok(weeklyFigures(b).p95 <= weeklyFigures(a).p95);
    assert.equal(a.suppressed.control_group ?? 0, 0);
    assert.ok((b.suppressed.control_group ?? 0) > 0, 'the control group is held out');
    assert.ok(b.groups.control > 0 && b.groups.treated > b.groups.control);
    assert.equal(a.perCustomerWeek.length, b.perCustomerWeek.length);
    assert.ok(a.orders > 0 && b.orders > 0);
    const report = formatReport({ none: a, policy: b }, { seed: 7, wallSeconds: (performance.now() - began) / 1000, armSeconds: {}, load: '' });
    assert.match(report, /messages per customer per week, p95/);
  });
});
