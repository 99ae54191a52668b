import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseDsn } from './dsn.js';

/** A bounce as Postfix writes it (bounce(8)), with the original returned whole. */
const postfixHard = `Return-Path: <>
Received: by mail.shop.test (Postfix) id 4Xk9QZ; Mon, 23 Nov 2026 12:00:05 +0000 (UTC)
Date: Mon, 23 Nov 2026 12:00:05 +0000 (UTC)
From: MAILER-DAEMON@mail.shop.test (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@shop.test
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4Xk9QZ.1795435205/mail.shop.test"
Content-Transfer-Encoding: 8bit
Message-Id: <20261123120005.4Xk9QZ@mail.shop.test>

This is a MIME-encapsulated message.

--4Xk9QZ.1795435205/mail.shop.test
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.shop.test.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<ann@x.test>: host mx.x.test[192.0.2.7] said: 550 5.1.1 <ann@x.test>:
    Recipient address rejected: User unknown in virtual mailbox table (in reply
    to RCPT TO command)

--4Xk9QZ.1795435205/mail.shop.test
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.shop.test
X-Postfix-Queue-ID: 4Xk9QZ
X-Postfix-Sender: rfc822; bounces@shop.test
Arrival-Date: Mon, 23 Nov 2026 12:00:01 +0000 (UTC)

Final-Recipient: rfc822; ann@x.test
Original-Recipient: rfc822;ann@x.test
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.x.test
Diagnostic-Code: smtp; 550 5.1.1 <ann@x.test>: Recipient address rejected:
    User unknown in virtual mailbox table

--4Xk9QZ.1795435205/mail.shop.test
Content-Description: Undelivered Message
Content-Type: message/rfc822
Content-Transfer-Encoding: 8bit

From: Shop <news@shop.test>
To: ann@x.test
Subject: Your order
Message-ID: <msg_1@shop.test>
X-Touchpoint-Message-Id: msg_01HZX
MIME-Version: 1.0
Content-Type: text/plain

Hi Ann

--4Xk9QZ.1795435205/mail.shop.test--
`.replace(/\n/g, '\r\n');

/** Postfix's "delayed mail" warning: only the headers come back. */
const postfixDelayed = `From: MAILER-DAEMON@mail.shop.test (Mail Delivery System)
Subject: Delayed Mail (still being retried)
Content-Type: multipart/report; report-type="delivery-status"; boundary=B1
MIME-Version: 1.0

--B1
Content-Type: text/plain

Your message was not delivered yet; the mail system will keep trying.

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.shop.test

Final-Recipient: rfc822; bob@x.test
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mx.x.test[192.0.2.7]:25: Connection timed out
Will-Retry-Until: Mon, 28 Nov 2026 12:00:00 +0000 (UTC)

--B1
Content-Type: text/rfc822-headers

From: Shop <news@shop.test>
To: bob@x.test
Message-ID: <msg_2@shop.test>
Subject: Your order

--B1--
`;

it('reads a hard bounce: the returned message, the recipient and the permanent status', () => {
  assert.deepEqual(parseDsn(postfixHard), { messageId: 'msg_01HZX', recipient: 'ann@x.test', status: '5.1.1', action: 'failed', hard: true });
});

it("reads a soft bounce, the message known by its Message-ID's local part", () => {
  assert.deepEqual(parseDsn(postfixDelayed), { messageId: 'msg_2', recipient: 'bob@x.test', status: '4.4.1', action: 'delayed', hard: false });
});

it('reads a report encoded in base64 and one without the returned message', () => {
  const status = Buffer.from('Reporting-MTA: dns; m\r\n\r\nFinal-Recipient: rfc822; <c@x.test>\r\nAction: failed\r\nStatus: 5.2.2 (mailbox full)\r\n').toString(
    'base64',
  );
  const raw = postfixDelayed
    .replace('Content-Type: message/delivery-status\n', 'Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n')
    .replace(/Reporting-MTA: dns; mail\.shop\.test\n\n[\s\S]*?\n\n--B1\nContent-Type: text\/rfc822-headers[\s\S]*?(?=--B1--)/, `${status}\n\n`);
  assert.deepEqual(parseDsn(raw), { recipient: 'c@x.test', status: '5.2.2', action: 'failed', hard: true });
});

it('calls a final failure without a status hard', () => {
  const raw = postfixDelayed.replace('Action: delayed\nStatus: 4.4.1\n', 'Action: failed\n');
  assert.equal(parseDsn(raw)?.hard, true);
  assert.equal(
    parseDsn(postfixDelayed.replace('Action: delayed\nStatus: 4.4.1\n', 'Action: failed\nStatus: 4.4.7\n'))?.hard,
    false,
    'given up on a temporary failure',
  );
});

it('answers undefined for anything that is not a delivery status notification', () => {
  const notDsn = [
    '',
    'not a message at all',
    'From: a@x.test\r\nSubject: Re: your order\r\nContent-Type: text/plain\r\n\r\nThanks!',
    postfixDelayed.replace('report-type="delivery-status"', 'report-type=disposition-notification'),
    postfixDelayed.replace('; boundary=B1', ''),
    postfixDelayed.replace('Content-Type: message/delivery-status', 'Content-Type: text/plain'),
    postfixDelayed.replace(/Final-Recipient[\s\S]*?Will-Retry-Until: .*\n/, ''),
  ];
  for (const raw of notDsn) assert.equal(parseDsn(raw), undefined, raw.slice(0, 80));
});
