// A real browser (Debian's chromium, driven by playwright-core) signs in through Mock Google's
// pages: labelled fields, Allow, back to the app's callback, and the demo flow completes.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runBrowserFlow } from '../../src/oauth/flow.js';
import type { Narrator, Outcome, Step } from '../../src/oauth/steps.js';
import { startDemoWorld, type DemoWorld } from '../../src/oauth/world.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Skipping the browser tests: no chromium at ${CHROMIUM} (.ci/run installs Debian's chromium).`);

// Screenshots go to test-results/ on every run; UPDATE_SCREENSHOTS=1 refreshes the ones the README shows.
const screenshots = process.env.UPDATE_SCREENSHOTS ? 'docs' : join('test-results', 'screenshots');

describe.skipIf(!hasChromium)('in a real browser', () => {
  let browser: Browser;
  let world: DemoWorld;
  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
    world = await startDemoWorld();
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  /** Starts the browser-mode flow in a new page, the narration collected in `steps`; the page shows the sign-in form. */
  async function startFlow(): Promise<{ page: Page; steps: Step[]; flow: Promise<Outcome> }> {
    const page = await browser.newPage({ viewport: { width: 900, height: 820 } });
    const steps: Step[] = [];
    const narrator: Narrator = {
      show: (step) => steps.push(step),
      pause: async () => undefined,
      // The browser answers these; the narrator is never asked in browser mode.
      credentials: async () => ({ email: '', password: '' }),
      consent: async () => true,
      note: () => undefined,
    };
    const flow = runBrowserFlow(world, narrator, async (url) => {
      await page.goto(url);
    });
    await page.getByLabel('Email').fill('asha@example.com');
    await page.getByLabel('Password').fill('mango-lassi-42');
    return { page, steps, flow };
  }

  test('sign in through the labelled fields, Allow, back at the callback, and the flow completes', async () => {
    const { page, steps, flow } = await startFlow();
    await page.getByText('Local simulation.').waitFor({ state: 'visible' });
    await page.screenshot({ path: join(screenshots, 'login.png') });
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('button', { name: 'Allow' }).waitFor();
    expect(await page.getByText('wants to access your Mock Google account').count()).toBe(1);
    await page.screenshot({ path: join(screenshots, 'consent.png') });
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.getByText('You can return to the terminal.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/callback');
    expect(await page.textContent('body')).toContain('Welcome, Asha Rao!');

    const outcome = await flow;
    expect(outcome).toEqual({ ok: true, summary: 'Signed in to Swaad as Asha Rao (asha@example.com).' });
    expect(steps.map((step) => step.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(steps[5]!.verification).toMatchObject({ nonceMatches: true, result: { valid: true } });
    // The cross-use checks of step 6 and the sub check of step 7 run in browser mode too.
    expect(steps[5]!.checks![0]!.rows.map((row) => row.result)).toEqual(['accepted', 'rejected', 'rejected', 'rejected']);
    expect(steps[6]!.checks![0]!.rows).toMatchObject([{ ok: true, result: 'same sub' }]);
  });

  test('Deny in the browser: the recap says no code and no tokens came back', async () => {
    const { page, steps, flow } = await startFlow();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.getByText('You can return to the terminal.').waitFor();
    expect(await flow).toEqual({ ok: true, summary: 'Denied: the app received access_denied and showed "not signed in".' });
    expect(steps.map((step) => step.number)).toEqual([1, 2, 3, 4, 8]);
    const recap = steps.at(-1)!.text.join('\n');
    expect(recap).toContain('→ step 4 brought back error=access_denied: no code, so no tokens were ever issued');
    expect(recap).toContain('→ nothing to use: steps 5 to 7 did not happen');
    expect(recap).not.toContain('steps 6 and 7');
  });
});
