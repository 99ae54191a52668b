import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { TouchpointError } from '../errors.js';
import { checkContent, contentProblems, templateProblems } from './check.js';
import { createEngines } from './liquid.js';

const engines = createEngines();

it('points at each part of an item that does not have the form the schema asks', () => {
  assert.deepEqual(contentProblems({ name: 'Welcome', variants: { email: { html: '<p>Hi</p>', txt: 'Hi' } } }), [
    '/variants/email/subject: is required',
    '/variants/email/txt: is not a field here; allowed: subject, preheader, html, text, from, replyTo, trackLinks, trackOpens',
  ]);
  assert.deepEqual(contentProblems({ name: ' ', variants: {} }), [
    '/name: must not be blank',
    '/variants: needs at least one variant: email, sms, push, webhook',
  ]);
  assert.deepEqual(contentProblems({ name: 'x', variants: { emial: {} }, colour: 'red' }), [
    '/colour: is not a field here; allowed: name, description, variants',
    '/variants/emial: is not a field here; allowed: email, sms, push, webhook',
  ]);
  assert.deepEqual(contentProblems({ name: 'x', description: 1, variants: { sms: { text: 5 }, webhook: {} } }), [
    '/description: must be a string or null',
    '/variants/sms/text: expected string',
    '/variants/webhook/payload: is required',
  ]);
  assert.deepEqual(
    contentProblems({ name: 'x', variants: { email: { subject: 's', html: 'h', from: 'Shop', replyTo: 'a@b.test\nBcc: c@d.test', trackOpens: 'no' } } }),
    [
      '/variants/email/from: must be an address or "Name <address>" on one line',
      '/variants/email/replyTo: must be an address or "Name <address>" on one line',
      '/variants/email/trackOpens: expected boolean',
    ],
  );
  const senders = { subject: 's', html: 'h', from: '"Shop, Inc." <news@shop.test>', replyTo: 'care@shop.test', trackLinks: false };
  assert.deepEqual(contentProblems({ name: 'x', variants: { email: senders } }), []);
  assert.deepEqual(contentProblems('x'), ['/: expected object']);
  assert.deepEqual(contentProblems({ name: 'ok', description: null, variants: { webhook: { payload: null } } }), []);
});

it('finds every template that does not parse, with its pointer, line and column', async () => {
  const problems = await templateProblems(engines, {
    email: { subject: 'Hi {{ traits.firstName }', html: '<p>\n  Hello\n    {% iff traits.vip %}VIP{% endif %}\n</p>' },
    push: { title: 'ok', body: '{{ traits.name | shout }}' },
    webhook: { payload: { ok: '{{ profile.id }}', nested: [{ 'a/b': '{% for x in y %}' }] } },
  });
  assert.deepEqual(problems, [
    { pointer: '/variants/email/subject', line: 1, column: 4, message: 'output "{{ traits.firstName }" not closed' },
    { pointer: '/variants/email/html', line: 3, column: 5, message: 'tag "iff" not found' },
    { pointer: '/variants/push/body', line: 1, column: 1, message: 'undefined filter: shout' },
    { pointer: '/variants/webhook/payload/nested/0/a~1b', line: 1, column: 1, message: 'tag {% for x in y %} not closed' },
  ]);
});

it('refuses the tags that would read files', async () => {
  const problems = await templateProblems(engines, { sms: { text: '{% include "secrets.txt" %}' } });
  assert.deepEqual(problems, [{ pointer: '/variants/sms/text', line: 1, column: 1, message: 'tag "include" not found' }]);
});

it('throws TP_INVALID_CONTENT before TP_INVALID_TEMPLATE, each with the problems as details', async () => {
  await assert.rejects(checkContent(engines, { name: 'x', variants: { sms: {} } }), (error: TouchpointError) => {
    assert.equal(error.code, 'TP_INVALID_CONTENT');
    assert.equal(error.message, 'The content is not valid: /variants/sms/text: is required.');
    return true;
  });
  await assert.rejects(checkContent(engines, { name: 'x', variants: { sms: { text: 'a\n{% iff %}' } } }), (error: TouchpointError) => {
    assert.equal(error.code, 'TP_INVALID_TEMPLATE');
    assert.equal(error.message, 'A template does not parse: /variants/sms/text: line 2, column 1: tag "iff" not found.');
    assert.deepEqual(error.details, { problems: [{ pointer: '/variants/sms/text', line: 2, column: 1, message: 'tag "iff" not found' }] });
    return true;
  });
  const ok = { name: 'x', variants: { sms: { text: 'Hi {{ traits.firstName | default: "there" }}' } } };
  assert.deepEqual(await checkContent(engines, ok), ok);
});
