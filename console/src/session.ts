/** Who is signed in, for every page: the user, and what their role may do. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Role, Session } from './api.js';

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

/** Analysts read; marketers also edit segments, journeys, policy and content; admins also manage sources and users. */
export function canEdit(role: Role): boolean {
  return role === 'admin' || role === 'marketer';
}

export function isAdmin(role: Role): boolean {
  return role === 'admin';
}

export function useCanEdit(): boolean {
  return canEdit(useSession().user.role);
}
