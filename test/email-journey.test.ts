// Responses are JSON of many shapes; tests read them as they are.
/* biome-ignore-all lint/suspicious/noExplicitAny: API bodies in tests */
/**
 * Email end to end, on every dialect: a journey's email goes out over SMTP
 * to a real server on loopback, DKIM-signed, with both parts and RFC 8058
 * one-click unsubscribe; its tracked link redirects and its pixel loads,
 * each becoming a status of the message and an event of the customer; the
 * one-click unsubscribe denies marketing consent, after which no marketing
 * email goes out; a hard bounce (JSON or DSN) suppresses the address.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { dkimVerify } from 'mailauth';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { admin } from './support/touchpoint.js';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const DKIM_RECORD = `v=DKIM1; k=rsa; p=${keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
const PUBLIC = 'https://t.shop.test';

async function startSmtp() {
  const received: Buffer[] = [];
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData: (stream, _session, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks));
        done(null, 'Ok: queued as Q1');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function emailHarness(dialect: (typeof DIALECTS)[number], port: number): Promise<Harness> {
  const email = {
    kind: 'smtp',
    host: '127.0.0.1',
    port,
    from: 'Shop <news@shop.test>',
    dkim: { domainName: 'shop.test', keySelector: 'tp', privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) },
  };
  const h = await startHarness(dialect, { TOUCHPOINT_CHANNELS: JSON.stringify({ email }), TOUCHPOINT_PUBLIC_URL: PUBLIC });
  await h.content('news', {
    email: {
      subject: 'Hello {{ traits.firstName }}',
      html: '<p>New shoes: <a href="https://shop.test/shoes?c=1&amp;d=2">see them</a> <a href="{{ event.properties.cartUrl }}">your cart</a></p>',
    },
  });
  await h.content('receipt', { email: { subject: 'Your receipt', html: '<p>Thanks</p>' } });
  await h.journey('newsletter', {
    entry: { event: { name: 'News' } },
    reentry: { mode: 'always' },
    steps: [{ id: 'send', send: { channel: 'email', content: 'news' } }],
  });
  await h.journey('receipts', {
    entry: { event: { name: 'Order Completed' } },
    reentry: { mode: 'always' },
    steps: [{ id: 'send', send: { channel: 'email', content: 'receipt', purpose: 'transactional' } }],
  });
  await h.identify('u1', { email: 'Ann@Example.com', firstName: 'Ann', consent: { email: 'granted' } });
  await h.settle();
  return h;
}

const drain = async (h: Harness) => {
  while ((await h.tp.touchpoint.channels.dispatcher.step()) > 0);
};
const get = (h: Harness, url: string) => h.tp.app.inject({ method: 'GET', url: url.replace(PUBLIC, '') });

for (const dialect of DIALECTS) {
  describe(`email end to end (${dialect.name})`, () => {
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    before(async () => {
      smtp = await startSmtp();
    });
    after(() => smtp.close());

    it('sends a signed email whose link, pixel and one-click unsubscribe come back into the history', async () => {
      smtp.received.length = 0;
      const h = await emailHarness(dialect, smtp.port);
      try {
        await h.track('u1', 'News', { cartUrl: 'https://evil.test/phish' });
        await h.settle();
        await drain(h);
        assert.equal(smtp.received.length, 1);
        const raw = smtp.received[0]!;
        const dkim = await dkimVerify(raw, { resolver: async (name: string) => (name === 'tp._domainkey.shop.test' ? [[DKIM_RECORD]] : []) } as any);
        assert.equal(dkim.results[0]?.status.result, 'pass', JSON.stringify(dkim.results));
        const mail = await simpleParser(raw);
        const [message] = await h.messages();
        assert.equal(message.status, 'sent');
        assert.equal(mail.subject, 'Hello Ann');
        assert.equal(mail.messageId, `<${message.id}@shop.test>`);
        assert.match(String(mail.text), /New shoes/);
        const header = (name: string) =>
          mail.headerLines
            .find((l) => l.key === name)
            ?.line.replace(/\r?\n\s+/g, ' ')
            .replace(/^[^:]+:\s*/, '');
        const unsubscribe = header('list-unsubscribe') ?? '';
        assert.match(unsubscribe, new RegExp(`^<${PUBLIC}/u/[^>]+>, <mailto:unsubscribe@shop\\.test\\?subject=unsubscribe-`));
        assert.equal(header('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
        const html = String(mail.html);
        const link = html.match(/href="(https:\/\/t\.shop\.test\/t\/[^"]+)"/)?.[1];
        const pixel = html.match(/<img src="(https:\/\/t\.shop\.test\/t\/[^"]+)"/)?.[1];
        assert.ok(link && pixel, html);
        assert.match(html, /href="https:\/\/evil\.test\/phish"/, 'a link whose host came from the event is not made a redirect of ours');
        assert.equal(html.match(/https:\/\/t\.shop\.test\/t\//g)?.length, 2, 'one tracked link and the pixel');

        const click = await get(h, link);
        assert.equal(click.statusCode, 302);
        assert.equal(click.headers.location, 'https://shop.test/shoes?c=1&d=2');
        const open = await get(h, pixel);
        assert.equal(open.statusCode, 200);
        assert.equal(open.headers['content-type'], 'image/gif');
        const forged = await get(h, `${link.slice(0, -3)}AAA`);
        assert.equal(forged.statusCode, 404, 'an altered token is no redirect');
        await h.settle();
        const clicked = (await h.api('GET', `/api/messages/${message.id}`)).body;
        assert.equal(clicked.status, 'clicked', 'an open after the click keeps it clicked');
        assert.deepEqual(
          clicked.history.slice(-2).map((s: any) => s.status),
          ['clicked', 'opened'],
        );
        const profileId = await h.profileOf('u1');
        const timeline = (await h.api('GET', `/api/profiles/${profileId}/timeline`)).body.events;
        const events = timeline.filter((e: any) => e.event?.startsWith('Email')).map((e: any) => [e.event, e.channel]);
        assert.deepEqual(events.sort(), [
          ['Email Link Clicked', 'email'],
          ['Email Opened', 'email'],
        ]);

        const unsubscribeUrl = unsubscribe.match(/https:\/\/[^>]+/)![0]!;
        const oneClick = () =>
          h.tp.app.inject({
            method: 'POST',
            url: unsubscribeUrl.replace(PUBLIC, ''),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: 'List-Unsubscribe=One-Click',
          });
        assert.equal((await oneClick()).statusCode, 200);
        assert.equal((await oneClick()).statusCode, 200, 'idempotent');
        await h.settle();
        const profile = (await h.api('GET', `/api/profiles/${profileId}`)).body;
        assert.equal(profile.consent.email.marketing.status, 'denied');
        assert.equal((await h.api('GET', `/api/messages/${message.id}`)).body.status, 'unsubscribed');
        const page = await get(h, unsubscribeUrl);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /marketing/);
        assert.doesNotMatch(page.body, /<script|https?:\/\/(?!t\.shop\.test)[^"'\s]+\.(css|js)/, 'no external assets');

        await h.track('u1', 'News');
        await h.settle();
        await drain(h);
        assert.equal(smtp.received.length, 1, 'no marketing email after the unsubscribe');
        const [latest] = await h.messages();
        assert.deepEqual([latest.status, latest.reason], ['suppressed', 'consent_denied']);
      } finally {
        await h.dispose();
      }
    });

    it('one-click unsubscribe stops the mailing it came from, whatever its purpose', async () => {
      smtp.received.length = 0;
      const h = await emailHarness(dialect, smtp.port);
      try {
        await h.journey('weekly', {
          entry: { event: { name: 'Weekly' } },
          reentry: { mode: 'always' },
          steps: [{ id: 'send', send: { channel: 'email', content: 'news', purpose: 'newsletter' } }],
        });
        const profileId = await h.profileOf('u1');
        assert.equal((await h.api('PUT', `/api/profiles/${profileId}/consent`, { channel: 'email', purpose: 'newsletter', status: 'granted' })).status, 200);
        await h.track('u1', 'Weekly');
        await h.settle();
        await drain(h);
        const mail = await simpleParser(smtp.received[0]!);
        const url = String(mail.headerLines.find((l) => l.key === 'list-unsubscribe')?.line).match(/https:\/\/[^>]+/)![0]!;
        const one = await h.tp.app.inject({ method: 'POST', url: url.replace(PUBLIC, ''), payload: '' });
        assert.equal(one.statusCode, 200);
        await h.settle();
        const consent = (await h.api('GET', `/api/profiles/${profileId}`)).body.consent.email;
        assert.deepEqual([consent.marketing.status, consent.newsletter.status], ['denied', 'denied']);
        await h.track('u1', 'Weekly');
        await h.settle();
        const [latest] = await h.messages();
        assert.deepEqual([latest.status, latest.reason], ['suppressed', 'consent_denied']);
      } finally {
        await h.dispose();
      }
    });

    it('suppresses the address after a hard bounce, reported as JSON or as a DSN', async () => {
      smtp.received.length = 0;
      const h = await emailHarness(dialect, smtp.port);
      try {
        await h.track('u1', 'Order Completed');
        await h.settle();
        await drain(h);
        const [receipt] = await h.messages();
        // A second receipt waits in the queue while the first bounces.
        await h.track('u1', 'Order Completed');
        await h.settle();
        const [waiting] = await h.messages();
        assert.equal(waiting.status, 'queued');
        const bounce = (payload: string, type: string) =>
          h.tp.app.inject({ method: 'POST', url: '/api/email/bounces', headers: { ...admin(), 'content-type': type }, payload });
        const dsn = [
          'From: MAILER-DAEMON@mx.example.com',
          'To: news@shop.test',
          'Subject: Undelivered Mail Returned to Sender',
          'MIME-Version: 1.0',
          'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
          '',
          '--B',
          'Content-Type: text/plain',
          '',
          'The mail could not be delivered.',
          '--B',
          'Content-Type: message/delivery-status',
          '',
          'Reporting-MTA: dns; mx.example.com',
          '',
          'Final-Recipient: rfc822; ann@example.com',
          'Action: failed',
          'Status: 5.1.1',
          '',
          '--B',
          'Content-Type: text/rfc822-headers',
          '',
          `Message-ID: <${receipt.id}@shop.test>`,
          `X-Touchpoint-Message-Id: ${receipt.id}`,
          'Subject: Your receipt',
          '',
          '--B--',
          '',
        ].join('\r\n');
        const delayed = await bounce(dsn.replace('Action: failed', 'Action: delayed').replace('Status: 5.1.1', 'Status: 4.4.1'), 'message/rfc822');
        assert.equal(delayed.json().error.code, 'TP_INVALID_BOUNCE', 'a delay warning is no bounce');
        const notDsn = await bounce('hello', 'text/plain');
        assert.equal(notDsn.json().error.code, 'TP_INVALID_BOUNCE');
        const empty = await bounce(JSON.stringify({ type: 'hard' }), 'application/json');
        assert.equal(empty.json().error.code, 'TP_INVALID_BOUNCE');
        // The report as its own body: its boundary in the request's Content-Type, no header line of its own.
        const bare = dsn.slice(dsn.indexOf('--B'));
        const bareReport = await bounce(bare, 'multipart/report; report-type=delivery-status; boundary="B"');
        assert.equal(bareReport.statusCode, 200, bareReport.body);
        const reported = await bounce(dsn, 'multipart/report; report-type=delivery-status; boundary="B"');
        assert.equal(reported.statusCode, 200, reported.body);
        assert.equal(reported.json().message.status, 'bounced');
        assert.equal(reported.json().suppressed, 'ann@example.com');
        await drain(h);
        const screened = (await h.api('GET', `/api/messages/${waiting.id}`)).body;
        assert.deepEqual([screened.status, screened.reason, smtp.received.length], ['suppressed', 'address_suppressed', 1], 'not sent after the bounce');
        const list = (await h.api('GET', '/api/channels/suppressions')).body.suppressions;
        assert.deepEqual(
          list.map((s: any) => [s.channel, s.address, s.reason, s.messageId]),
          [['email', 'ann@example.com', 'hard_bounce', receipt.id]],
        );

        await h.track('u1', 'Order Completed');
        await h.settle();
        const [next] = await h.messages();
        assert.deepEqual([next.status, next.reason], ['suppressed', 'address_suppressed'], 'not even a transactional email');
        assert.equal((await h.api('DELETE', '/api/channels/suppressions/email/ann@example.com')).status, 204);
        assert.equal((await h.api('DELETE', '/api/channels/suppressions/email/ann@example.com')).body.error.code, 'TP_SUPPRESSION_NOT_FOUND');
        await h.track('u1', 'Order Completed');
        await h.settle();
        assert.equal((await h.messages())[0].status, 'queued');
      } finally {
        await h.dispose();
      }
    });
  });
}
