/**
 * The one way Touchpoint makes outbound HTTP requests. Every address a
 * request connects to is checked against the SSRF guard in the socket's own
 * DNS lookup, so the address checked is the address connected to: a host
 * name that resolves to a public address when checked and to 127.0.0.1 when
 * connected (DNS rebinding) has no gap to slip through. Redirects are never
 * followed (a 3xx is an answer), so a receiver cannot bounce us inward.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createAllowList, isPrivateAddress, normalizeHost, type AllowList } from './ssrf.js';

export interface OutboundRequest {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  /** The whole exchange, from DNS to the last byte of the answer. */
  timeoutMs: number;
  /** Bytes of the answer kept (default 64 KiB); the rest is read and discarded. */
  maxResponseBytes?: number;
}

export interface OutboundResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  ms: number;
}

export interface Outbound {
  request(r: OutboundRequest): Promise<OutboundResponse>;
  /** Closes the idle kept-alive connections. */
  close(): void;
}

/** Resolves a host name to every address it has (dns.lookup by default; tests give their own). */
export type Resolve = (host: string, family: number) => Promise<LookupAddress[]>;

export interface OutboundOptions {
  /** CIDR ranges, addresses and host names that may be reached although private (see ssrf.ts). */
  allow: string[];
  userAgent?: string;
  resolve?: Resolve;
}

export type RefusalReason = 'private_address' | 'bad_url' | 'scheme';

/** A request refused before any connection was made. */
export class OutboundRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly host: string,
    readonly address?: string,
    readonly range?: string,
  ) {
    super(refusalMessage(reason, host, address, range));
    this.name = 'OutboundRefused';
  }
}

function refusalMessage(reason: RefusalReason, host: string, address?: string, range?: string): string {
  if (reason === 'private_address') return `${host} is at ${address}, a ${range} address; add it to outboundAllowList to reach it`;
  return reason === 'scheme' ? `${host}: only http: and https: URLs are requested` : `not a URL: ${host}`;
}

export class OutboundTimeout extends Error {
  constructor(
    readonly host: string,
    readonly timeoutMs: number,
  ) {
    super(`${host} did not answer within ${timeoutMs} ms`);
    this.name = 'OutboundTimeout';
  }
}

const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

const systemResolve: Resolve = (host, family) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, family }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/** The refusal for the first address the guard flags and the allow-list does not allow. */
function refusal(host: string, addresses: string[], allow: AllowList): OutboundRefused | undefined {
  for (const address of addresses) {
    const range = isPrivateAddress(address);
    if (range !== undefined && !allow.allows(host, address)) return new OutboundRefused('private_address', host, address, range);
  }
  return undefined;
}

/**
 * The socket's DNS lookup. One private address among public ones refuses the
 * host: whoever controls its DNS could make the socket pick that one.
 */
function guardedLookup(allow: AllowList, resolve: Resolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options.family === 'IPv6' ? 6 : options.family === 'IPv4' ? 4 : (options.family ?? 0)).then(
      (addresses) => {
        const refused = refusal(
          hostname,
          addresses.map((a) => a.address),
          allow,
        );
        if (refused) return callback(refused, '');
        const first = addresses[0];
        if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

/** Node connects to a literal IP without calling the lookup, so literals are checked here. */
function checkedUrl(text: string, allow: AllowList): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OutboundRefused('bad_url', text);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefused('scheme', url.host);
  const host = normalizeHost(url.hostname);
  if (isIP(host) !== 0) {
    const refused = refusal(host, [host], allow);
    if (refused) throw refused;
  }
  return url;
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

/** Keeps the first `max` bytes; reading the rest (and dropping it) lets the connection be reused. */
function readBody(res: http.IncomingMessage, max: number, done: (body: string) => void, fail: (error: Error) => void): void {
  const chunks: Buffer[] = [];
  let kept = 0;
  res.on('data', (chunk: Buffer) => {
    if (kept >= max) return;
    const part = chunk.subarray(0, max - kept);
    chunks.push(part);
    kept += part.length;
  });
  res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
  res.on('error', fail);
}

interface Transport {
  agents: { http: http.Agent; https: https.Agent };
  lookup: LookupFunction;
  userAgent: string;
}

function exchange(url: URL, r: OutboundRequest, transport: Transport): Promise<OutboundResponse> {
  const started = performance.now();
  const secure = url.protocol === 'https:';
  const headers: Record<string, string> = { 'user-agent': transport.userAgent, ...r.headers };
  if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(url, {
      method: r.method,
      headers,
      agent: secure ? transport.agents.https : transport.agents.http,
      lookup: transport.lookup,
    });
    // The deadline covers DNS, connecting and the whole answer: a receiver that trickles bytes is still cut off.
    const timer = setTimeout(() => {
      reject(new OutboundTimeout(url.host, r.timeoutMs));
      req.destroy();
    }, r.timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    req.on('error', fail);
    req.on('response', (res) => {
      readBody(
        res,
        r.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
        (body) => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body, ms: Math.round(performance.now() - started) });
        },
        fail,
      );
    });
    req.end(r.body);
  });
}

/**
 * The outbound client. Connections are kept alive and reused: at a high send
 * rate to one receiver, a TCP and TLS handshake per request would cost more
 * than the request.
 */
export function createOutbound(options: OutboundOptions): Outbound {
  const allow = createAllowList(options.allow);
  const transport: Transport = {
    agents: { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) },
    lookup: guardedLookup(allow, options.resolve ?? systemResolve),
    userAgent: options.userAgent ?? 'Touchpoint',
  };
  return {
    request: async (r) => exchange(checkedUrl(r.url, allow), r, transport),
    close() {
      transport.agents.http.destroy();
      transport.agents.https.destroy();
    },
  };
}
