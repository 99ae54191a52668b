/** Users (admins only): who may sign in to the console and with which role; add, change a role, remove. */
import { useState } from 'preact/hooks';
import { type Role, type User, del, post, put } from '../../api.js';
import { type Column, Table } from '../../components/table.js';
import { Card, ErrorBox, Loading, Page, formatTime } from '../../components/ui.js';
import { useAction, useApi } from '../../hooks.js';
import { useSession } from '../../session.js';

const ROLES: { role: Role; says: string }[] = [
  { role: 'admin', says: 'everything, sources and users too' },
  { role: 'marketer', says: 'edits segments, journeys, policy, content' },
  { role: 'analyst', says: 'reads only' },
];

type Listed = User & { disabled: boolean; createdAt: string };

export function UsersPage() {
  const me = useSession().user;
  const admin = me.role === 'admin';
  const users = useApi<{ users: Listed[] }>(admin ? '/api/users' : null);
  const change = useAction(async (id: string, role: Role) => put<Listed>(`/api/users/${encodeURIComponent(id)}`, { role }));
  const remove = useAction(async (id: string) => del<void>(`/api/users/${encodeURIComponent(id)}`));
  const columns: Column<Listed>[] = [
    { key: 'email', label: 'Email' },
    { key: 'name', label: 'Name' },
    {
      key: 'role',
      label: 'Role',
      render: (u) => (
        <select
          aria-label={`Role of ${u.email}`}
          value={u.role}
          disabled={change.busy}
          onChange={async (e) => {
            if (await change.run(u.id, e.currentTarget.value as Role)) users.reload();
          }}
        >
          {ROLES.map((r) => (
            <option key={r.role} value={r.role}>
              {r.role}
            </option>
          ))}
        </select>
      ),
    },
    { key: 'createdAt', label: 'Added', render: (u) => formatTime(u.createdAt) },
    {
      key: 'remove',
      label: 'Remove',
      render: (u) =>
        u.id === me.id ? (
          <span class="muted">you</span>
        ) : (
          <button
            type="button"
            class="danger"
            disabled={remove.busy}
            onClick={async () => {
              if (!confirm(`Remove ${u.email}? Their sessions end now.`)) return;
              await remove.run(u.id);
              users.reload();
            }}
          >
            Remove<span class="sr-only"> {u.email}</span>
          </button>
        ),
    },
  ];
  if (!admin) {
    return (
      <Page title="Users">
        <p class="notice">Only admins manage users; you are signed in as {me.role}.</p>
      </Page>
    );
  }
  return (
    <Page title="Users">
      <Card title="Add a user">
        <NewUserForm onCreated={users.reload} />
      </Card>
      <Card title="Users">
        <ErrorBox error={users.error ?? change.error ?? remove.error} />
        {users.data ? <Table columns={columns} rows={users.data.users} rowKey={(u) => u.id} /> : <Loading what="users" />}
      </Card>
    </Page>
  );
}

function NewUserForm(props: { onCreated(): void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [password, setPassword] = useState('');
  const create = useAction((input: { email: string; role: Role; password: string }) => post<Listed>('/api/users', input));
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await create.run({ email: email.trim(), role, password })) {
      setEmail('');
      setPassword('');
      props.onCreated();
    }
  };
  return (
    <form class="row" onSubmit={submit} aria-label="New user">
      <label>
        Email
        <input type="email" required autocomplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          {ROLES.map((r) => (
            <option key={r.role} value={r.role}>
              {r.role} – {r.says}
            </option>
          ))}
        </select>
      </label>
      <label>
        Password
        <input type="password" required autocomplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled={create.busy}>
        Add user
      </button>
      <ErrorBox error={create.error} />
    </form>
  );
}
