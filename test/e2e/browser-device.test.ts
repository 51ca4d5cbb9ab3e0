// A real browser (Debian's chromium, driven by playwright-core) goes through Mock Google's /device
// pages (RFC 8628): the code typed by hand, sign-in, the consent with its §5.4 warning; the device's poll sees the answer.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startProvider, type RunningProvider } from '../../src/provider/server.js';
import { postForm } from '../helpers/provider.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Skipping the device browser tests: no chromium at ${CHROMIUM} (.ci/run installs Debian's chromium).`);

// As in browser.test.ts: test-results/ on every run; UPDATE_SCREENSHOTS=1 refreshes the README's.
const screenshots = process.env.UPDATE_SCREENSHOTS ? 'docs' : join('test-results', 'screenshots');
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const CLIENT_NAME = 'Swaad single-page app (demo-spa, public)';

describe.skipIf(!hasChromium)('the /device pages in a real browser', () => {
  let browser: Browser;
  let provider: RunningProvider;
  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const quiet = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', ...quiet] });
    // Not auto-approving, and no keys file: the user decides in the browser.
    provider = await startProvider({ port: 0 });
  });
  afterAll(async () => {
    await browser?.close();
    await provider?.close();
  });

  /** The device's side: a device code for demo-spa (public), asking for "openid email". */
  async function startDevice(): Promise<{ device_code: string; user_code: string; verification_uri: string }> {
    const { status, body } = await postForm(`${provider.issuer}/device_authorization`, { client_id: 'demo-spa', scope: 'openid email' });
    expect(status).toBe(200);
    return body;
  }

  function pollOnce(deviceCode: string) {
    return postForm(`${provider.issuer}/token`, { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: 'demo-spa' });
  }

  /** The user's side up to the consent page: the code typed in lower case without the dash, then sign-in. */
  async function reachConsent(userCode: string, verificationUri: string, shoot: boolean): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 900, height: 820 } });
    await page.goto(verificationUri);
    const typed = userCode.replace('-', '').toLowerCase();
    await page.getByLabel('Code').fill(typed);
    // The page shows it in capitals (CSS); the field holds what was typed, and the server normalises it.
    expect(await page.getByLabel('Code').inputValue()).toMatch(/^[a-z]{8}$/);
    if (shoot) await page.screenshot({ path: join(screenshots, 'device-code.png') });
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Email').fill('asha@example.com');
    await page.getByLabel('Password').fill('mango-lassi-42');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    return page;
  }

  test('type the code, sign in, the consent names the client and the code and warns; Allow, and the poll gets tokens', async () => {
    const device = await startDevice();
    expect(device.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(new URL(device.verification_uri).pathname).toBe('/device');
    const page = await reachConsent(device.user_code, device.verification_uri, true);

    expect(await page.locator('h1').textContent()).toBe(`${CLIENT_NAME} wants to access your Mock Google account from a device`);
    const warning = page.getByRole('alert');
    expect(await warning.textContent()).toContain('Only allow this if you started it yourself');
    expect(await warning.textContent()).toContain(`shows the code ${device.user_code}.`);
    expect(await warning.textContent()).toContain('If someone sent you this code or this link (by message, email or phone), choose Deny');
    expect(await page.locator('ul.scopes code').allTextContents()).toEqual(['openid', 'email']);
    // The whole page: the warning, the scopes and both buttons.
    await page.screenshot({ path: join(screenshots, 'device-consent.png'), fullPage: true });

    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'You are all set' }).waitFor();
    expect(await page.textContent('body')).toContain(`${CLIENT_NAME} is signed in on your device.`);

    const { status, body } = await pollOnce(device.device_code);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'openid email' });
    expect(typeof body.access_token).toBe('string');
    expect(typeof body.id_token).toBe('string');
    await page.close();
  });

  test('Deny: the result page says so and the poll gets access_denied', async () => {
    const device = await startDevice();
    const page = await reachConsent(device.user_code, device.verification_uri, false);
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.getByRole('heading', { name: 'Access denied' }).waitFor();
    expect(await page.textContent('body')).toContain('the device is told access_denied');

    const { status, body } = await pollOnce(device.device_code);
    expect(status).toBe(400);
    expect(body.error).toBe('access_denied');
    await page.close();
  });
});
