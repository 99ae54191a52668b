/**
 * The console's "act" pages in Chromium: a marketer builds a segment in the
 * builder and sees the API's own count live, saves it; pauses and resumes a
 * journey from its flow diagram; runs the policy simulator and sees the
 * decision rule by rule; is shown the policy's problems by field; previews a
 * content item on each channel. An analyst finds every edit control absent or
 * disabled, and the server refuses the analyst's PUT /api/policy even with
 * the session's CSRF token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUser, launchChromium, PHONE, screenshot, signedIn, skipWithoutChromium } from './support/browser.js';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';

const MARKETER = { email: 'mia@example.com', role: 'marketer' as const, password: 'correct horse battery', name: 'Mia' };
const ANALYST = { email: 'ali@example.com', role: 'analyst' as const, password: 'another long passphrase', name: 'Ali' };
const skip = { skip: skipWithoutChromium };

/** A count as the console shows it. */
const formatted = (n: number) => new Intl.NumberFormat('en').format(n);

describe('console: segments, journeys, policy, content', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let journeyId: string;
  let page: Page;

  before(async () => {
    if (skipWithoutChromium) return;
    h = await startHarness(DIALECTS[0]!);
    await seed(h);
    journeyId = (await h.api('GET', '/api/journeys/Cart%20reminder')).body.id;
    await createUser(h.tp, MARKETER);
    await createUser(h.tp, ANALYST);
    await h.tp.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.tp.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
    page = (await signedIn(browser, base, MARKETER.email, MARKETER.password)).page;
  });
  after(async () => {
    await browser?.close();
    await h?.dispose();
  });

  it('builds a segment row by row, shows the API count live, and saves it', skip, async () => {
    await page.goto(`${base}/#/segments/new`);
    await page.getByLabel('Name', { exact: true }).fill('Gold buyers');
    const first = page.getByRole('group', { name: 'Condition 1' });
    await first.getByLabel('Trait name').fill('tier');
    await first.getByLabel('Operator').selectOption('eq');
    await first.getByLabel('Value').fill('gold');
    await expectCount(page, h, { all: [{ trait: 'tier', op: 'eq', value: 'gold' }] }, 3);

    await page.getByRole('button', { name: 'Add condition' }).click();
    const second = page.getByRole('group', { name: 'Condition 2' });
    await second.getByLabel('Field').selectOption('event');
    await second.getByLabel('Event name').fill('Order Completed');
    await second.getByLabel('Within days').fill('');
    const both = {
      all: [
        { trait: 'tier', op: 'eq', value: 'gold' },
        { event: 'Order Completed', atLeast: 1 },
      ],
    };
    await expectCount(page, h, both, 2);
    await page.getByRole('link', { name: /Gold Ann|ann@example.com/ }).waitFor();

    await page.getByRole('tab', { name: 'JSON' }).click();
    assert.deepEqual(JSON.parse(await page.getByLabel('Condition (JSON)').inputValue()), both);
    await page.getByRole('tab', { name: 'Builder' }).click();
    await screenshot(page, 'segment-builder');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByRole('heading', { name: 'Gold buyers' }).waitFor();
    const saved = await h.api('GET', '/api/segments/Gold%20buyers');
    assert.equal(saved.status, 200);
    assert.deepEqual(saved.body.condition, both);
    await page.getByRole('button', { name: 'Save changes' }).waitFor();
    await page.goto(`${base}/#/segments`);
    await page.getByRole('link', { name: 'Gold buyers' }).waitFor();
    await screenshot(page, 'segments');
  });

  it('draws the journey with per-step counts, pauses it and resumes it', skip, async () => {
    await page.goto(`${base}/#/journeys`);
    await page.getByRole('link', { name: 'Cart reminder' }).click();
    await page.getByRole('img', { name: /Flow of 4 steps/ }).waitFor();
    const stats = (await h.api('GET', `/api/journeys/${journeyId}/stats`)).body.stats;
    const wait = stats.steps.find((s: { id: string }) => s.id === 'wait');
    await page.locator('svg.flow').getByText(`reached ${wait.reached} · here ${wait.now}`, { exact: true }).waitFor();
    // A branch's condition reads in words, in the diagram and in the steps table.
    await page.locator('svg.flow').getByText('Order Completed in last 1 d', { exact: true }).waitFor();
    await page.getByRole('cell', { name: 'Order Completed in last 1 d', exact: true }).waitFor();
    await screenshot(page, 'journey');

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('status').filter({ hasText: 'Cart reminder is now paused.' }).waitFor();
    assert.equal((await h.api('GET', `/api/journeys/${journeyId}`)).body.status, 'paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('status').filter({ hasText: 'Cart reminder is now live.' }).waitFor();
    assert.equal((await h.api('GET', `/api/journeys/${journeyId}`)).body.status, 'live');
    await page.goto(`${base}/#/journeys`);
    await page.getByRole('cell', { name: 'Cart reminder' }).waitFor();
    await screenshot(page, 'journeys');
  });

  it('shows a journey\u2019s own figures only, even right after another journey\u2019s', skip, async () => {
    const draft = { entry: { event: { name: 'Never Sent' } }, steps: [{ id: 'end', exit: {} }] };
    const other = (await h.api('POST', '/api/journeys', { name: 'Quiet draft', definition: draft })).body;
    try {
      await page.goto(`${base}/#/journeys/${journeyId}`);
      const entered = (await h.api('GET', `/api/journeys/${journeyId}/stats`)).body.stats.entered;
      assert.ok(entered > 0, 'the first journey has figures');
      const figure = page.locator('.stat').filter({ hasText: 'Entered' });
      await figure.getByText(formatted(entered), { exact: true }).waitFor();
      // The other journey's figures are held back: until they come, the page must not show the first one's.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route(`**/api/journeys/${other.id}/stats`, async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`${base}/#/journeys/${other.id}`);
      await page.getByRole('heading', { name: 'Quiet draft' }).waitFor();
      assert.equal(await figure.getByText(formatted(entered), { exact: true }).count(), 0, 'no figure of the other journey');
      release();
      await figure.getByText('0', { exact: true }).waitFor();
      await page.unroute(`**/api/journeys/${other.id}/stats`);
    } finally {
      await h.api('POST', `/api/journeys/${other.id}/status`, { status: 'archived' });
    }
  });

  it('simulates a request for a customer and shows the decision with its reasons', skip, async () => {
    await page.goto(`${base}/#/policy`);
    await page.getByRole('heading', { name: 'Frequency caps' }).waitFor();
    await page.getByLabel('Customer').fill('bob@');
    await page.getByRole('button', { name: /bob@example\.com/ }).click();
    await page.getByRole('combobox', { name: /^Channel/ }).selectOption('sms');
    await page.getByRole('checkbox', { name: 'email' }).check();
    await page.getByRole('button', { name: 'Simulate' }).click();
    const decision = page.getByRole('region', { name: 'Decision' });
    await decision.waitFor();
    const bob = await h.profileOf('bob');
    const api = (await h.api('POST', '/api/policy/simulate', { profileId: bob, channel: 'sms', fallback: ['email'], purpose: 'marketing' })).body;
    assert.equal(api.decision.kind, 'reroute', JSON.stringify(api));
    await decision.getByText(api.decision.kind, { exact: true }).waitFor();
    await decision.getByText(api.decision.reason, { exact: true }).first().waitFor();
    assert.equal(await decision.getByRole('row').count(), api.trace.length + 1);
    await screenshot(page, 'policy');
  });

  it('edits the policy: problems are shown by field, a valid document becomes a new version', skip, async () => {
    await page.goto(`${base}/#/policy`);
    await page.getByRole('button', { name: 'Edit policy' }).click();
    const editor = page.getByLabel('Policy (JSON)');
    await editor.fill(JSON.stringify({ caps: [{ max: 1, withinHours: 0 }], colour: 'red' }));
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    const problems = page.getByRole('alert').filter({ hasText: 'TP_INVALID_POLICY' });
    await problems.getByRole('listitem').filter({ hasText: '/caps/0/withinHours' }).waitFor();
    await problems.getByRole('listitem').filter({ hasText: '/colour' }).waitFor();
    await editor.fill(JSON.stringify({ caps: [{ max: 2, withinHours: 24 }], quietHours: { start: '21:00', end: '08:00' } }));
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as version 2.' }).waitFor();
    await page.getByText('At most 2 marketing messages across all channels in any 1 day.').waitFor();
    assert.equal((await h.api('GET', '/api/policy')).body.version, 2);
  });

  it('previews a content item on each of its channels', skip, async () => {
    await page.goto(`${base}/#/content`);
    await page.getByRole('link', { name: 'Welcome' }).click();
    await page.getByRole('tab', { name: 'email' }).waitFor();
    await page.getByLabel('Preview for customer').fill('ann@');
    await page.getByRole('button', { name: /ann@example\.com/ }).click();
    await page.getByText('Welcome, Ann').waitFor();
    const frame = page.frameLocator('iframe[title="Email body"]');
    await frame.getByRole('heading', { name: 'Hi Ann' }).waitFor();
    assert.equal(await page.locator('iframe[title="Email body"]').getAttribute('sandbox'), '');
    await screenshot(page, 'content-email');
    await page.getByRole('tab', { name: 'sms' }).click();
    await page.getByText('Hi Ann, your cart misses you').waitFor();
    await page.getByText(/\d+ characters \(GSM-7\), 1 SMS part$/).waitFor();
    await screenshot(page, 'content-sms');
    await page.getByRole('tab', { name: 'push' }).click();
    await page.getByRole('note', { name: 'Push notification' }).getByText('Ann, still thinking?').waitFor();
    await page.getByText('Missing (rendered empty)').getByText('event.properties.sku').waitFor();
    await page.goto(`${base}/#/content`);
    await page.getByRole('link', { name: 'Welcome' }).waitFor();
    await screenshot(page, 'content');
  });

  it('fits a phone: the journey diagram scrolls, the builder stacks', skip, async () => {
    // Signed in at the desktop size (the helper waits for the sidebar, folded away on a phone), then turned into a phone.
    const phone = (await signedIn(browser, base, MARKETER.email, MARKETER.password)).page;
    await phone.setViewportSize(PHONE);
    await phone.goto(`${base}/#/journeys/${journeyId}`);
    await phone.getByRole('img', { name: /Flow of 4 steps/ }).waitFor();
    const scroll = await phone.locator('.flow-scroll').evaluate((el) => ({ client: el.clientWidth, scroll: el.scrollWidth }));
    assert.ok(scroll.client <= PHONE.width, `the diagram's box fits the screen: ${JSON.stringify(scroll)}`);
    assert.ok(scroll.scroll > scroll.client, `the diagram scrolls inside it: ${JSON.stringify(scroll)}`);
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page itself does not scroll sideways');
    await screenshot(phone, 'journey-phone');
    await phone.goto(`${base}/#/segments/new`);
    await phone.getByRole('group', { name: 'Condition 1' }).waitFor();
    await phone.getByText(/customers match now/).waitFor();
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the builder fits the screen');
    await screenshot(phone, 'segment-builder-phone');
    await phone.context().close();
  });

  it('gives an analyst no edit control, and the server refuses an analyst’s PUT with the CSRF token', skip, async () => {
    const analyst = (await signedIn(browser, base, ANALYST.email, ANALYST.password)).page;
    await analyst.goto(`${base}/#/segments`);
    await analyst.getByRole('link', { name: 'Gold buyers' }).click();
    await analyst.getByText(/customers match now/).waitFor();
    assert.equal(await analyst.getByRole('button', { name: 'Save changes' }).count(), 0);
    assert.equal(await analyst.getByRole('button', { name: 'Delete' }).count(), 0);
    assert.equal(await analyst.getByRole('button', { name: 'Add condition' }).count(), 0);
    assert.ok(await analyst.getByRole('group', { name: 'Condition 1' }).getByLabel('Trait name').isDisabled());
    await analyst.goto(`${base}/#/segments`);
    assert.equal(await analyst.getByRole('link', { name: 'New segment' }).count(), 0);

    await analyst.goto(`${base}/#/journeys/${journeyId}`);
    await analyst.getByRole('img', { name: /Flow of 4 steps/ }).waitFor();
    assert.ok(await analyst.getByRole('button', { name: 'Pause' }).isDisabled());

    await analyst.goto(`${base}/#/policy`);
    await analyst.getByRole('heading', { name: 'Frequency caps' }).waitFor();
    assert.equal(await analyst.getByRole('button', { name: 'Edit policy' }).count(), 0);
    // The analyst may still ask the simulator: it writes nothing.
    await analyst.getByLabel('Customer').fill('ann@');
    await analyst.getByRole('button', { name: /ann@example\.com/ }).click();
    await analyst.getByRole('button', { name: 'Simulate' }).click();
    await analyst.getByRole('region', { name: 'Decision' }).waitFor();

    await analyst.goto(`${base}/#/content`);
    await analyst.getByRole('link', { name: 'Welcome' }).click();
    await analyst.getByRole('tab', { name: 'email' }).waitFor();
    assert.equal(await analyst.getByRole('button', { name: 'Edit variants' }).count(), 0);

    const refused = await analyst.evaluate(async () => {
      const session = await (await fetch('/api/session')).json();
      const response = await fetch('/api/policy', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ caps: [] }),
      });
      return { status: response.status, body: await response.json() };
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'TP_FORBIDDEN');
    assert.equal((await h.api('GET', '/api/policy')).body.version, 2, 'the policy in force stays as it was');
    await analyst.context().close();
  });
});

/** The live count settles on the API's own count for the same condition (and that count is the one expected). */
async function expectCount(page: Page, h: Harness, condition: unknown, expected: number) {
  const api = await h.api('POST', '/api/segments/preview', { condition });
  assert.equal(api.status, 200, JSON.stringify(api.body));
  assert.equal(api.body.count, expected);
  await page.locator(`output[data-count="${api.body.count}"][aria-busy="false"]`).waitFor();
}

/** Customers, a journey they entered, content with three channels and a policy, all through the APIs. */
async function seed(h: Harness) {
  const people = [
    { id: 'ann', traits: { email: 'ann@example.com', firstName: 'Ann', name: 'Gold Ann', tier: 'gold', phone: '+33612345678' }, orders: 2 },
    { id: 'bob', traits: { email: 'bob@example.com', firstName: 'Bob', tier: 'gold', consent: { email: { marketing: 'granted' } } }, orders: 1 },
    { id: 'cat', traits: { email: 'cat@example.com', firstName: 'Cat', tier: 'gold' }, orders: 0 },
    { id: 'dan', traits: { email: 'dan@example.com', firstName: 'Dan', tier: 'silver' }, orders: 3 },
    { id: 'eve', traits: { email: 'eve@example.com', firstName: 'Eve' }, orders: 0 },
  ];
  for (const p of people) {
    await h.identify(p.id, p.traits);
    for (let i = 0; i < p.orders; i++) await h.track(p.id, 'Order Completed', { total: 30 + i });
  }
  await h.content('Welcome', {
    email: { subject: 'Welcome, {{ traits.firstName }}', html: '<h1>Hi {{ traits.firstName }}</h1><p>Your first order ships free.</p>' },
    sms: { text: 'Hi {{ traits.firstName }}, your cart misses you' },
    push: { title: '{{ traits.firstName }}, still thinking?', body: 'Your {{ event.properties.sku }} is waiting.' },
  });
  await h.journey('Cart reminder', {
    entry: { event: { name: 'Product Added' } },
    goal: { event: 'Order Completed', within: { days: 3 } },
    steps: [
      { id: 'wait', wait: { hours: 1 }, next: 'bought' },
      // biome-ignore lint/suspicious/noThenProperty: a journey branch names its next steps then and else
      { id: 'bought', branch: { event: 'Order Completed', withinDays: 1 }, then: 'done', else: 'mail' },
      { id: 'mail', send: { channel: 'email', content: 'Welcome' } },
      { id: 'done', exit: {} },
    ],
  });
  for (const id of ['ann', 'bob', 'cat', 'eve']) await h.track(id, 'Product Added', { sku: 'shoe-1' });
  await h.settle();
  const policy = await h.api('PUT', '/api/policy', {
    caps: [
      { max: 1, withinHours: 24 },
      { channel: 'sms', max: 1, withinHours: 168 },
    ],
  });
  assert.equal(policy.status, 200, JSON.stringify(policy.body));
}
