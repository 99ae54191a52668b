/**
 * The console's people pages in Chromium: sign in, find a customer by the
 * start of their email, open the 360 and see a store purchase and an email in
 * one timeline; a change without the CSRF token is refused; the overview and
 * the sources page draw their charts; an admin adds a user; a user changes
 * their own password; sign out.
 * Screenshots at 1280 px and at phone size go to test-artifacts/console/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { createUser, launchChromium, PHONE, screenshot, signedIn, skipWithoutChromium } from './support/browser.js';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';
import { basic } from './support/touchpoint.js';

/** The text a locator shows (Playwright's textContent: no layout needed). */
const text = async (locator: Locator) => (await locator.textContent()) ?? '';

const ADMIN = { email: 'ada@example.com', role: 'admin' as const, password: 'correct horse battery' };

describe('console: overview, customers, sources, users', () => {
  let h: Harness;
  let browser: Browser;
  let baseUrl: string;
  let desktop: { context: BrowserContext; page: Page };

  before(async () => {
    if (skipWithoutChromium) return;
    h = await startHarness(DIALECTS[0]!);
    const pos = await h.tp.createSource('Store POS', 'store');
    await h.content('Welcome', { email: { subject: 'Welcome to the club', html: '<p>Hi {{ profile.traits.firstName }}</p>' } });
    await h.journey('Welcome series', { entry: { event: { name: 'Signed Up' } }, steps: [{ id: 'hello', send: { channel: 'email', content: 'Welcome' } }] });
    await h.identify('c-1', { email: 'ann.lee@example.com', firstName: 'Ann', lastName: 'Lee', consent: { email: 'granted' } });
    await h.identify('c-2', { email: 'bob@example.com', firstName: 'Bob' });
    await h.settle();
    await h.track('c-1', 'Signed Up');
    await h.track('c-2', 'Signed Up');
    const order = await h.tp.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: basic(pos.writeKey),
      payload: { userId: 'c-1', event: 'Order Completed', properties: { total: 84.5, currency: 'EUR' } },
    });
    assert.equal(order.statusCode, 200, order.body);
    // A message the tracking API refuses: the Sources page lists it.
    await h.tp.app.inject({ method: 'POST', url: '/v1/track', headers: basic(pos.writeKey), payload: { event: 'Who?' } });
    // An anonymous visitor who signs up later: two profiles merged into one.
    await h.send({ type: 'page', anonymousId: 'anon-9', name: 'Home' });
    await h.settle();
    await h.identify('c-3', { email: 'cy@example.com', firstName: 'Cy' });
    await h.settle();
    await h.send({ type: 'identify', userId: 'c-3', anonymousId: 'anon-9' });
    await h.settle();
    await createUser(h.tp, ADMIN);
    await h.tp.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.tp.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
    desktop = await signedIn(browser, baseUrl, ADMIN.email, ADMIN.password);
  });
  after(async () => {
    await browser?.close();
    await h?.dispose();
  });

  it('finds a customer by the start of their email and shows a store purchase and an email in one timeline', { skip: skipWithoutChromium }, async () => {
    const { page } = desktop;
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    await page.getByRole('searchbox', { name: 'Find a customer' }).fill('ann.l');
    await page.getByText(/starts with “ann\.l”/).waitFor();
    const result = page.getByRole('link', { name: 'Ann Lee' });
    await result.waitFor();
    assert.equal(await page.getByRole('link', { name: 'Bob' }).count(), 0, 'bob does not start with ann.l');
    await screenshot(page, 'people-customers');
    await result.click();
    await page.getByRole('heading', { name: 'Ann Lee' }).waitFor();
    const timeline = page.getByRole('list', { name: 'Touchpoints, newest first' });
    const purchase = timeline.getByRole('listitem').filter({ hasText: 'Order Completed' });
    const email = timeline.getByRole('listitem').filter({ hasText: 'Welcome to the club' });
    await purchase.waitFor();
    await email.waitFor();
    assert.match(await text(purchase), /In · Store/);
    assert.match(await text(purchase), /€84\.50/);
    assert.match(await text(email), /Out · Email/);
    assert.match(await text(email), /sent/);
    await page.getByRole('cell', { name: 'Welcome series' }).waitFor();
    await page.getByText('ann.lee@example.com', { exact: true }).first().waitFor();
    await screenshot(page, 'people-customer-360');
  });

  it('shows why a message was held back', { skip: skipWithoutChromium }, async () => {
    const { page } = desktop;
    await page.goto('/#/customers?q=bob');
    await page.getByRole('link', { name: 'Bob' }).click();
    const held = page.getByRole('list', { name: 'Touchpoints, newest first' }).getByRole('listitem').filter({ hasText: 'suppressed' });
    await held.waitFor();
    assert.match(await text(held), /Held back: no_consent/);
  });

  it("opens the survivor for a merged-away customer's id", { skip: skipWithoutChromium }, async () => {
    const survivor = await h.api('GET', `/api/profiles/${await h.profileOf('c-3')}`);
    const merged = survivor.body.merges[0]?.mergedId;
    assert.ok(merged, JSON.stringify(survivor.body.merges));
    const { page } = desktop;
    await page.goto(`/#/customers/${merged}`);
    await page.getByRole('heading', { name: 'Cy', exact: true }).waitFor();
    assert.match(await text(page.getByRole('status').filter({ hasText: 'merged' })), new RegExp(`${merged} was merged into this customer`));
    // The address is replaced once the survivor is shown (an effect after the render): waited for, not read at once.
    await page.waitForFunction((id) => window.location.hash.endsWith(`/customers/${id}`), survivor.body.id, { timeout: 5000 });
  });

  it('refuses a change sent without the CSRF token', { skip: skipWithoutChromium }, async () => {
    const answer = await desktop.page.evaluate(async () => {
      const response = await fetch('/api/segments', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Sneaky', condition: { trait: 'firstName', op: 'exists' } }),
      });
      return { status: response.status, body: await response.json() };
    });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'TP_CSRF');
  });

  it('draws the overview: stages over time, channel mix, messages sent and held back', { skip: skipWithoutChromium }, async () => {
    const { page } = desktop;
    await page.getByRole('link', { name: 'Overview' }).click();
    for (const name of [
      /lifecycle stage over the period/,
      /customers' events per channel/,
      /Messages per day/,
      /messages sent per channel/,
      /suppressed or deferred, by reason/,
    ]) {
      await page.getByRole('img', { name }).locator('svg').waitFor();
    }
    await page.getByRole('button', { name: 'Last 90 days' }).click();
    await page.getByRole('button', { name: 'Last 90 days', pressed: true }).waitFor();
    await page
      .getByRole('img', { name: /Messages per day/ })
      .locator('svg')
      .waitFor();
    assert.match(await text(page.locator('.stats').first()), /Customers/);
    await screenshot(page, 'people-overview');
  });

  it('lists sources with their volume chart and recent rejections', { skip: skipWithoutChromium }, async () => {
    const { page } = desktop;
    await page.getByRole('link', { name: 'Sources' }).click();
    await page
      .getByRole('img', { name: /Events received per day/ })
      .locator('svg')
      .waitFor();
    await page.getByRole('button', { name: 'Rejections of Store POS' }).click();
    await page.getByRole('cell', { name: 'TP_MISSING_IDENTITY' }).waitFor();
    await page.getByRole('textbox', { name: 'Name' }).fill('Call centre');
    await page.getByRole('combobox', { name: 'Channel' }).selectOption('call_center');
    await page.getByRole('button', { name: 'Create source' }).click();
    const key = await page.getByRole('textbox', { name: 'Write key' }).inputValue();
    assert.ok(key.length >= 20, 'the new key is shown once');
    await page.getByRole('cell', { name: 'Call centre', exact: true }).first().waitFor();
    await screenshot(page, 'people-sources');
  });

  it('lets an admin add a user and change their role', { skip: skipWithoutChromium }, async () => {
    const { page } = desktop;
    await page.getByRole('link', { name: 'Users' }).click();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByRole('textbox', { name: 'Email' }).fill('ana@example.com');
    await form.getByLabel('Password').fill('a long enough password');
    await form.getByRole('button', { name: 'Add user' }).click();
    const role = page.getByRole('combobox', { name: 'Role of ana@example.com' });
    await role.waitFor();
    assert.equal(await role.inputValue(), 'analyst');
    await role.selectOption('marketer');
    await page.waitForFunction(() => (document.querySelector('select[aria-label="Role of ana@example.com"]') as HTMLSelectElement | null)?.disabled === false);
    const listed = await h.api('GET', '/api/users/ana@example.com');
    assert.equal(listed.body.role, 'marketer');
    await screenshot(page, 'people-users');
  });

  it('works at phone size: the overview and the 360', { skip: skipWithoutChromium }, async () => {
    // The same session in a phone-sized window (its menu is folded: signedIn waits for the sidebar).
    const context = await browser.newContext({ viewport: PHONE, baseURL: baseUrl, storageState: await desktop.context.storageState() });
    const phone = { context, page: await context.newPage() };
    try {
      await phone.page.goto('/');
      await phone.page
        .getByRole('img', { name: /Messages per day/ })
        .locator('svg')
        .waitFor();
      await screenshot(phone.page, 'people-overview-phone');
      await phone.page.getByRole('button', { name: 'Menu' }).click();
      await phone.page.getByRole('link', { name: 'Customers' }).click();
      await phone.page.getByRole('searchbox', { name: 'Find a customer' }).fill('ann');
      await phone.page.getByText(/starts with “ann”/).waitFor();
      await phone.page.getByRole('link', { name: 'Ann Lee' }).click();
      await phone.page.getByRole('list', { name: 'Touchpoints, newest first' }).getByRole('listitem').filter({ hasText: 'Order Completed' }).waitFor();
      await screenshot(phone.page, 'people-customer-360-phone');
    } finally {
      await phone.context.close();
    }
  });

  it('lets any user change their own password from Your account, and sign in with it', { skip: skipWithoutChromium }, async () => {
    const pat = { email: 'pat@example.com', role: 'analyst' as const, password: 'pat first password' };
    await createUser(h.tp, pat);
    const other = await signedIn(browser, baseUrl, pat.email, pat.password);
    const { context, page } = await signedIn(browser, baseUrl, pat.email, pat.password);
    try {
      await page.getByRole('link', { name: pat.email }).click();
      await page.getByRole('heading', { name: 'Your account' }).waitFor();
      const form = page.getByRole('form', { name: 'Change your password' });
      const fill = async (current: string, next: string, again: string) => {
        await form.getByLabel('Current password').fill(current);
        await form.getByLabel(/^New password \(/).fill(next);
        await form.getByLabel('New password again').fill(again);
        await form.getByRole('button', { name: 'Change password' }).click();
      };
      await fill(pat.password, 'pat second password', 'pat second passwort');
      await form.getByRole('alert').filter({ hasText: 'NOT_THE_SAME' }).waitFor();
      await fill('not my password', 'pat second password', 'pat second password');
      await form.getByRole('alert').filter({ hasText: 'TP_WRONG_PASSWORD' }).waitFor();
      await fill(pat.password, 'pat second password', 'pat second password');
      await form.getByRole('status').filter({ hasText: 'Your password is changed. Your 1 other session ended' }).waitFor();
      await screenshot(page, 'people-account');
      assert.equal(await page.evaluate(async () => (await fetch('/api/session')).status), 200, 'this session goes on');
      await other.page.reload();
      await other.page.getByRole('button', { name: 'Sign in' }).waitFor();
      const signIn = (password: string) =>
        page.evaluate(
          async ([email, password]) =>
            (await fetch('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) }))
              .status,
          [pat.email, password] as const,
        );
      assert.equal(await signIn(pat.password), 401, 'the old password no longer signs in');
      assert.equal(await signIn('pat second password'), 200);
    } finally {
      await context.close();
      await other.context.close();
    }
  });

  it('signs out', { skip: skipWithoutChromium }, async () => {
    const { page } = desktop;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/session')).status);
    assert.equal(status, 401);
  });
});
