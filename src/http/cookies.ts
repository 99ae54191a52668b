/** The session cookie: read from the Cookie header, written with the attributes the console needs. */
import { SESSION_ABSOLUTE_MS } from '../users/index.js';

export const SESSION_COOKIE = 'tp_session';

/** Cookie header -> name/value pairs; the first of a repeated name wins (as browsers send the most specific first). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name !== '' && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** HttpOnly: scripts cannot read it; SameSite=Strict: other sites' pages do not send it. Secure over https. */
export function sessionCookie(token: string, secure: boolean): string {
  return cookie(token, SESSION_ABSOLUTE_MS / 1000, secure);
}

export function clearedSessionCookie(secure: boolean): string {
  return cookie('', 0, secure);
}

function cookie(value: string, maxAge: number, secure: boolean): string {
  return [`${SESSION_COOKIE}=${value}`, 'HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${maxAge}`, ...(secure ? ['Secure'] : [])].join('; ');
}
