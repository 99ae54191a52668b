/** The SMTP adapter against a real SMTP server on 127.0.0.1: what arrives, how it is signed, and each kind of refusal as a value. */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { dkimVerify } from 'mailauth';
import { createLinkSigner, createSmtpAdapter, type SmtpChannel } from '../src/channels/email/index.js';
import type { Adapter, DeliveryResult } from '../src/channels/index.js';
import { channel, delivery, startSmtp } from './support/smtp.js';

const signer = createLinkSigner('test-link-secret-0123456789');
const publicUrl = 'https://t.shop.test';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dkimRecord = `v=DKIM1; k=rsa; p=${keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;

const unfolded = (lines: readonly { key: string; line: string }[], key: string) => lines.find((l) => l.key === key)?.line.replace(/\r?\n[ \t]+/g, ' ');

describe('the SMTP adapter', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const adapters: Adapter[] = [];
  const adapter = (over: Partial<SmtpChannel>) => {
    const made = createSmtpAdapter(channel(smtp.port, over), { signer, publicUrl });
    adapters.push(made);
    return made;
  };
  before(async () => {
    smtp = await startSmtp({ disabledCommands: ['STARTTLS'] });
  });
  after(async () => {
    for (const made of adapters) await made.close();
    await smtp.close();
  });

  it('delivers a signed, tracked message with its unsubscribe headers', async () => {
    const dkim = { domainName: 'shop.test', keySelector: 'tp1', privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    const result = await adapter({ user: 'tp', pass: 'secret', dkim, replyTo: 'care@shop.test' }).deliver(delivery('ann@x.test'));
    assert.equal(result.kind, 'sent', JSON.stringify(result));
    assert.match(String(result.response?.smtp), /^250 /);
    assert.deepEqual([result.response?.queueId, result.response?.messageId], ['4Xk9QZ', '<msg_1@shop.test>']);
    const [got] = smtp.received.splice(0);
    assert.deepEqual([got!.to, got!.user], [['ann@x.test'], 'tp']);

    const mail = await simpleParser(got!.raw);
    assert.deepEqual(
      [mail.messageId, mail.subject, mail.from?.text, mail.replyTo?.text],
      ['<msg_1@shop.test>', 'Your order', '"Shop" <news@shop.test>', 'care@shop.test'],
    );
    const token = signer.unsubscribe('msg_1');
    assert.equal(
      unfolded(mail.headerLines, 'list-unsubscribe'),
      `List-Unsubscribe: <${publicUrl}/u/${token}>, <mailto:unsubscribe@shop.test?subject=unsubscribe-${token}>`,
    );
    assert.equal(unfolded(mail.headerLines, 'list-unsubscribe-post'), 'List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    assert.equal(mail.headers.get('x-touchpoint-message-id'), 'msg_1');
    assert.equal(mail.text, `Hi Ann\n\nTrack it: https://shop.test/o/1?a=1&b=2\n\n--\nUnsubscribe or change your email preferences: ${publicUrl}/u/${token}\n`);

    const html = String(mail.html);
    assert.match(html, /<body><div style="display:none;[^"]*" aria-hidden="true">It ships today<\/div><p>Hi Ann<\/p>/);
    assert.ok(html.includes('<a href="mailto:care@shop.test">'), 'mailto links stay');
    const said = [...html.matchAll(/"https:\/\/t\.shop\.test\/t\/([\w.-]+)"/g)].map((m) => signer.verify(m[1]!));
    assert.deepEqual(said, [
      { kind: 'click', messageId: 'msg_1', url: 'https://shop.test/o/1?a=1&b=2' },
      { kind: 'open', messageId: 'msg_1' },
    ]);
    assert.match(html, /<img src="https:\/\/t\.shop\.test\/t\/[\w.-]+" width="1" height="1" alt="" style="display:none"><\/body>/);

    const resolver = async (name: string, type: string) => {
      assert.deepEqual([name, type], ['tp1._domainkey.shop.test', 'TXT']);
      return [[dkimRecord]];
    };
    const verified = await dkimVerify(got!.raw, { resolver });
    assert.deepEqual(
      verified.results.map((r) => [r.signingDomain, r.selector, r.status.result]),
      [['shop.test', 'tp1', 'pass']],
    );
    const signature = unfolded(mail.headerLines, 'dkim-signature')!;
    assert.match(signature, /h=[^;]*List-Unsubscribe:List-Unsubscribe-Post/i, 'one-click needs both headers signed (RFC 8058)');
  });

  it('sends the same Message-ID on a second try of a message', async () => {
    const made = adapter({ pool: false });
    await made.deliver(delivery('ann@x.test', 'msg_2'));
    await made.deliver({ ...delivery('ann@x.test', 'msg_2'), attempt: 2 });
    const ids = await Promise.all(smtp.received.splice(0).map(async (r) => (await simpleParser(r.raw)).messageId));
    assert.deepEqual(ids, ['<msg_2@shop.test>', '<msg_2@shop.test>']);
  });

  const outcomes: [string, () => Promise<DeliveryResult>, { kind: DeliveryResult['kind']; reason: string }][] = [
    ['a 550 refusal fails for good', () => adapter({}).deliver(delivery('reject@x.test')), { kind: 'failed', reason: 'smtp_rejected' }],
    ['a 451 refusal is tried again', () => adapter({}).deliver(delivery('later@x.test')), { kind: 'retry', reason: 'smtp_deferred' }],
    ['a refused login is tried again', () => adapter({ user: 'tp', pass: 'wrong' }).deliver(delivery('ann@x.test')), { kind: 'retry', reason: 'smtp_auth' }],
    ['no address fails', () => adapter({}).deliver(delivery(null)), { kind: 'failed', reason: 'no_address' }],
    [
      'a closed port is tried again',
      async () => createSmtpAdapter(channel(await closedPort()), { signer, publicUrl }).deliver(delivery('ann@x.test')),
      { kind: 'retry', reason: 'smtp_unreachable' },
    ],
  ];
  for (const [what, run, expected] of outcomes) {
    it(what, async () => {
      const result = await run();
      assert.deepEqual({ kind: result.kind, reason: 'reason' in result ? result.reason : undefined }, expected, JSON.stringify(result));
    });
  }

  it('keeps the refusing reply', async () => {
    const result = await adapter({}).deliver(delivery('reject@x.test'));
    assert.deepEqual([result.response?.status, result.response?.smtp], [550, '550 No such user']);
  });
});

/** A port nothing listens on: one that was free a moment ago. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
