/** The console: the session check, then the sign-in page or the signed-in frame with its pages. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, onSignedOut, type Session, useCsrfToken } from './api.js';
import { ErrorBox, Loading } from './components/ui.js';
import { NAV, ROUTES } from './pages/routes.js';
import { SignIn } from './pages/sign-in.js';
import { matchPattern, useLocation } from './router.js';
import { SessionContext } from './session.js';

type State = { kind: 'checking' } | { kind: 'signed-out' } | { kind: 'signed-in'; session: Session } | { kind: 'failed'; error: ApiError };

export function App() {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const signIn = (session: Session) => {
    useCsrfToken(session.csrfToken);
    setState({ kind: 'signed-in', session });
  };
  useEffect(() => {
    get<Session>('/api/session').then(signIn, (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) setState({ kind: 'signed-out' });
      else setState({ kind: 'failed', error: error instanceof ApiError ? error : new ApiError(0, 'NETWORK', String(error)) });
    });
    return onSignedOut(() => setState({ kind: 'signed-out' }));
  }, []);
  switch (state.kind) {
    case 'checking':
      return <Loading />;
    case 'failed':
      return <ErrorBox error={state.error} />;
    case 'signed-out':
      return <SignIn onSignedIn={signIn} />;
    case 'signed-in':
      return (
        <SessionContext.Provider value={state.session}>
          <Frame session={state.session} onSignOut={() => setState({ kind: 'signed-out' })} />
        </SessionContext.Provider>
      );
  }
}

function Frame(props: { session: Session; onSignOut(): void }) {
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [location.path]);
  const signOut = async () => {
    await del('/api/session').catch(() => undefined);
    props.onSignOut();
  };
  const section = `/${location.path.split('/')[1] ?? ''}`;
  return (
    <div class="frame">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button type="button" class="menu-button" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <a class="brand" href="#/">
          Touchpoint
        </a>
        <span class="who">
          <a href="#/account" title="Your account and password">
            {props.session.user.email}
          </a>{' '}
          <span class="role">{props.session.user.role}</span>
        </span>
        <button type="button" class="link" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav id="nav" class={menuOpen ? 'open' : undefined} aria-label="Console">
        <ul>
          {NAV.filter((item) => !item.adminOnly || props.session.user.role === 'admin').map((item) => (
            <li key={item.path}>
              <a href={`#${item.path}`} aria-current={item.path === section ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">{renderRoute(location.path, location.query)}</main>
    </div>
  );
}

function renderRoute(path: string, query: URLSearchParams) {
  for (const route of ROUTES) {
    const params = matchPattern(route.pattern, path);
    if (params) return route.render(params, query);
  }
  return (
    <section class="page">
      <h1>Not found</h1>
      <p>
        No console page at <code>{path}</code>. <a href="#/">Back to the overview</a>.
      </p>
    </section>
  );
}
