/**
 * Cross-site request forgery, for requests signed in by cookie: a change
 * must carry the session's token in a header (which another site's page
 * cannot read nor set), and must not come from a page of another origin.
 */
import { timingSafeEqual } from 'node:crypto';
import { TouchpointError } from '../errors.js';

/**
 * Host and port, with 80 and 443 as no port: behind a proxy that terminates
 * TLS without TOUCHPOINT_TRUST_PROXY, the browser's https://host:443 reaches
 * Touchpoint as http://host:80, and it is the same host all the same.
 */
function hostAndPort(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const port = parsed.port === '80' || parsed.port === '443' ? '' : parsed.port;
    return `${parsed.hostname}:${port}`;
  } catch {
    return undefined;
  }
}

/** Whether an Origin header names the host the request was sent to (request.protocol and request.host). */
export function sameHost(origin: string, protocol: string, host: string): boolean {
  const from = hostAndPort(origin);
  return from !== undefined && from === hostAndPort(`${protocol}://${host}`);
}

export interface CsrfRequest {
  origin: string | undefined;
  protocol: string;
  host: string;
}

/** Throws TP_CSRF when the Origin header names another host. */
export function checkOrigin(request: CsrfRequest): void {
  if (request.origin === undefined || sameHost(request.origin, request.protocol, request.host)) return;
  throw new TouchpointError(
    'TP_CSRF',
    `The request comes from a page of ${request.origin}, not of this server (${request.host}); sign in and use the console from this server's address.`,
  );
}

/** Throws TP_CSRF unless the header carries the session's token. */
export function checkCsrfToken(sent: string | string[] | undefined, expected: string): void {
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  const wanted = Buffer.from(expected);
  if (given.length === wanted.length && timingSafeEqual(given, wanted)) return;
  throw new TouchpointError('TP_CSRF', 'Send the x-csrf-token header from GET /api/session (its csrfToken) with every request that changes something.');
}
