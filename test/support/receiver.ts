/** A webhook receiver on 127.0.0.1 for tests: records every request and counts the connections it accepted. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Answer = (request: Received, res: http.ServerResponse) => void;

export interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  /** TCP connections accepted: 1 for many requests means keep-alive worked. */
  connections(): number;
  answer(next: Answer): void;
  close(): Promise<void>;
}

const ok: Answer = (_request, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');

export async function startReceiver(host = '127.0.0.1'): Promise<Receiver> {
  const requests: Received[] = [];
  let connections = 0;
  let answer = ok;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(received);
      answer(received, res);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/hook`,
    port,
    requests,
    connections: () => connections,
    answer: (next) => {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
