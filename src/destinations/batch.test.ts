import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldChanges, planSync, toBatches, type Change, type Member, type Operation } from './batch.js';
import type { Hashes } from './normalize.js';

const HASHES: Record<string, Hashes> = {
  ada: { emailSha256: 'e-ada', phoneSha256: null },
  bo: { emailSha256: 'e-bo', phoneSha256: 'p-bo' },
  cy: { emailSha256: null, phoneSha256: 'p-cy' },
  dee: { emailSha256: null, phoneSha256: null },
};
const hashesOf = (id: string): Hashes => HASHES[id] ?? { emailSha256: `now-${id}`, phoneSha256: null };
const member = (profileId: string, hashes: Hashes = hashesOf(profileId)): Member => ({ profileId, ...hashes });

let seq = 0;
const enter = (profileId: string): Change => ({ id: ++seq, profileId, change: 'entered' });
const exit = (profileId: string): Change => ({ id: ++seq, profileId, change: 'exited' });

interface Case {
  description: string;
  changes: Change[];
  told?: Member[];
  expect: { operations: [Operation['op'], string, string | null][]; skipped?: string[] };
}

const cases: Case[] = [
  { description: 'an entry adds the profile with its hashes', changes: [enter('ada')], expect: { operations: [['add', 'ada', 'e-ada']] } },
  {
    description: 'an exit removes it with the hashes it was added with, not its current ones',
    changes: [exit('ada')],
    told: [member('ada', { emailSha256: 'old-ada', phoneSha256: null })],
    expect: { operations: [['remove', 'ada', 'old-ada']] },
  },
  { description: 'entry then exit of a profile the platform never had cancels out', changes: [enter('ada'), exit('ada')], expect: { operations: [] } },
  {
    description: 'exit then re-entry of a profile the platform has keeps it',
    changes: [exit('bo'), enter('bo')],
    told: [member('bo')],
    expect: { operations: [] },
  },
  { description: 'entry, exit, entry: the last counts', changes: [enter('cy'), exit('cy'), enter('cy')], expect: { operations: [['add', 'cy', null]] } },
  {
    description: 'an entry of a profile already told sends nothing (a back-fill meeting the stream)',
    changes: [enter('bo')],
    told: [member('bo')],
    expect: { operations: [] },
  },
  { description: 'an exit of a profile never told sends nothing', changes: [exit('bo')], expect: { operations: [] } },
  {
    description: 'a profile with nothing to match is skipped',
    changes: [enter('dee'), enter('ada')],
    expect: { operations: [['add', 'ada', 'e-ada']], skipped: ['dee'] },
  },
  {
    description: 'operations follow the order of each profile’s last change',
    changes: [enter('ada'), exit('bo'), enter('cy'), exit('ada'), enter('ada')],
    told: [member('bo')],
    expect: {
      operations: [
        ['remove', 'bo', 'e-bo'],
        ['add', 'cy', null],
        ['add', 'ada', 'e-ada'],
      ],
    },
  },
];

describe('planSync', () => {
  for (const c of cases) {
    it(c.description, () => {
      const told = new Map((c.told ?? []).map((m) => [m.profileId, m]));
      const plan = planSync(c.changes, told, hashesOf);
      assert.deepEqual(
        plan.operations.map((o) => [o.op, o.member.profileId, o.member.emailSha256]),
        c.expect.operations,
      );
      assert.deepEqual(plan.skipped, c.expect.skipped ?? []);
    });
  }
});

describe('foldChanges', () => {
  it('keeps each profile’s last change, by stream position whatever the input order', () => {
    const changes: Change[] = [
      { id: 7, profileId: 'a', change: 'exited' },
      { id: 3, profileId: 'a', change: 'entered' },
      { id: 5, profileId: 'b', change: 'entered' },
    ];
    assert.deepEqual(
      foldChanges(changes).map((c) => [c.profileId, c.change]),
      [
        ['b', 'entered'],
        ['a', 'exited'],
      ],
    );
  });
});

describe('toBatches', () => {
  const ops = (n: number): Operation[] => Array.from({ length: n }, (_, i) => ({ op: i % 3 === 0 ? 'remove' : 'add', member: member(`p${i}`) }));
  const sizes = (batches: ReturnType<typeof toBatches>) => batches.map((b) => [b.add.length, b.remove.length]);
  const table: [number, number, number[][]][] = [
    [0, 10, []],
    [5, 10, [[3, 2]]],
    [
      5,
      2,
      [
        [1, 1],
        [1, 1],
        [1, 0],
      ],
    ],
    [
      3,
      1,
      [
        [0, 1],
        [1, 0],
        [1, 0],
      ],
    ],
  ];
  for (const [count, size, expected] of table)
    it(`${count} operations in batches of ${size}`, () => assert.deepEqual(sizes(toBatches(ops(count), size)), expected));

  it('keeps the order across batches', () => {
    const flat = toBatches(ops(7), 3).flatMap((b) => [...b.remove, ...b.add].map((m) => m.profileId).sort());
    assert.deepEqual(flat, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  });

  it('refuses a size below 1', () => {
    for (const size of [0, -1, 1.5, Number.NaN]) assert.throws(() => toBatches(ops(1), size), RangeError);
  });
});
