/** The SMTP adapter over TLS against a real server on 127.0.0.1 (smtp-server's own self-signed certificate): STARTTLS, implicit TLS, and a certificate that does not verify. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SMTPServerOptions } from 'smtp-server';
import { createLinkSigner, createSmtpAdapter, type SmtpChannel } from '../src/channels/email/index.js';
import { channel, delivery, startSmtp } from './support/smtp.js';

const signer = createLinkSigner('test-link-secret-0123456789');
const publicUrl = 'https://t.shop.test';

describe('the SMTP adapter over TLS', () => {
  const cases: [string, Partial<SMTPServerOptions>, Partial<SmtpChannel>][] = [
    ['STARTTLS, required', {}, { requireTLS: true, rejectUnauthorized: false }],
    ['implicit TLS', { secure: true }, { secure: true, rejectUnauthorized: false }],
  ];
  for (const [what, server, client] of cases) {
    it(`delivers with ${what}`, async () => {
      const smtp = await startSmtp(server);
      const made = createSmtpAdapter(channel(smtp.port, { ...client, user: 'tp', pass: 'secret' }), { signer, publicUrl });
      const result = await made.deliver(delivery('ann@x.test'));
      await made.close();
      await smtp.close();
      assert.equal(result.kind, 'sent', JSON.stringify(result));
      assert.deepEqual([smtp.received[0]?.secure, smtp.received[0]?.user], [true, 'tp']);
    });
  }

  for (const secure of [true, false]) {
    it(`does not send to a server whose certificate does not verify, and tries again (${secure ? 'implicit TLS' : 'STARTTLS'})`, async () => {
      const smtp = await startSmtp({ secure });
      const made = createSmtpAdapter(channel(smtp.port, { secure, requireTLS: true }), { signer, publicUrl });
      const result = await made.deliver(delivery('ann@x.test'));
      await made.close();
      await smtp.close();
      assert.deepEqual([result.kind, 'reason' in result && result.reason], ['retry', 'smtp_tls'], JSON.stringify(result));
      assert.equal(smtp.received.length, 0);
    });
  }
});
