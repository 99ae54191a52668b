import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identifierKey, type Identifier } from './identifiers.js';
import { decideResolution, type ProfileView } from './resolve.js';

const LIMITS = { userId: 1, email: 2, anonymousId: 100 };
const id = (kind: string, value: string): Identifier => ({ kind, value });
const profile = (pid: string, createdSeq: number, counts: Record<string, number>, blocked: string[] = []): ProfileView => ({
  id: pid,
  createdSeq,
  counts,
  blocked,
});

interface Case {
  description: string;
  identifiers: Identifier[];
  owners?: [Identifier, string][];
  profiles?: ProfileView[];
  hubs?: Identifier[];
  expect: { profileId: string | null; created?: boolean; attach?: string[]; merges?: [string, string][]; conflicts?: string[]; skippedHubs?: string[] };
}

const cases: Case[] = [
  {
    description: 'a new visitor gets a new profile with all its identifiers',
    identifiers: [id('userId', 'u1'), id('anonymousId', 'a1')],
    expect: { profileId: 'new', created: true, attach: ['userId:u1', 'anonymousId:a1'] },
  },
  {
    description: 'a known identifier routes the event and new ones join',
    identifiers: [id('email', 'e@x.io'), id('anonymousId', 'a1')],
    owners: [[id('anonymousId', 'a1'), 'p1']],
    profiles: [profile('p1', 1, { anonymousId: 1 })],
    expect: { profileId: 'p1', attach: ['email:e@x.io'] },
  },
  {
    description: 'sign-up: a new userId joins the anonymous profile instead of creating one',
    identifiers: [id('userId', 'u1'), id('anonymousId', 'a1')],
    owners: [[id('anonymousId', 'a1'), 'p1']],
    profiles: [profile('p1', 1, { anonymousId: 1 })],
    expect: { profileId: 'p1', created: false, attach: ['userId:u1'] },
  },
  {
    description: 'two known profiles merge into the older one',
    identifiers: [id('userId', 'u1'), id('anonymousId', 'a2')],
    owners: [
      [id('userId', 'u1'), 'p5'],
      [id('anonymousId', 'a2'), 'p2'],
    ],
    profiles: [profile('p5', 5, { userId: 1 }), profile('p2', 2, { anonymousId: 1 })],
    expect: { profileId: 'p2', merges: [['p2', 'p5']] },
  },
  {
    description: 'a shared device: a second userId does not take the device from the first person',
    identifiers: [id('userId', 'u2'), id('anonymousId', 'tablet')],
    owners: [[id('anonymousId', 'tablet'), 'p1']],
    profiles: [profile('p1', 1, { userId: 1, anonymousId: 1 })],
    expect: { profileId: 'new', created: true, attach: ['userId:u2'], conflicts: ['anonymousId:tablet'] },
  },
  {
    description: 'two userIds never merge',
    identifiers: [id('userId', 'u1'), id('email', 'e@x.io')],
    owners: [
      [id('userId', 'u1'), 'p1'],
      [id('email', 'e@x.io'), 'p2'],
    ],
    profiles: [profile('p1', 1, { userId: 1 }), profile('p2', 2, { userId: 1, email: 1 })],
    expect: { profileId: 'p1', conflicts: ['email:e@x.io'] },
  },
  {
    description: 'a limit refuses one more identifier of a kind',
    identifiers: [id('userId', 'u1'), id('email', 'third@x.io')],
    owners: [[id('userId', 'u1'), 'p1']],
    profiles: [profile('p1', 1, { userId: 1, email: 2 })],
    expect: { profileId: 'p1', conflicts: ['email:third@x.io'] },
  },
  {
    description: 'hubs are skipped',
    identifiers: [id('email', 'test@x.io'), id('anonymousId', 'a9')],
    hubs: [id('email', 'test@x.io')],
    owners: [[id('email', 'test@x.io'), 'p1']],
    profiles: [profile('p1', 1, { email: 1 })],
    expect: { profileId: 'new', created: true, attach: ['anonymousId:a9'], skippedHubs: ['email:test@x.io'] },
  },
  {
    description: 'an event with only hub identifiers belongs to no profile',
    identifiers: [id('anonymousId', 'shared')],
    hubs: [id('anonymousId', 'shared')],
    expect: { profileId: null, skippedHubs: ['anonymousId:shared'] },
  },
  {
    description: 'profiles split by an unmerge do not merge again',
    identifiers: [id('anonymousId', 'a1'), id('anonymousId', 'a2')],
    owners: [
      [id('anonymousId', 'a1'), 'p1'],
      [id('anonymousId', 'a2'), 'p2'],
    ],
    profiles: [profile('p1', 1, { anonymousId: 1 }, ['p2']), profile('p2', 2, { anonymousId: 1 }, ['p1'])],
    expect: { profileId: 'p1', conflicts: ['anonymousId:a2'] },
  },
  {
    description: 'a chain of merges ends in the oldest profile',
    identifiers: [id('userId', 'u1'), id('email', 'e@x.io'), id('anonymousId', 'a1')],
    owners: [
      [id('userId', 'u1'), 'p3'],
      [id('email', 'e@x.io'), 'p2'],
      [id('anonymousId', 'a1'), 'p1'],
    ],
    profiles: [profile('p3', 3, { userId: 1 }), profile('p2', 2, { email: 1 }), profile('p1', 1, { anonymousId: 1 })],
    expect: {
      profileId: 'p1',
      merges: [
        ['p2', 'p3'],
        ['p1', 'p2'],
      ],
    },
  },
];

describe('decideResolution', () => {
  for (const c of cases) {
    it(c.description, () => {
      const plan = decideResolution({
        identifiers: c.identifiers,
        lookup: {
          owners: new Map((c.owners ?? []).map(([i, p]) => [identifierKey(i), p])),
          hubs: new Set((c.hubs ?? []).map(identifierKey)),
          profiles: new Map((c.profiles ?? []).map((p) => [p.id, p])),
        },
        limits: LIMITS,
        newProfileId: 'new',
        seq: 100,
      });
      assert.equal(plan.profileId, c.expect.profileId);
      assert.equal(plan.created, c.expect.created ?? false);
      assert.deepEqual(plan.attach.map(identifierKey), c.expect.attach ?? []);
      assert.deepEqual(
        plan.merges.map((m) => [m.survivor, m.merged]),
        c.expect.merges ?? [],
      );
      assert.deepEqual(
        plan.conflicts.map((x) => identifierKey(x.identifier)),
        c.expect.conflicts ?? [],
      );
      assert.deepEqual(plan.skippedHubs.map(identifierKey), c.expect.skippedHubs ?? []);
      for (const conflict of plan.conflicts) assert.ok(conflict.reason.length > 10);
    });
  }
});
