/**
 * The console as Touchpoint serves it: the built page at `/`, its hashed
 * assets, the headers that keep other sites out, and nothing loaded from
 * another host (fonts, scripts, styles are all bundled).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CONSOLE_DIR } from '../src/http/console.js';
import { DIALECTS } from './support/dialects.js';
import { startTestServer, type TestServer } from './support/touchpoint.js';

describe('the console is served at /', () => {
  let tp: TestServer;
  before(async () => {
    tp = await startTestServer(DIALECTS[0]!);
  });
  after(() => tp.dispose());

  it('serves the page with a CSP that allows only this origin, and no caching of the page', async () => {
    const response = await tp.app.inject({ method: 'GET', url: '/' });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^text\/html/);
    assert.equal(response.headers['cache-control'], 'no-cache');
    assert.equal(response.headers['x-frame-options'], 'DENY');
    const csp = response.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(response.body, /<div id="app"><\/div>/);
  });

  it('serves every asset the page names, cached for good under its hashed name', async () => {
    const html = (await tp.app.inject({ method: 'GET', url: '/' })).body;
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((a) => !a.startsWith('data:'));
    assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), `page names its script and style: ${assets}`);
    for (const asset of assets) {
      assert.match(asset, /^\.\/assets\/[\w-]+\.(js|css)$/, 'only relative, bundled assets');
      const response = await tp.app.inject({ method: 'GET', url: asset.slice(1) });
      assert.equal(response.statusCode, 200, asset);
      assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
    }
    const missing = await tp.app.inject({ method: 'GET', url: '/assets/missing-0000.js' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'TP_NOT_FOUND');
  });

  it('loads nothing from another host: no external URL in the page or its styles, no web fonts', () => {
    const files = readdirSync(`${CONSOLE_DIR}assets`);
    const html = readFileSync(`${CONSOLE_DIR}index.html`, 'utf8');
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
    for (const css of files.filter((f) => f.endsWith('.css'))) {
      const text = readFileSync(`${CONSOLE_DIR}assets/${css}`, 'utf8');
      assert.doesNotMatch(text, /@import|url\(\s*['"]?(https?:)?\/\//, css);
      assert.doesNotMatch(text, /@font-face/, css);
    }
    assert.ok(
      files.every((f) => /\.(js|css|svg|png)$/.test(f)),
      `only scripts, styles and images: ${files}`,
    );
  });

  it('keeps the API apart: an unknown API route is still a JSON 404, not the page', async () => {
    const response = await tp.app.inject({ method: 'GET', url: '/api/nothing-here', headers: { authorization: 'Bearer x' } });
    assert.notEqual(response.headers['content-type'], 'text/html');
    assert.ok(response.statusCode === 401 || response.statusCode === 404);
  });
});
