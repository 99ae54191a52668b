import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { TouchpointError } from '../errors.js';
import { createEngines } from './liquid.js';
import { renderVariant } from './render.js';
import type { Variants } from './schema.js';
import type { ContentItem, RenderScope } from './types.js';

const engines = createEngines();

const item = (variants: Partial<Variants>): ContentItem => ({ id: 'cnt_1', name: 'Test', description: null, variants, createdAt: 0, updatedAt: 0 });

const scope: RenderScope = {
  profile: {
    id: 'prf_1',
    traits: { firstName: 'Ann <b>&</b>', tier: 'gold', 'favourite colour': 'teal' },
    computedTraits: { lifetimeValue: 420 },
    stage: 'loyalty',
    household: null,
  },
  event: { event: 'Order Completed', properties: { total: 42.5, items: [{ name: 'Shoe' }, { name: 'Sock' }] } },
  journey: { id: 'jrn_1', name: 'Win-back', version: 3, step: 'email-1' },
};

it('escapes output in HTML, not in text, and | raw opts out', async () => {
  const rendered = await renderVariant(
    engines,
    item({
      email: {
        subject: 'For {{ traits.firstName }}',
        html: '<p>Hi {{ traits.firstName }}</p>{{ traits.firstName | raw }}|{{ traits.firstName | escape }}|{{ traits.firstName | upcase }}',
        text: 'Hi {{ profile.traits.firstName }}',
      },
    }),
    'email',
    scope,
  );
  assert.deepEqual(rendered.variant, {
    subject: 'For Ann <b>&</b>',
    html: '<p>Hi Ann &lt;b&gt;&amp;&lt;/b&gt;</p>Ann <b>&</b>|Ann &lt;b&gt;&amp;&lt;/b&gt;|ANN &lt;B&gt;&amp;&lt;/B&gt;',
    text: 'Hi Ann <b>&</b>',
    linkHosts: [],
  });
  const sms = await renderVariant(engines, item({ sms: { text: '{{ traits.firstName }}' } }), 'sms', scope);
  assert.equal(sms.variant.text, 'Ann <b>&</b>');
});

it('makes the plain text from the rendered HTML when the variant has none', async () => {
  const rendered = await renderVariant(
    engines,
    item({
      email: {
        subject: 'x',
        preheader: 'Your {{ journey.name }} offer',
        html: '<h1>Hi {{ traits.firstName }}</h1><p>See <a href="https://x.test/o">your order</a></p>',
      },
    }),
    'email',
    scope,
  );
  assert.equal(rendered.variant.text, 'Hi Ann <b>&</b>\n\nSee your order (https://x.test/o)');
  assert.equal(rendered.variant.preheader, 'Your Win-back offer');
});

it('gives templates the profile, traits, computed traits, stage, event and journey', async () => {
  const text = [
    '{{ profile.id }} {{ traits.tier }} {{ profile.computedTraits.lifetimeValue }} {{ profile.stage }}',
    '{{ event.event }} {{ event.properties.total }} {{ event.properties.items.size }} {{ event.properties.items.first.name }}',
    '{{ journey.name }} v{{ journey.version }} {{ journey.step }} {{ traits["favourite colour"] }}',
  ].join('|');
  const rendered = await renderVariant(engines, item({ sms: { text } }), 'sms', scope);
  assert.equal(rendered.variant.text, 'prf_1 gold 420 loyalty|Order Completed 42.5 2 Shoe|Win-back v3 email-1 teal');
  assert.deepEqual(rendered.missing, []);
});

it('renders a missing variable as empty and reports its path, in branches not taken too', async () => {
  const text = 'Hi {{ profile.traits.lastName }}{% if traits.nickname %} aka {{ traits.nickname }}{% endif %} {{ event.properties.total }}';
  const noEvent = { profile: scope.profile };
  const rendered = await renderVariant(
    engines,
    item({ push: { title: 'x', body: text, deepLink: 'app://o/{{ event.properties.orderId }}' } }),
    'push',
    noEvent,
  );
  assert.equal(rendered.variant.body, 'Hi  ');
  assert.equal(rendered.variant.deepLink, 'app://o/');
  assert.deepEqual(rendered.missing, ['profile.traits.lastName', 'traits.nickname', 'event.properties.total', 'event.properties.orderId']);
});

it('does not report the variables a template makes itself', async () => {
  const text =
    '{% assign n = traits.firstName %}{{ n }}{% for i in event.properties.items %}{{ i.name }}{{ forloop.index }}{% endfor %}{% capture c %}x{% endcapture %}{{ c }}';
  const rendered = await renderVariant(engines, item({ sms: { text } }), 'sms', scope);
  assert.deepEqual(rendered.missing, []);
});

it('renders every string of a webhook payload, however deep, and leaves other values as they are', async () => {
  const payload = {
    to: '{{ profile.id }}',
    n: 1,
    ok: true,
    none: null,
    lines: [{ text: 'Hi {{ traits.firstName }}', tags: ['{{ traits.tier }}', 2] }],
    '{{ key }}': 'k',
  };
  const rendered = await renderVariant(engines, item({ webhook: { payload } }), 'webhook', scope);
  assert.deepEqual(rendered.variant.payload, {
    to: 'prf_1',
    n: 1,
    ok: true,
    none: null,
    lines: [{ text: 'Hi Ann <b>&</b>', tags: ['gold', 2] }],
    '{{ key }}': 'k',
  });
  const text = await renderVariant(engines, item({ webhook: { payload: '{{ traits.nope }}' } }), 'webhook', scope);
  assert.deepEqual([text.variant.payload, text.missing], ['', ['traits.nope']]);
});

it('refuses a channel the item has no variant for', async () => {
  await assert.rejects(renderVariant(engines, item({ sms: { text: 'x' } }), 'email', scope), (error: TouchpointError) => {
    assert.equal(error.code, 'TP_CONTENT_NO_VARIANT');
    assert.equal(error.message, 'Content Test has no email variant; it has sms.');
    return true;
  });
});

it('answers a template that fails while rendering with TP_INVALID_TEMPLATE and where', async () => {
  const text = 'ok\n{% for i in (1..20000000) %}{% endfor %}';
  await assert.rejects(renderVariant(engines, item({ sms: { text } }), 'sms', scope), (error: TouchpointError) => {
    assert.equal(error.code, 'TP_INVALID_TEMPLATE');
    assert.equal(error.message, 'Content Test could not be rendered: /variants/sms/text: line 2, column 1: memory alloc limit exceeded.');
    return true;
  });
});

it("carries an email's sender fields and tracking switches through as written, not as templates", async () => {
  const email = { subject: 'x', html: '<p>x</p>', from: 'Shop {{ x }} <news@shop.test>', replyTo: 'care@shop.test', trackLinks: false, trackOpens: true };
  const rendered = await renderVariant(engines, item({ email }), 'email', scope);
  assert.deepEqual(rendered.variant, {
    subject: 'x',
    html: '<p>x</p>',
    text: 'x',
    from: email.from,
    replyTo: email.replyTo,
    trackLinks: false,
    trackOpens: true,
    linkHosts: [],
  });
  const plain = await renderVariant(engines, item({ email: { subject: 'x', html: 'y' } }), 'email', scope);
  assert.deepEqual(Object.keys(plain.variant), ['subject', 'html', 'text', 'linkHosts'], 'absent switches stay absent (on)');
});

it('names the hosts an email template writes out in its links, and none that Liquid makes', async () => {
  const html =
    '<a href="https://Shop.test/a">a</a> <a href="http://cdn.shop.test:8080/b">b</a> <a href="https://{{ event.properties.host }}/c">c</a> <a href="{{ event.properties.url }}">d</a> <a href="https://bücher.test/">e</a>';
  const rendered = await renderVariant(engines, item({ email: { subject: 'x', html } }), 'email', scope);
  assert.deepEqual(rendered.variant.linkHosts, ['shop.test', 'cdn.shop.test', 'xn--bcher-kva.test']);
});
