/**
 * The email channel's adapter: deliveries out through an SMTP server with
 * nodemailer (pooled connections, TLS, DKIM), and the server's answer as a
 * value. A 5xx reply refuses this message for good; a 4xx reply, a lost
 * connection or a timeout is worth another try; a refused login is the
 * channel's problem, not the message's, so it is tried again too.
 */
import { performance } from 'node:perf_hooks';
import { Type, type Static } from '@sinclair/typebox';
import nodemailer, { type NodemailerError, type SendMailOptions, type SMTPTransportOptions } from 'nodemailer';
import { ADDRESS_PATTERN } from '../../content/index.js';
import type { Adapter, Delivery, DeliveryResponse, DeliveryResult } from '../types.js';
import { addressOf, asRenderedEmail, buildEmail, domainOf, type EmailOptions } from './mime.js';
import type { LinkSigner } from './tracking.js';

const Address = (description: string) => Type.String({ maxLength: 320, pattern: ADDRESS_PATTERN, description });

export const SmtpChannelSchema = Type.Object(
  {
    kind: Type.Literal('smtp'),
    host: Type.String({ minLength: 1, description: 'The SMTP server (relay or provider).' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 587 }),
    secure: Type.Boolean({
      default: false,
      description: 'TLS from the first byte (implicit TLS, usually port 465); false: plain, upgraded by STARTTLS when offered.',
    }),
    requireTLS: Type.Boolean({ default: false, description: 'Refuse to send unless STARTTLS succeeds.' }),
    rejectUnauthorized: Type.Boolean({
      default: true,
      description: "false accepts a server certificate that does not verify (a test relay's self-signed one).",
    }),
    user: Type.Optional(Type.String({ minLength: 1 })),
    pass: Type.Optional(Type.String({ minLength: 1 })),
    pool: Type.Boolean({ default: true, description: 'Keep connections open and reuse them.' }),
    maxConnections: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
    from: Address('The sender when the content names none; its domain names every Message-ID.'),
    replyTo: Type.Optional(Address('Where replies go when the content says nothing.')),
    dkim: Type.Optional(
      Type.Object(
        {
          domainName: Type.String({ minLength: 1 }),
          keySelector: Type.String({ minLength: 1 }),
          privateKey: Type.String({ minLength: 1, description: 'PEM.' }),
        },
        { additionalProperties: false },
      ),
    ),
    unsubscribeMailto: Type.Optional(Address("The address List-Unsubscribe's mailto: writes to; default unsubscribe@ the sender's domain.")),
    ratePerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    maxAttempts: Type.Integer({ minimum: 1, maximum: 100, default: 8 }),
  },
  { additionalProperties: false },
);

export type SmtpChannel = Static<typeof SmtpChannelSchema>;

export interface SmtpDeps {
  signer: LinkSigner;
  /** Where Touchpoint answers on the web: tracked links, the pixel and the preference page. */
  publicUrl: string;
}

/** Shorter than nodemailer's (2 min to connect, 10 min idle): a stuck server should not hold a delivery slot that long. */
const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

function transportOptions(config: SmtpChannel): SMTPTransportOptions {
  if ((config.user === undefined) !== (config.pass === undefined)) throw new Error('An SMTP channel needs both user and pass, or neither.');
  return {
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTLS,
    tls: { rejectUnauthorized: config.rejectUnauthorized },
    ...(config.user !== undefined && { auth: { user: config.user, pass: config.pass } }),
    ...(config.dkim && { dkim: { ...config.dkim } }),
    ...TIMEOUTS,
  };
}

const cut = (text: string) => text.slice(0, 2000);
/** Node's codes for a certificate that does not verify or a handshake that failed (nodemailer reports them as ESOCKET on implicit TLS). */
const TLS_FAILURE = /^(CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|ERR_TLS_|ERR_SSL_)/;

/** What a sent message's reply says, with the server's queue id when it names one ("250 2.0.0 Ok: queued as 4Xk9"). */
function sentResponse(reply: string, messageId: string, ms: number): DeliveryResponse {
  const queueId = reply.match(/queued as\s+<?([\w.@-]+)>?/i)?.[1];
  return { smtp: cut(reply), messageId, ms, ...(queueId !== undefined && { queueId }) };
}

/** A refusal as a value: who refused (a reply code) or what broke (a connection, a timeout, TLS, the login). */
export function classifySmtpError(error: NodemailerError, ms?: number): DeliveryResult {
  const code = error.responseCode;
  const response: DeliveryResponse = {
    ...(code !== undefined && { status: code }),
    ...(error.response !== undefined && { smtp: cut(error.response) }),
    ...(code === undefined && { body: cut(error.message) }),
    ...(ms !== undefined && { ms }),
  };
  if (error.code === 'EAUTH' || error.code === 'ENOAUTH') return { kind: 'retry', reason: 'smtp_auth', response };
  // 503 says the session was out of step, not that the message was refused (nodemailer's reading of RFC 5321).
  if (code !== undefined && code >= 500 && code < 600 && code !== 503) return { kind: 'failed', reason: 'smtp_rejected', response };
  if (code !== undefined && code >= 400) return { kind: 'retry', reason: 'smtp_deferred', response };
  if (error.code === 'ETIMEDOUT') return { kind: 'retry', reason: 'smtp_timeout', response };
  if (error.code === 'ETLS' || TLS_FAILURE.test(error.originalCode ?? '')) return { kind: 'retry', reason: 'smtp_tls', response };
  return { kind: 'retry', reason: 'smtp_unreachable', response };
}

const SINGLE_ADDRESS = /^[^\s@,;<>"()]+@[^\s@,;<>"()]+$/;

export function createSmtpAdapter(config: SmtpChannel, deps: SmtpDeps): Adapter {
  const options = transportOptions(config);
  const transport = config.pool
    ? nodemailer.createTransport({ ...options, pool: true, maxConnections: config.maxConnections })
    : nodemailer.createTransport(options);
  const email: EmailOptions = {
    from: config.from,
    ...(config.replyTo !== undefined && { replyTo: config.replyTo }),
    unsubscribeMailto: config.unsubscribeMailto ?? `unsubscribe@${domainOf(config.from)}`,
    publicUrl: deps.publicUrl,
    signer: deps.signer,
  };

  async function send(message: SendMailOptions): Promise<DeliveryResult> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const info = await transport.sendMail(message);
      const response = sentResponse(String(info.response ?? ''), String(info.messageId ?? message.messageId), ms());
      if ((info.accepted ?? []).length === 0) return { kind: 'failed', reason: 'smtp_rejected', response };
      return { kind: 'sent', response };
    } catch (error) {
      return classifySmtpError(error as NodemailerError, ms());
    }
  }

  return {
    async deliver(delivery: Delivery) {
      if (!delivery.to) return { kind: 'failed', reason: 'no_address' };
      // One recipient, whatever the address says: "a@x, b@y" would otherwise reach both.
      if (!SINGLE_ADDRESS.test(delivery.to)) return { kind: 'failed', reason: 'bad_address', response: { error: 'not a single e-mail address' } };
      if (!asRenderedEmail(delivery.rendered)) return { kind: 'failed', reason: 'not_an_email' };
      const message = buildEmail(delivery, email);
      return send({
        ...message,
        to: { name: '', address: delivery.to },
        envelope: { from: addressOf(typeof message.from === 'string' ? message.from : email.from), to: [delivery.to] },
      });
    },
    async close() {
      transport.close();
    },
  };
}
