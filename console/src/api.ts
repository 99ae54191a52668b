/**
 * The console talks to Touchpoint's management API only, with the session
 * cookie the sign-in set. Unsafe methods carry the session's CSRF token; a
 * 401 anywhere means the session ended, and the app shows the sign-in page.
 */

export type Role = 'admin' | 'marketer' | 'analyst';
export interface User {
  id: string;
  email: string;
  name?: string | null;
  role: Role;
}
export interface Session {
  user: User;
  csrfToken: string;
}

/** A refusal from the API: its stable code and the message that says what to fix. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error body's other fields (e.g. `problems`, one "pointer: message" per problem). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

let csrfToken = '';
const signedOutListeners = new Set<() => void>();

export function useCsrfToken(token: string): void {
  csrfToken = token;
}

export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | undefined | null | string[]>;

/** `/api/x` plus the query's defined values (arrays repeat the name). */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, String(one));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function request<T>(method: string, path: string, body?: unknown, options: { text?: boolean; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: options.text ? 'text/csv, text/plain' : 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: options.signal,
  });
  if (response.status === 401 && path !== '/api/session') for (const listener of signedOutListeners) listener();
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  return (options.text ? response.text() : response.json()) as Promise<T>;
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } & Record<string, unknown> };
    const { code, message, ...details } = body.error ?? {};
    return new ApiError(response.status, code ?? `HTTP_${response.status}`, message ?? response.statusText, details);
  } catch {
    return new ApiError(response.status, `HTTP_${response.status}`, response.statusText || 'The server did not answer with JSON.');
  }
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', withQuery(path, query), undefined, { signal });
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
export const del = <T>(path: string) => request<T>('DELETE', path);
