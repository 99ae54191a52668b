/**
 * The official browser SDKs, unmodified, in headless Chromium, on a page of
 * another origin than Touchpoint (so CORS is exercised): Segment's
 * analytics-next (settings from cdnURL, text/plain bodies, one-letter paths)
 * and RudderStack's analytics-js (source config, Basic auth, XHR queue).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import type { LoggedEvent } from '../src/log/index.js';
import { launchChromium, skipWithoutChromium } from './support/browser.js';
import { DIALECTS } from './support/dialects.js';
import { startTestServer, type TestServer } from './support/touchpoint.js';

const skip = skipWithoutChromium;
const source = (name: string) => new URL(`../../test/browser/${name}`, import.meta.url).pathname;

async function bundle(entry: string): Promise<string> {
  const result = await build({ entryPoints: [source(entry)], bundle: true, format: 'iife', write: false, platform: 'browser', logLevel: 'silent' });
  return result.outputFiles[0]!.text;
}

/** A page server on its own origin: index.html and the bundled SDK scripts. */
async function servePage(): Promise<{ server: Server; url: string }> {
  const files: Record<string, string> = {
    '/segment.js': await bundle('segment-page.js'),
    '/rudder.js': await bundle('rudder-page.js'),
    '/': '<!doctype html><html><head><script src="/segment.js"></script><script src="/rudder.js"></script></head><body>shop</body></html>',
  };
  const server = createServer((req, res) => {
    const body = files[req.url ?? '/'];
    res.writeHead(body ? 200 : 404, { 'content-type': req.url?.endsWith('.js') ? 'text/javascript' : 'text/html' });
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

async function waitForEvents(tp: TestServer, sourceId: string, count: number): Promise<LoggedEvent[]> {
  for (let i = 0; i < 100; i++) {
    const events = await tp.touchpoint.log.query({ sourceId, limit: 100 });
    if (events.length >= count) return events;
    await sleep(100);
  }
  return tp.touchpoint.log.query({ sourceId, limit: 100 });
}

describe('official browser SDKs in Chromium', () => {
  let tp: TestServer;
  let touchpointUrl: string;
  let page: { server: Server; url: string };
  let browser: Browser;
  before(async () => {
    if (skip) return; // hooks run even when every test is skipped
    tp = await startTestServer(DIALECTS[0]!);
    touchpointUrl = (await tp.app.listen({ port: 0, host: '127.0.0.1' })).replace(/\/$/, '');
    page = await servePage();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    page?.server.close();
    await tp?.dispose();
  });

  it('@segment/analytics-next sends identify, track and page', { skip }, async () => {
    const { id, writeKey } = await tp.createSource('Web (analytics.js)', 'web');
    const tab = await (await browser.newContext()).newPage();
    await tab.goto(page.url);
    const anonymousId = await tab.evaluate(
      ([key, cdn]) => (window as unknown as { runSegment(key?: string, cdn?: string): Promise<string> }).runSegment(key, cdn),
      [writeKey, touchpointUrl],
    );
    const events = await waitForEvents(tp, id, 3);
    assert.deepEqual(events.map((e) => e.type).sort(), ['identify', 'page', 'track']);
    assert.ok(events.every((e) => e.anonymousId === anonymousId && e.userId === 'web-seg-1'));
    const track = JSON.parse(events.find((e) => e.type === 'track')!.payload);
    assert.equal(track.properties.sku, 'SKU-1');
    assert.equal(track.context.library.name, 'analytics.js');
    assert.equal(track.context.page.url, page.url);
  });

  it('@rudderstack/analytics-js sends identify, track and page', { skip }, async () => {
    const { id, writeKey } = await tp.createSource('Web (RudderStack)', 'web');
    const tab = await (await browser.newContext()).newPage();
    await tab.goto(page.url);
    const anonymousId = await tab.evaluate(
      ([key, url]) => (window as unknown as { runRudder(key?: string, url?: string): Promise<string> }).runRudder(key, url),
      [writeKey, touchpointUrl],
    );
    const events = await waitForEvents(tp, id, 3);
    assert.deepEqual(events.map((e) => e.type).sort(), ['identify', 'page', 'track']);
    assert.ok(events.every((e) => e.anonymousId === anonymousId));
    const track = JSON.parse(events.find((e) => e.type === 'track')!.payload);
    assert.equal(track.properties.sku, 'SKU-2');
    assert.ok(track.originalTimestamp && track.sentAt, 'RudderStack times are kept');
  });
});
