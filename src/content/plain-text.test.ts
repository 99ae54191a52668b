import assert from 'node:assert/strict';
import { it } from 'node:test';
import { decodeEntities, htmlToText } from './plain-text.js';

it('makes plain text from HTML: blocks as lines, lists, links with their address, no head, style or comments', () => {
  const html = `<!doctype html><html><head><title>T</title><style>p { color: red }</style></head>
<body><!-- tracking -->
  <h1>Hello   Ann</h1>
  <p>Your order&nbsp;is <b>on its way</b>.<br>Thanks!</p>
  <ul><li>Shoe</li><li>Sock &amp; more</li></ul>
  <p><a href="https://shop.test/o/1">Track it</a> or <a href="https://shop.test">https://shop.test</a></p>
  <img src="x.png" alt="Logo"><script>alert(1)</script>
  <table><tr><td>Total</td><td>42 &euro;</td></tr></table>
</body></html>`;
  assert.equal(
    htmlToText(html),
    [
      'Hello Ann',
      '',
      'Your order is on its way.',
      'Thanks!',
      '',
      '- Shoe',
      '- Sock & more',
      '',
      'Track it (https://shop.test/o/1) or https://shop.test',
      '',
      'Logo',
      '',
      'Total 42 €',
    ].join('\n'),
  );
});

it('decodes entities once, by name and by number', () => {
  assert.equal(decodeEntities('&lt;b&gt; &amp;lt; &#39;&#x41;&quot; &unknown; &euro;'), `<b> &lt; 'A" &unknown; €`);
});
