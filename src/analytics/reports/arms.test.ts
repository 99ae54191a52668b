import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareArms, comparisonCells, referenceArm, splitGroups } from './arms.js';
import { splitTable } from './experiments.js';

describe('experiment arms (values computed by hand)', () => {
  it('60 of 100 against a control of 40 of 100: lift, intervals, p-value', () => {
    const control = { arm: 'control', n: 100, converted: 40, value: 800 };
    const treated = { arm: 'B', n: 100, converted: 60, value: 1500 };
    const c = compareArms([treated, control], referenceArm(['B', 'control']), [1, 1]);
    const [b, ref] = c.arms.map((a) => comparisonCells(a, c.srm, 'entered', 'value_per_entry'));
    assert.deepEqual(ref, {
      arm: 'control',
      reference: true,
      expected_share: 0.5,
      entered: 100,
      converted: 40,
      rate: 0.4,
      rate_low: 0.309401,
      rate_high: 0.497997,
      value: 800,
      value_per_entry: 8,
      value_per_entry_low: null,
      value_per_entry_high: null,
      difference: null,
      difference_low: null,
      difference_high: null,
      lift: null,
      lift_low: null,
      lift_high: null,
      p_value: null,
      value_difference: null,
      value_difference_low: null,
      value_difference_high: null,
      srm_p_value: 1,
      srm_warning: false,
    });
    assert.equal(b!.rate_low, 0.502003);
    assert.equal(b!.rate_high, 0.690599);
    assert.equal(b!.difference, 0.2);
    assert.equal(b!.difference_low, 0.06421);
    assert.equal(b!.difference_high, 0.33579);
    assert.equal(b!.lift, 0.5);
    assert.equal(b!.lift_low, 0.124081);
    assert.equal(b!.lift_high, 1.001634);
    assert.equal(b!.p_value, 0.004678);
    assert.equal(b!.value_per_entry, 15);
  });

  it('a sample-ratio mismatch: 5,300 against 4,700 drawn 50/50', () => {
    const c = compareArms(
      [
        { arm: 'A', n: 5300, converted: 530, value: 0 },
        { arm: 'B', n: 4700, converted: 470, value: 0 },
      ],
      0,
      [1, 1],
    );
    assert.ok(Math.abs(c.srm!.chiSquare - 36) < 1e-9);
    assert.equal(comparisonCells(c.arms[1]!, c.srm, 'n', 'v').srm_p_value, 1.973e-9);
    assert.equal(c.srm!.warning, true);
    // The same rates: no difference, whatever the split's trouble.
    assert.equal(c.arms[1]!.lift, 0);
    assert.equal(
      compareArms(
        [
          { arm: 'A', n: 900, converted: 0, value: 0 },
          { arm: 'B', n: 100, converted: 0, value: 0 },
        ],
        0,
        [9, 1],
      ).srm!.warning,
      false,
    );
  });

  it('the reference arm is the one named control in any case, else the first', () => {
    assert.equal(referenceArm(['A', 'Control']), 1);
    assert.equal(referenceArm(['x', 'y']), 0);
  });

  it('split steps: disjoint arms apart; shared names joined, checked only when drawn alike', () => {
    const step = (stepId: string, ...arms: [string, number][]) => ({ stepId, arms: arms.map(([arm, weight]) => ({ arm, weight })) });
    assert.deepEqual(
      splitGroups([step('s1', ['A', 1], ['B', 1]), step('s2', ['C', 1], ['D', 3]), step('s3', ['B', 2], ['A', 2]), step('s4', ['C', 1], ['E', 1])]),
      [
        { split: 's1+s3', arms: ['A', 'B'], weights: [0.5, 0.5] },
        { split: 's2+s4', arms: ['C', 'D', 'E'], weights: null },
      ],
    );
  });

  it('the journey_splits table: arms of the current splits, older arms named in a note', () => {
    const { table, notes } = splitTable([
      {
        journeyId: 'j1',
        journey: 'Welcome',
        splits: [
          {
            stepId: 'ab',
            arms: [
              { arm: 'A', weight: 3 },
              { arm: 'control', weight: 1 },
            ],
          },
        ],
        arms: [
          { arm: null, entered: 7, converted: 1, value: 0 },
          { arm: 'A', entered: 30, converted: 6, value: 120 },
          { arm: 'control', entered: 10, converted: 1, value: 20 },
          { arm: 'old', entered: 4, converted: 0, value: 0 },
        ],
      },
    ]);
    assert.deepEqual(
      table.rows.map((r) => [r.journey, r.split, r.arm, r.reference, r.expected_share, r.entered, r.rate, r.lift]),
      [
        ['Welcome', 'ab', 'A', false, 0.75, 30, 0.2, 1],
        ['Welcome', 'ab', 'control', true, 0.25, 10, 0.1, null],
      ],
    );
    assert.equal(table.rows[0]!.srm_warning, false);
    assert.deepEqual(notes, ["Welcome: arms old are no longer in the journey's splits and are not compared."]);
  });
});
