import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReportParameterError } from './errors.js';
import { flowTables } from './lifecycle-flow.js';
import { bucketsOf, StageFlow, type FlowChange } from './stage-flow.js';

const at = (iso: string) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
const dates = (times: number[]) => times.map((t) => new Date(t).toISOString().slice(0, 10));

describe('lifecycle flow buckets (UTC)', () => {
  it('weeks start on Monday; the first bucket starts before `from`, the last ends at `to`', () => {
    const b = bucketsOf(at('2026-01-07T10:00:00Z'), at('2026-02-03'), 'week');
    assert.deepEqual(dates(b.starts), ['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02']);
    assert.deepEqual(dates(b.ends), ['2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02', '2026-02-03']);
  });

  it('months and days', () => {
    const months = bucketsOf(at('2026-01-15'), at('2026-03-01'), 'month');
    assert.deepEqual(dates(months.starts), ['2026-01-01', '2026-02-01']);
    assert.deepEqual(dates(months.ends), ['2026-02-01', '2026-03-01']);
    const days = bucketsOf(at('2026-01-01T12:00:00Z'), at('2026-01-03'), 'day');
    assert.deepEqual(dates(days.starts), ['2026-01-01', '2026-01-02']);
  });

  it('too many buckets are refused, naming the interval', () => {
    assert.throws(
      () => bucketsOf(at('2000-01-01'), at('2026-01-01'), 'day'),
      (e: unknown) => e instanceof ReportParameterError && e.parameter === 'interval',
    );
  });
});

describe('lifecycle flow counts (computed by hand)', () => {
  // Three weeks from Monday 5 January 2026; the model: loyalty, purchase, awareness.
  const from = at('2026-01-05');
  const to = at('2026-01-26');
  const model = ['loyalty', 'purchase', 'awareness'];
  let id = 100;
  const change = (profileId: string, day: string, stage: string | null, order = id++): FlowChange => ({ profileId, to: stage, at: at(day), id: order });
  const changes: FlowChange[] = [
    change('A', '2025-12-20', 'awareness'),
    change('A', '2026-01-07', 'purchase'),
    change('A', '2026-01-20', 'loyalty'),
    change('B', '2026-01-13', 'awareness'),
    change('C', '2025-11-01', 'purchase'),
    // Exactly at the end of the first week: shows from the second.
    change('C', '2026-01-12', null),
    change('D', '2025-12-01', 'awareness'),
    // After `to`: not in the report at all.
    change('E', '2026-02-01', 'awareness'),
    // Recorded out of order; two changes at one time are ordered by id; old_vip is no longer in the model.
    change('F', '2026-01-15', 'loyalty', 10),
    change('F', '2026-01-08', 'purchase', 5),
    change('F', '2026-01-15', 'old_vip', 11),
    change('G', '2025-12-10', 'purchase'),
    change('G', '2026-01-09', 'purchase'),
    change('G', '2026-01-10', 'awareness'),
    change('G', '2026-01-11', 'purchase'),
    change('H', '2025-12-01', 'awareness'),
    change('H', '2026-01-06', 'purchase'),
    change('H', '2026-01-07', 'awareness'),
    change('H', '2026-01-08', 'purchase'),
  ];

  const tables = () => {
    const buckets = bucketsOf(from, to, 'week');
    const flow = new StageFlow(from, to, buckets.ends);
    for (const c of [...changes].reverse()) flow.add(c);
    const counts = flow.counts();
    assert.equal(counts.customers, 7);
    return Object.fromEntries(flowTables(counts, buckets.starts, model).map((t) => [t.name, t]));
  };

  it('stages at the end of each week, retired stages after the model, (none) last', () => {
    const t = tables().stages_over_time!;
    assert.deepEqual(t.columns, ['bucket', 'loyalty', 'purchase', 'awareness', 'old_vip', '(none)']);
    assert.deepEqual(t.rows, [
      { bucket: '2026-01-05', loyalty: 0, purchase: 5, awareness: 1, old_vip: 0, '(none)': 0 },
      { bucket: '2026-01-12', loyalty: 0, purchase: 3, awareness: 2, old_vip: 1, '(none)': 1 },
      { bucket: '2026-01-19', loyalty: 1, purchase: 2, awareness: 2, old_vip: 1, '(none)': 1 },
    ]);
  });

  it('transitions: stage at `from` against stage at `to`, unchanged customers included', () => {
    assert.deepEqual(
      tables().transitions!.rows.map((r) => `${r.from_stage}>${r.to_stage}=${r.customers}`),
      [
        'purchase>purchase=1',
        'purchase>(none)=1',
        'awareness>loyalty=1',
        'awareness>purchase=1',
        'awareness>awareness=1',
        '(none)>awareness=1',
        '(none)>old_vip=1',
      ],
    );
  });

  it('moves: changes inside the period and the customers who made them (a repeated stage is no move)', () => {
    assert.deepEqual(
      tables().moves!.rows.map((r) => `${r.from_stage}>${r.to_stage}=${r.changes}/${r.customers}`),
      [
        'loyalty>old_vip=1/1',
        'purchase>loyalty=2/2',
        'purchase>awareness=2/2',
        'purchase>(none)=1/1',
        'awareness>purchase=4/3',
        '(none)>purchase=1/1',
        '(none)>awareness=1/1',
      ],
    );
  });

  it('an empty history gives zero rows per bucket and no pairs', () => {
    const buckets = bucketsOf(from, to, 'week');
    const counts = new StageFlow(from, to, buckets.ends).counts();
    const t = flowTables(counts, buckets.starts, model);
    assert.deepEqual(t[0]!.rows[0], { bucket: '2026-01-05', loyalty: 0, purchase: 0, awareness: 0, '(none)': 0 });
    assert.deepEqual([t[1]!.rows, t[2]!.rows], [[], []]);
  });

  it('a customer merged into another is counted nowhere from the merge on (the survivor carries on)', () => {
    const buckets = bucketsOf(from, to, 'week');
    const flow = new StageFlow(from, to, buckets.ends);
    flow.add(change('M', '2025-12-01', 'purchase'));
    flow.add({ ...change('M', '2026-01-13', null), gone: true });
    flow.add(change('S', '2025-12-02', 'purchase'));
    flow.add(change('S', '2026-01-13', 'loyalty'));
    const counts = flow.counts();
    assert.equal(counts.customers, 1, 'S only');
    assert.deepEqual(
      counts.atEnds.map((row) => row.reduce((a, b) => a + b, 0)),
      [2, 1, 1],
      'both in the first week; S alone after the merge',
    );
    assert.deepEqual(counts.transitions, [{ from: 'purchase', to: 'loyalty', customers: 1 }]);
    assert.ok(
      counts.moves.every((m) => m.to !== null),
      'the merge is no move to (none)',
    );
  });
});
