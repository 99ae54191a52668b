import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatPath, missingVariables, readProperty } from './missing.js';

const scope = {
  profile: { id: 'p', traits: { tier: 'gold', empty: null, 'first name': 'Ann' }, stage: null },
  traits: { tier: 'gold' },
  event: { properties: { items: [{ name: 'a' }, { name: 'b' }] } },
  key: 'tier',
  nokey: { x: 1 },
};

it('reads properties as Liquid does: own fields, indexes from either end, size, first, last', () => {
  const items = scope.event.properties.items;
  assert.equal(readProperty(items, -1), items[1]);
  assert.equal(readProperty(items, 'first'), items[0]);
  assert.equal(readProperty(items, 'last'), items[1]);
  assert.equal(readProperty(items, 'size'), 2);
  assert.equal(readProperty('abc', 'size'), 3);
  assert.equal(readProperty({ a: 1, b: 2 }, 'size'), 2);
  assert.equal(readProperty({}, 'constructor'), undefined, 'inherited fields are not read');
  assert.equal(readProperty(null, 'x'), undefined);
});

it('reports each nil path once, as a person writes it', () => {
  const variables = [
    ['profile', 'traits', 'tier'],
    ['profile', 'traits', 'firstName'],
    ['profile', 'traits', 'firstName'],
    ['profile', 'traits', 'empty'],
    ['profile', 'stage'],
    ['profile', 'traits', 'first name'],
    ['profile', 'traits', 'last name'],
    ['event', 'properties', 'items', 0, 'name'],
    ['event', 'properties', 'items', 5, 'name'],
    ['event', 'properties', 'items', 'size'],
    ['journey', 'step'],
  ];
  assert.deepEqual(missingVariables(variables, scope), [
    'profile.traits.firstName',
    'profile.traits.empty',
    'profile.stage',
    'profile.traits["last name"]',
    'event.properties.items[5].name',
    'journey.step',
  ]);
});

it('looks up variables used as keys, and leaves out a path whose key is missing', () => {
  assert.deepEqual(missingVariables([['profile', 'traits', ['key']]], scope), []);
  assert.deepEqual(missingVariables([['traits', ['nokey', 'x']]], scope), ['traits[1]']);
  assert.deepEqual(missingVariables([['traits', ['nope']], ['nope']], scope), ['nope']);
});

it('formats paths with dots where it can, brackets where it must', () => {
  assert.equal(formatPath(['a', 'b-c', 0, 'd e', '1x']), 'a.b-c[0]["d e"]["1x"]');
});
