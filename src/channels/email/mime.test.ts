import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Delivery } from '../types.js';
import { asRenderedEmail, buildEmail, domainOf, UNSUBSCRIBE_PLACEHOLDER, type EmailOptions } from './mime.js';
import { createLinkSigner } from './tracking.js';

const signer = createLinkSigner('a-secret-of-at-least-16-chars');
const options: EmailOptions = {
  from: 'Shop <news@Shop.test>',
  replyTo: 'care@shop.test',
  unsubscribeMailto: 'unsubscribe@shop.test',
  publicUrl: 'https://t.shop.test/',
  signer,
};

const delivery = (rendered: Record<string, unknown>, attempt = 1): Delivery => ({
  messageId: 'msg_1',
  profileId: 'prf_1',
  channelName: 'email',
  channel: 'email',
  to: 'ann@example.test',
  purpose: 'marketing',
  rendered,
  journeyId: 'jrn_1',
  stepId: 'email-1',
  contentId: 'cnt_1',
  attempt,
});

const welcome = { subject: 'Welcome', html: '<html><body class="x"><a href="https://shop.test/a">A</a></body></html>', text: 'Welcome\n\n' };
const unsubscribeToken = signer.unsubscribe('msg_1');
const preferences = `https://t.shop.test/u/${unsubscribeToken}`;

it('builds the message with the channel sender, the headers of bulk mail and a footer for the text part', () => {
  const mail = buildEmail(delivery(welcome), options);
  assert.deepEqual(
    { ...mail, html: undefined },
    {
      from: 'Shop <news@Shop.test>',
      replyTo: 'care@shop.test',
      to: 'ann@example.test',
      subject: 'Welcome',
      text: `Welcome\n\n--\nUnsubscribe or change your email preferences: ${preferences}\n`,
      html: undefined,
      messageId: '<msg_1@shop.test>',
      headers: {
        'X-Touchpoint-Message-Id': 'msg_1',
        'List-Unsubscribe': `<${preferences}>, <mailto:unsubscribe@shop.test?subject=unsubscribe-${unsubscribeToken}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    },
  );
  assert.deepEqual(signer.verify(unsubscribeToken), { kind: 'unsubscribe', messageId: 'msg_1' });
  const html = String(mail.html);
  const [click, open] = [...html.matchAll(/https:\/\/t\.shop\.test\/t\/([\w.-]+)/g)].map((m) => signer.verify(m[1]!));
  assert.deepEqual(click, { kind: 'click', messageId: 'msg_1', url: 'https://shop.test/a' });
  assert.deepEqual(open, { kind: 'open', messageId: 'msg_1' });
  assert.match(html, /style="display:none"><\/body><\/html>$/);
});

it('carries the same Message-ID on every try: it is what lets the receiver drop a duplicate', () => {
  assert.equal(buildEmail(delivery(welcome, 3), options).messageId, buildEmail(delivery(welcome, 1), options).messageId);
});

it("prefers the content's sender and reply address, and honours its tracking switches", () => {
  const mail = buildEmail(delivery({ ...welcome, from: 'Club <club@club.test>', replyTo: 'club@club.test', trackLinks: false, trackOpens: false }), options);
  assert.equal(mail.from, 'Club <club@club.test>');
  assert.equal(mail.replyTo, 'club@club.test');
  assert.equal(mail.html, welcome.html);
  assert.equal(mail.messageId, '<msg_1@shop.test>', "the channel's domain names the id whoever sends");
  const { replyTo: _none, ...noReply } = options;
  assert.equal(buildEmail(delivery(welcome), noReply).replyTo, undefined);
});

it('hides the preheader, escaped, at the start of the body', () => {
  const mail = buildEmail(delivery({ ...welcome, preheader: 'Free <shipping> & more', trackLinks: false, trackOpens: false }), options);
  const hidden = /^<html><body class="x"><div style="display:none;[^"]*" aria-hidden="true">Free &lt;shipping&gt; &amp; more<\/div><a href/;
  assert.match(String(mail.html), hidden);
  const fragment = buildEmail(delivery({ ...welcome, html: '<p>x</p>', preheader: 'Hi', trackOpens: false }), options);
  assert.match(String(fragment.html), /^<div style="display:none;[^"]*" aria-hidden="true">Hi<\/div><p>x<\/p>$/);
});

it('puts the preference page where the content asks, untracked, and then adds no footer', () => {
  const html = `<p><a href="${UNSUBSCRIBE_PLACEHOLDER}">Unsubscribe</a></p>`;
  const text = `Bye: ${UNSUBSCRIBE_PLACEHOLDER}`;
  const mail = buildEmail(delivery({ subject: 's', html, text, trackOpens: false }), options);
  assert.equal(mail.html, `<p><a href="${preferences}">Unsubscribe</a></p>`);
  assert.equal(mail.text, `Bye: ${preferences}`);
});

it('knows a rendered email from anything else', () => {
  assert.ok(asRenderedEmail({ ...welcome, preheader: 'p', from: 'a@b.test', trackLinks: true }));
  for (const bad of [{ text: 'sms' }, { ...welcome, html: 1 }, { ...welcome, trackOpens: 'no' }, { ...welcome, preheader: null }]) {
    assert.equal(asRenderedEmail(bad), undefined, JSON.stringify(bad));
  }
  assert.throws(() => buildEmail(delivery({ text: 'sms' }), options), /does not carry a rendered email/);
});

it('finds the domain of an address with or without a name', () => {
  assert.deepEqual(['a@B.test', 'Shop <x@shop.test>', '"A <b>" <c@d.test>'].map(domainOf), ['b.test', 'shop.test', 'd.test']);
});
