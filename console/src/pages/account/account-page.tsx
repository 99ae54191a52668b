/** Your account: your email and role, and a form to change your own password (the current one first). */
import { useState } from 'preact/hooks';
import { ApiError, post } from '../../api.js';
import { Card, ErrorBox, Page } from '../../components/ui.js';
import { useAction } from '../../hooks.js';
import { useSession } from '../../session.js';

const MIN_LENGTH = 10;

export function AccountPage() {
  const me = useSession().user;
  return (
    <Page title="Your account">
      <Card title="Signed in as">
        <p>
          {me.name ? `${me.name}, ` : ''}
          {me.email} <span class="role-badge">{me.role}</span>
        </p>
        <p class="muted">An admin sets your role.</p>
      </Card>
      <Card title="Change your password">
        <PasswordForm />
      </Card>
    </Page>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState<ApiError | undefined>();
  /** Sessions the last change ended (undefined: no change to tell of). */
  const [ended, setEnded] = useState<number | undefined>();
  const change = useAction((currentPassword: string, newPassword: string) =>
    post<{ changed: true; endedSessions: number }>('/api/session/password', { currentPassword, newPassword }),
  );
  const submit = async (event: Event) => {
    event.preventDefault();
    setEnded(undefined);
    // Said here, before the server is asked: a typo in one of the two would lock the user out of their own account.
    if (next !== again) return setMismatch(new ApiError(0, 'NOT_THE_SAME', 'The new password and its repetition differ; type them again.'));
    setMismatch(undefined);
    const result = await change.run(current, next);
    if (result) {
      setEnded(result.endedSessions);
      setCurrent('');
      setNext('');
      setAgain('');
    }
  };
  return (
    <form class="stack narrow" onSubmit={submit} aria-label="Change your password">
      <label>
        Current password
        <input type="password" required autocomplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
      </label>
      <label>
        New password <span class="muted">({MIN_LENGTH} characters or more)</span>
        <input type="password" required minLength={MIN_LENGTH} autocomplete="new-password" value={next} onInput={(e) => setNext(e.currentTarget.value)} />
      </label>
      <label>
        New password again
        <input type="password" required autocomplete="new-password" value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
      </label>
      <div class="row">
        <button type="submit" class="primary" disabled={change.busy}>
          Change password
        </button>
      </div>
      <ErrorBox error={mismatch ?? change.error} />
      {ended !== undefined && (
        <p class="notice" role="status">
          Your password is changed.{' '}
          {ended === 0 ? 'You were signed in nowhere else.' : `Your ${ended} other session${ended === 1 ? '' : 's'} ended; sign in there again.`}
        </p>
      )}
    </form>
  );
}
