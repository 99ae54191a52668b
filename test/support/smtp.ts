/** A real SMTP server on 127.0.0.1 for the email tests, and the channel and delivery they send. */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { SmtpChannel } from '../../src/channels/email/index.js';
import type { Delivery } from '../../src/channels/index.js';

export interface Received {
  raw: Buffer;
  secure: boolean;
  user: string | undefined;
  to: string[];
}

/** An SMTP server that keeps what it receives and refuses recipients by their local part (reject@ 550, later@ 451). */
export async function startSmtp(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    onAuth: (auth, _session, done) =>
      auth.username === 'tp' && auth.password === 'secret' ? done(null, { user: 'tp' }) : done(Object.assign(new Error('Bad login'), { responseCode: 535 })),
    onRcptTo: (address, _session, done) => {
      const refusal = { 'reject@x.test': [550, 'No such user'], 'later@x.test': [451, 'Try again later'] }[address.address] as [number, string] | undefined;
      done(refusal && Object.assign(new Error(refusal[1]), { responseCode: refusal[0] }));
    },
    onData: (stream, session, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          raw: Buffer.concat(chunks),
          secure: session.secure,
          user: session.user as string | undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        done(null, 'Ok: queued as 4Xk9QZ');
      });
    },
    ...options,
  });
  // A client that gives up on the server's certificate leaves the server an error to report; it is the test's point, not a failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export const channel = (port: number, over: Partial<SmtpChannel> = {}): SmtpChannel => ({
  kind: 'smtp',
  host: '127.0.0.1',
  port,
  secure: false,
  requireTLS: false,
  rejectUnauthorized: true,
  pool: true,
  maxConnections: 2,
  from: 'Shop <news@shop.test>',
  maxAttempts: 8,
  ...over,
});

export const delivery = (to: string | null, messageId = 'msg_1'): Delivery => ({
  messageId,
  profileId: 'prf_1',
  channelName: 'email',
  channel: 'email',
  to,
  purpose: 'marketing',
  rendered: {
    subject: 'Your order',
    preheader: 'It ships today',
    html: '<html><body><p>Hi Ann</p><a href="https://shop.test/o/1?a=1&amp;b=2">Track it</a> <a href="mailto:care@shop.test">Write</a></body></html>',
    text: 'Hi Ann\n\nTrack it: https://shop.test/o/1?a=1&b=2',
  },
  journeyId: null,
  stepId: null,
  contentId: 'cnt_1',
  attempt: 1,
});
