/**
 * Roles and what each may do. The management API's routes each need one
 * permission (http/permissions.ts says which); a role grants a set of them.
 */
export const ROLES = ['admin', 'marketer', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/**
 * - read: look at anything, and run what computes without writing (previews,
 *   simulations, attribution over a path table);
 * - edit: change what marketers own (segments, lifecycle, content, journeys,
 *   the contact policy, computed traits, consent, message events);
 * - administer: credentials, channels and destinations, users, and what
 *   destroys customer data (erasure, unmerge).
 */
export const PERMISSIONS = ['read', 'edit', 'administer'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  analyst: ['read'],
  marketer: ['read', 'edit'],
  admin: ['read', 'edit', 'administer'],
};

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** The roles that hold a permission, least powerful first (ROLES is most powerful first). */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => can(role, permission)).reverse();
}
