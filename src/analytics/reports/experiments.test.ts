import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageFact } from '../../history/index.js';
import { ReportParameterError } from './errors.js';
import { experimentsReport } from './experiments.js';
import { readParameters } from './params.js';
import type { ReportPorts } from './types.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');

function fact(profileId: string, reason: string | null): MessageFact {
  const held = reason === 'control_group';
  return {
    seq: 0,
    purpose: 'marketing',
    profileId,
    channel: 'email',
    journeyId: 'j1',
    contentId: null,
    arm: null,
    status: held ? 'suppressed' : 'sent',
    reason,
    requestedAt: NOW - 1000,
    sentAt: held ? null : NOW - 1000,
  };
}

/** Ports over a list of messages and orders; no stage history, no splits. */
function ports(messages: MessageFact[], group?: { share: number; contains(id: string): boolean; bypassing: string[] }, orders: string[] = []): ReportPorts {
  return {
    position: async () => 0,
    now: () => NOW,
    internalSourceIds: [],
    responseSourceId: 'responses',
    sourceNames: async () => new Map(),
    journeyNames: async () => new Map(),
    scanMessages: async (_window, visit) => {
      await visit(messages);
      return messages.length;
    },
    scanActivity: async (_scan, visit) => {
      for (const id of orders)
        await visit(id, [
          { seq: 1, timestamp: NOW, channel: 'web', type: 'track', event: 'Order Completed', sourceId: 's', campaign: null, properties: '{"revenue":10}' },
        ]);
      return { profiles: orders.length, events: orders.length };
    },
    stageChanges: async () => [],
    stages: async () => [],
    segmentNames: async () => [],
    segmentMembers: async () => undefined,
    experiments: async () => [],
    controlGroup: async () => group,
  };
}

const run = (p: ReportPorts, raw: Record<string, string> = {}) => experimentsReport.run(readParameters(experimentsReport.params, raw), p);

describe('the experiments report over its ports', () => {
  it('no control group configured: a note, an empty table', async () => {
    const result = await run(ports([fact('a', null), fact('b', null)]));
    assert.deepEqual(result.tables[1]!.rows, []);
    assert.ok(result.notes.some((n) => n.startsWith('No global control group is configured')));
  });

  it('customers held back by a group since removed are compared, with no sample-ratio test', async () => {
    const result = await run(ports([fact('a', 'control_group'), fact('b', null), fact('c', null)], undefined, ['b']));
    const rows = result.tables[1]!.rows;
    assert.deepEqual(
      rows.map((r) => [r.arm, r.customers, r.converted, r.value, r.srm_p_value]),
      [
        ['control', 1, 0, 0, null],
        ['treated', 2, 1, 10, null],
      ],
    );
    assert.ok(result.notes.some((n) => n.includes('by a control group since removed')));
  });

  it('80 held back of 100 drawn at 50%: a sample-ratio warning', async () => {
    const messages = Array.from({ length: 100 }, (_, i) => fact(`p${i}`, i < 80 ? 'control_group' : null));
    const result = await run(ports(messages, { share: 0.5, contains: (id) => Number(id.slice(1)) < 80, bypassing: ['transactional'] }));
    const rows = result.tables[1]!.rows;
    // chi-square = (80 - 50)² / 50 + (20 - 50)² / 50 = 36 on one degree of freedom
    assert.deepEqual(
      rows.map((r) => [r.arm, r.customers, r.expected_share, r.srm_p_value, r.srm_warning]),
      [
        ['control', 80, 0.5, 1.973e-9, true],
        ['treated', 20, 0.5, 1.973e-9, true],
      ],
    );
    assert.ok(result.notes.some((n) => n.startsWith('Sample-ratio mismatch in the control group')));
  });

  it('a journey nobody knows is refused, naming the parameter', async () => {
    await assert.rejects(run(ports([fact('a', null)]), { journey: 'nope' }), (e: unknown) => e instanceof ReportParameterError && e.parameter === 'journey');
  });
});
