import { TouchpointError } from '../errors.js';
import { isRole, presentUser, ROLES, type User } from '../users/index.js';
import { print, withTouchpoint, type CliContext } from './context.js';
import { readPassword } from './password-input.js';

type Options = { config?: string; json?: boolean; passwordStdin?: boolean };

export async function createUser(ctx: CliContext, email: string, options: Options & { role: string; name?: string }): Promise<void> {
  const role = options.role;
  if (!isRole(role)) throw new TouchpointError('TP_VALIDATION', `--role must be one of ${ROLES.join(', ')}; got ${JSON.stringify(role)}`);
  const password = await readPassword(ctx, { fromStdin: options.passwordStdin, what: `Password for ${email}` });
  await withTouchpoint(ctx, options, async (tp) => {
    const user = await tp.users.create({ email, name: options.name, role, password });
    if (options.json) return print(ctx.stdout, JSON.stringify(presentUser(user)));
    print(ctx.stdout, `Created ${user.role} ${user.email} (${user.id}). They sign in at the console with that email and password.`);
  });
}

export async function listUsers(ctx: CliContext, options: Options): Promise<void> {
  await withTouchpoint(ctx, options, async (tp) => {
    const users = await tp.users.list();
    if (options.json) return print(ctx.stdout, JSON.stringify(users.map(presentUser)));
    if (users.length === 0) return print(ctx.stdout, 'No users yet. Create the first admin: touchpoint users create you@example.com --role admin');
    for (const user of users) print(ctx.stdout, formatUser(user));
  });
}

export async function setPassword(ctx: CliContext, email: string, options: Options): Promise<void> {
  const password = await readPassword(ctx, { fromStdin: options.passwordStdin, what: `New password for ${email}` });
  await withTouchpoint(ctx, options, async (tp) => {
    const user = await tp.users.update(email, { password });
    print(ctx.stdout, `New password set for ${user.email}; their sessions have ended.`);
  });
}

export async function deleteUser(ctx: CliContext, email: string, options: Options): Promise<void> {
  await withTouchpoint(ctx, options, async (tp) => {
    await tp.users.remove(email);
    print(ctx.stdout, `Deleted ${email}; their sessions have ended.`);
  });
}

function formatUser(user: User): string {
  const view = presentUser(user);
  return `${view.id}  ${view.email.padEnd(32)}  ${view.role.padEnd(8)}  ${(view.name ?? '').padEnd(20)}  ${view.disabled ? 'disabled' : 'enabled '}  created ${view.createdAt}`;
}
