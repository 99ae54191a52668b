/**
 * The delivery bench's receivers, run in a worker thread (sinks.ts starts
 * it): an HTTP server that answers 200 as soon as a request's body is in,
 * and an SMTP server that accepts every message (no login, no STARTTLS).
 * Each adds what it took to a shared counter and keeps the ids it saw
 * (webhook-id, X-Touchpoint-Message-Id or Message-ID), so that a message
 * that came twice shows.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { SMTPServer } from 'smtp-server';
import { SINK_SLOTS, type SinkCommand, type SinkKind } from './sinks.js';

const counts = new Int32Array(workerData as SharedArrayBuffer);
const ids: Record<SinkKind, Set<string>> = { webhook: new Set(), smtp: new Set() };

function took(kind: SinkKind, id: string): void {
  ids[kind].add(id);
  Atomics.add(counts, SINK_SLOTS[kind], 1);
}

const web = http.createServer((req, res) => {
  const id = String(req.headers['webhook-id']);
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-length': '0' }).end();
    took('webhook', id);
  });
});

/** The id in the message's header block (it comes first, so the rest is not kept). */
function idOf(head: string): string {
  const match = /^x-touchpoint-message-id:\s*(\S+)/im.exec(head) ?? /^message-id:\s*(\S+)/im.exec(head);
  return match?.[1] ?? '';
}

const smtp = new SMTPServer({
  logger: false,
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  // A reverse DNS lookup per connection is no part of what is measured.
  disableReverseLookup: true,
  onData(stream, _session, done) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 16_384 && !head.includes('\r\n\r\n')) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      took('smtp', idOf(head));
      done(null, 'Ok: queued');
    });
  },
});

await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));

parentPort!.on('message', (command: SinkCommand) => {
  if (command.do === 'ids') parentPort!.postMessage({ distinct: ids[command.kind].size });
  else {
    for (const kind of Object.keys(ids) as SinkKind[]) {
      ids[kind].clear();
      Atomics.store(counts, SINK_SLOTS[kind], 0);
    }
    parentPort!.postMessage({ reset: true });
  }
});
parentPort!.postMessage({ webhook: (web.address() as AddressInfo).port, smtp: (smtp.server.address() as AddressInfo).port });
