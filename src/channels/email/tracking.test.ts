import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLinkSigner, rewriteHtml, type LinkToken } from './tracking.js';

const signer = createLinkSigner('a-secret-of-at-least-16-chars');
const publicUrl = 'https://t.shop.test';
const options = { messageId: 'msg_1', publicUrl, signer, trackLinks: true, trackOpens: false };

/** The output with every tracking URL replaced by what its token says, so that cases read as HTML. */
function reveal(html: string): string {
  return html.replace(/https:\/\/t\.shop\.test\/t\/([A-Za-z0-9_.-]+)/g, (_all, token: string) => {
    const said = signer.verify(token);
    if (!said) return '[BAD TOKEN]';
    return said.kind === 'click' ? `[click ${said.messageId} ${said.url}]` : `[${said.kind} ${said.messageId}]`;
  });
}

describe('signed tokens', () => {
  const cases: { token: string; says: LinkToken }[] = [
    { token: signer.click('msg_1', 'https://shop.test/p?a=1&b=2#x'), says: { kind: 'click', messageId: 'msg_1', url: 'https://shop.test/p?a=1&b=2#x' } },
    { token: signer.open('msg_2'), says: { kind: 'open', messageId: 'msg_2' } },
    { token: signer.unsubscribe('msg_3'), says: { kind: 'unsubscribe', messageId: 'msg_3' } },
    { token: signer.click('msg_é', 'http://shop.test/é'), says: { kind: 'click', messageId: 'msg_é', url: 'http://shop.test/é' } },
  ];
  for (const { token, says } of cases) {
    it(`says what it was signed with: ${says.kind} ${says.messageId}`, () => {
      assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/, 'URL-safe');
      assert.deepEqual(signer.verify(token), says);
    });
  }

  const click = signer.click('msg_1', 'https://shop.test/');
  const [payload, mac] = click.split('.') as [string, string];
  const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // The last character of 16 bytes in base64 carries 4 unused bits: flipping one decodes to the same bytes.
  const paddingFlipped = (char: string) => alphabet[alphabet.indexOf(char) ^ 1]!;
  const reworded = (text: string) => Buffer.from(text).toString('base64url');
  const refused: [string, string][] = [
    ['signed with another secret', createLinkSigner('another-secret-of-16-chars').click('msg_1', 'https://shop.test/')],
    ['its URL changed, the MAC kept', `${reworded('c\nmsg_1\nhttps://evil.test/')}.${mac}`],
    ['its message changed, the MAC kept', `${reworded('c\nmsg_2\nhttps://shop.test/')}.${mac}`],
    ['a click made an open', `${reworded('o\nmsg_1')}.${mac}`],
    ['a payload character altered', `${flip(payload, 3)}.${mac}`],
    ['a MAC character altered', `${payload}.${flip(mac, 5)}`],
    ['the MAC truncated', click.slice(0, -1)],
    ['the MAC cut to a few bytes', `${payload}.${mac.slice(0, 8)}`],
    ['no MAC', payload],
    ['a MAC spelt another way that decodes alike', `${payload}.${mac.slice(0, -1)}${paddingFlipped(mac.at(-1)!)}`],
    ['padding added', `${payload}.${mac}==`],
    ['a third part', `${click}.x`],
    ['not base64url', `${payload}+.${mac}`],
    ['empty', ''],
    ['a dot', '.'],
    ['very long', `${'A'.repeat(9000)}.${mac}`],
  ];
  for (const [what, token] of refused) {
    it(`refuses a token ${what}`, () => assert.equal(signer.verify(token), undefined));
  }

  it('signs only web links and plain message ids, and asks for a real secret', () => {
    assert.throws(() => signer.click('msg_1', 'javascript:alert(1)'), /Only http\(s\) links/);
    assert.throws(() => signer.click('msg_1', '/relative'), /Only http\(s\) links/);
    assert.throws(() => signer.open('msg\n1'), /Not a message id/);
    assert.throws(() => signer.open(''), /Not a message id/);
    assert.throws(() => createLinkSigner('short'), /at least 16/);
  });
});

describe('rewriteHtml', () => {
  const cases: { description: string; html: string; expected: string; options?: Partial<typeof options> }[] = [
    {
      description: 'double, single and no quotes',
      html: `<a href="https://shop.test/a">A</a><a class='b' href='http://shop.test/b'>B</a><a href=https://shop.test/c>C</a>`,
      expected: `<a href="[click msg_1 https://shop.test/a]">A</a><a class='b' href='[click msg_1 http://shop.test/b]'>B</a><a href="[click msg_1 https://shop.test/c]">C</a>`,
    },
    {
      description: 'entities decoded before signing',
      html: '<a href="https://shop.test/?a=1&amp;b=2&#38;c=3">x</a>',
      expected: '<a href="[click msg_1 https://shop.test/?a=1&b=2&c=3]">x</a>',
    },
    {
      description: 'area tags, upper case, spaces round "=" and other attributes kept',
      html: '<map><AREA shape="rect" HREF = "https://shop.test/m" alt="m"></map><A target="_blank" href="https://shop.test/u" style="color:red">U</A>',
      expected:
        '<map><AREA shape="rect" href="[click msg_1 https://shop.test/m]" alt="m"></map><A target="_blank" href="[click msg_1 https://shop.test/u]" style="color:red">U</A>',
    },
    {
      description: '">" and "href=" inside other attribute values',
      html: `<a title="a > b href=https://evil.test" data-x='href="x"' href="https://shop.test/ok">x</a>`,
      expected: `<a title="a > b href=https://evil.test" data-x='href="x"' href="[click msg_1 https://shop.test/ok]">x</a>`,
    },
    {
      description: 'mailto, tel, anchors, relative links, Liquid leftovers and empty hrefs stay',
      html: '<a href="mailto:care@shop.test">m</a><a href="tel:+33123">t</a><a href="#top">#</a><a href="/p">p</a><a href="https://shop.test/{{ id }}">l</a><a href="">e</a><a name="x">n</a>',
      expected:
        '<a href="mailto:care@shop.test">m</a><a href="tel:+33123">t</a><a href="#top">#</a><a href="/p">p</a><a href="https://shop.test/{{ id }}">l</a><a href="">e</a><a name="x">n</a>',
    },
    {
      description: 'opted out, and Touchpoint’s own unsubscribe link',
      html: '<a data-touchpoint-notrack href="https://shop.test/x">x</a><a href="https://t.shop.test/u/abc.def">unsubscribe</a>',
      expected: '<a data-touchpoint-notrack href="https://shop.test/x">x</a><a href="https://t.shop.test/u/abc.def">unsubscribe</a>',
    },
    {
      description: 'tags that only look like links',
      html: '<abbr href="https://shop.test/x">x</abbr><article href="https://shop.test/y"></article><link href="https://shop.test/s.css">',
      expected: '<abbr href="https://shop.test/x">x</abbr><article href="https://shop.test/y"></article><link href="https://shop.test/s.css">',
    },
    {
      description: 'links off',
      html: '<body><a href="https://shop.test/a">A</a></body>',
      expected: '<body><a href="https://shop.test/a">A</a></body>',
      options: { trackLinks: false },
    },
    {
      description: 'the pixel before the last </body>',
      html: '<html><body><p>x</p></BODY ></html>',
      expected: '<html><body><p>x</p><img src="[open msg_1]" width="1" height="1" alt="" style="display:none"></BODY ></html>',
      options: { trackOpens: true, trackLinks: false },
    },
    {
      description: 'the pixel at the end of a fragment, the links tracked as well, a trailing slash of the public URL ignored',
      html: '<p><a href="https://shop.test/a">A</a></p>',
      expected: '<p><a href="[click msg_1 https://shop.test/a]">A</a></p><img src="[open msg_1]" width="1" height="1" alt="" style="display:none">',
      options: { trackOpens: true, publicUrl: 'https://t.shop.test/' },
    },
  ];
  for (const { description, html, expected, options: over } of cases) {
    it(description, () => assert.equal(reveal(rewriteHtml(html, { ...options, ...over })), expected));
  }
});
