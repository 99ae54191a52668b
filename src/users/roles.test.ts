import assert from 'node:assert/strict';
import { it } from 'node:test';
import { can, PERMISSIONS, ROLES, rolesWith } from './roles.js';

it('each role holds the permissions of the one below it, and more', () => {
  const table = Object.fromEntries(ROLES.map((role) => [role, PERMISSIONS.filter((p) => can(role, p))]));
  assert.deepEqual(table, {
    admin: ['read', 'edit', 'administer'],
    marketer: ['read', 'edit'],
    analyst: ['read'],
  });
});

it('names the roles that hold a permission, least powerful first', () => {
  assert.deepEqual(rolesWith('read'), ['analyst', 'marketer', 'admin']);
  assert.deepEqual(rolesWith('edit'), ['marketer', 'admin']);
  assert.deepEqual(rolesWith('administer'), ['admin']);
});
