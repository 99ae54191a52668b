/**
 * Debian's Chromium driven by playwright-core, for the browser tests (the
 * official SDKs, the console). Without Chromium each test is skipped on its
 * own, so that the runner counts and names them (test/test-runner.test.ts).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ADMIN_TOKEN, type TestServer } from './touchpoint.js';

/** TOUCHPOINT_TEST_CHROMIUM: another Chromium, or a missing one to see the suite skipped. */
export const CHROMIUM = process.env.TOUCHPOINT_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const skipWithoutChromium: string | false = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install chromium)`;
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/** Where screenshots go: test artefacts, kept out of git. */
export const ARTEFACTS = new URL('../../../test-artifacts/console/', import.meta.url).pathname;

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTEFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTEFACTS}${name}.png`, fullPage: true });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A console user made through the users API with the admin token. */
export async function createUser(tp: TestServer, user: { email: string; role: 'admin' | 'marketer' | 'analyst'; password: string; name?: string }) {
  const response = await tp.app.inject({ method: 'POST', url: '/api/users', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: user });
  if (response.statusCode !== 201) throw new Error(`create user failed: ${response.statusCode} ${response.body}`);
  return response.json() as { id: string; email: string; role: string };
}

/** A fresh browser context (its own cookies) on the console, signed in through the sign-in page. */
export async function signedIn(
  browser: Browser,
  baseUrl: string,
  email: string,
  password: string,
  viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { context, page };
}
