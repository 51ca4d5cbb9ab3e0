// `jwt-vs-oauth oauth` in browser mode while someone else sends requests to the app's callback:
// a forged callback gets an error page, is narrated escaped, and the real sign-in still ends the
// wait. The "browser" is the project's UserAgent, passed in through the command's openBrowser seam.
// Also `oauth --flow device` in browser mode: the verification page opened, the TV polling meanwhile.

import { get } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { oauthCommand } from '../../src/cli/commands/oauth.js';
import { createContext } from '../../src/cli/context.js';
import { DEFAULT_USERS } from '../../src/provider/directory.js';
import { approveDeviceAtProvider, signInAtProvider, UserAgent, type RecordedExchange } from '../../src/oauth/user-agent.js';

/** What the finding's `curl` sends: C1 controls (U+009B CSI, U+0085 NEL), a bidi override and U+2028. */
const HOSTILE_ISS = '%C2%9B31m%E2%80%AEFAKE%20%E2%80%A8%20%C2%85';
const HOSTILE_SHOWN = String.raw`\x9b31m\u202eFAKE \u2028 \x85`;
/** Raw characters that must never reach the terminal from a request. */
const RAW_UNSAFE = /[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const ASHA = { email: DEFAULT_USERS[0]!.email, password: DEFAULT_USERS[0]!.password };

/** The status of a GET with this exact request target, which fetch would have normalised. */
function statusForTarget(appUrl: string, target: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    get(appUrl, { path: target }, (response) => {
      response.resume();
      resolve(response.statusCode);
    }).on('error', reject);
  });
}

interface BrowserScript {
  /** Runs once the terminal says it waits; `login` is the browser's own GET /login, already made. */
  (browser: UserAgent, appUrl: string, login: RecordedExchange, output: () => string): Promise<void>;
}

/**
 * Runs `oauth` as on a terminal (stdin and stdout say they are terminals, DISPLAY is set) with an
 * opener that plays the browser: it loads /login, waits until the terminal waits, then runs `script`.
 * Every "Press Enter" prompt is answered.
 */
async function runBrowserDemo(script: BrowserScript, args: string[] = [], waitsFor = 'this terminal waits for the browser'): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = Object.assign(new PassThrough(), { isTTY: true });
  // Like process.stderr, it is never ended: a prompt pipes into it and ends its pipe when done.
  const stderr = Object.assign(new PassThrough(), { end: () => stderr });
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  let out = '';
  let err = '';
  let answeredLine = -1;
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => {
    err += chunk;
    // A pause prompt is redrawn on its own line until answered: Enter once per such line.
    const lineStart = err.lastIndexOf('\n') + 1;
    if (lineStart !== answeredLine && err.slice(lineStart).includes('Press Enter for the next step')) {
      answeredLine = lineStart;
      setImmediate(() => stdin.write('\r'));
    }
  });
  const context = createContext({ stdout, stderr, stdin, env: { DISPLAY: ':0' } }, () => ({}), () => Math.floor(Date.now() / 1000));
  let failBrowser: (error: unknown) => void = () => undefined;
  const browserFailed = new Promise<never>((_resolve, reject) => (failBrowser = reject));
  let browserFinished: Promise<void> = Promise.resolve();
  const openBrowser = async (url: string) => {
    // Like a real opener: the browser goes on by itself, the terminal does not wait for it.
    browserFinished = (async () => {
      const browser = new UserAgent();
      const login = await browser.request('GET', url);
      for (let tries = 0; tries < 500 && !err.includes(waitsFor); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
      await script(browser, new URL(url).origin, login, () => out + err);
    })();
    browserFinished.catch(failBrowser);
  };
  const command = oauthCommand(context, { openBrowser }).exitOverride();
  // A browser script that fails ends the test at once, instead of leaving the terminal waiting.
  await Promise.race([command.parseAsync(args, { from: 'user' }), browserFailed]);
  await browserFinished;
  return { code: context.exitCode, stdout: out, stderr: err };
}

async function finishSignIn(browser: UserAgent, login: RecordedExchange, allow: boolean): Promise<RecordedExchange> {
  const signedIn = await signInAtProvider(browser, login.response.headers.location!, { ...ASHA, allow });
  return browser.request('GET', signedIn.callbackUrl!);
}

describe('oauth in browser mode, with a forged callback', () => {
  test('a forged callback gets an error page, is narrated escaped, and the real sign-in still completes', async () => {
    let forged: Response | undefined;
    let real: RecordedExchange | undefined;
    const result = await runBrowserDemo(async (browser, appUrl, login, output) => {
      // Any local process or web page can do this: no cookie, no state, a hostile iss.
      forged = await fetch(`${appUrl}/callback?iss=${HOSTILE_ISS}`);
      expect(output()).toContain('A callback that is not ours was refused');
      // A request target that is not a URL is refused too, and is nobody's sign-in either.
      expect(await statusForTarget(appUrl, '//a:b:c/')).toBe(400);
      real = await finishSignIn(browser, login, true);
    });
    expect(forged!.status).toBe(400);
    expect(await forged!.text()).toContain('Sign-in refused');
    expect(real!.response.status).toBe(200);
    const shown = result.stdout + result.stderr;
    expect(shown).not.toMatch(RAW_UNSAFE);
    expect(result.stderr).toContain(`! A callback that is not ours was refused: no state, and this browser never started a sign-in here; it carried iss="${HOSTILE_SHOWN}". Still waiting for yours.`);
    expect(result.stdout).toContain('Step 8 of 8: Recap');
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ Signed in to Swaad as Asha Rao (asha@example.com).');
    expect(result.code).toBe(0);
  });

  test('a callback with the wrong state, sent through the learner\'s own browser (login CSRF), does not end the wait either', async () => {
    let forged: RecordedExchange | undefined;
    const result = await runBrowserDemo(async (browser, appUrl, login) => {
      // A page the learner visits navigates the browser there: the session cookie goes along.
      forged = await browser.request('GET', `${appUrl}/callback?code=ravis-code&state=ravis-state&iss=${HOSTILE_ISS}`);
      await finishSignIn(browser, login, true);
    });
    expect(forged!.response.status).toBe(400);
    expect(result.stderr).toContain(`! A callback that is not ours was refused: its state is not the one this browser's sign-in sent; it carried code="ravis-code", state="ravis-state", iss="${HOSTILE_SHOWN}". Still waiting for yours.`);
    expect(result.stdout + result.stderr).not.toMatch(RAW_UNSAFE);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ Signed in to Swaad as Asha Rao (asha@example.com).');
    expect(result.code).toBe(0);
  });

  test('a denial with the right state ends the wait; what it carries is shown escaped in the step view', async () => {
    const result = await runBrowserDemo(async (browser, appUrl, login) => {
      await fetch(`${appUrl}/callback?error=access_denied&state=guess`);
      const denied = await signInAtProvider(browser, login.response.headers.location!, { ...ASHA, allow: false });
      // The right state, with a description someone rewrote: only whoever holds the state can send this.
      const rewritten = new URL(denied.callbackUrl!);
      rewritten.search = `${rewritten.search.replace(/&?error_description=[^&]*/, '')}&error_description=${HOSTILE_ISS}`;
      expect((await browser.request('GET', rewritten.href)).response.status).toBe(200);
    });
    expect(result.stdout + result.stderr).not.toMatch(RAW_UNSAFE);
    expect(result.stdout).toMatch(new RegExp(`error +access_denied +— ${HOSTILE_SHOWN.replace(/\\/g, '\\\\')}`));
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ Denied: the app received access_denied and showed "not signed in".');
    expect(result.code).toBe(0);
  });

  test('a mix-up with the right state ends the wait, refused, and the hostile issuer is shown escaped', async () => {
    const result = await runBrowserDemo(async (browser, _appUrl, login) => {
      const signedIn = await signInAtProvider(browser, login.response.headers.location!, { ...ASHA, allow: true });
      const tampered = new URL(signedIn.callbackUrl!);
      tampered.search = tampered.search.replace(/iss=[^&]*/, `iss=${HOSTILE_ISS}`);
      const answer = await browser.request('GET', tampered.href);
      expect(answer.response.status).toBe(400);
    });
    expect(result.stdout + result.stderr).not.toMatch(RAW_UNSAFE);
    // The last paragraph, laid out to the terminal's width, read as one line.
    expect(result.stdout.trim().split('\n\n').at(-1)!.trim().replace(/\n +/g, ' ')).toMatch(new RegExp(`^✗ The sign-in failed: The response names issuer "${HOSTILE_SHOWN.replace(/\\/g, '\\\\')}", but this login was started with http://127\\.0\\.0\\.1:\\d+\\.$`));
    expect(result.code).toBe(1);
  });
});

describe('oauth --flow device in browser mode', () => {
  test('the verification URI (code filled in) is opened; the TV polls, pending, until the browser allows; then tokens', async () => {
    let opened = '';
    let pagesAnswered: RecordedExchange[] = [];
    const result = await runBrowserDemo(async (browser, _origin, page) => {
      opened = page.request.url;
      // The person takes a moment: the TV's first poll (after its 5-second interval) is pending.
      await new Promise((resolve) => setTimeout(resolve, 6000));
      pagesAnswered = await approveDeviceAtProvider(browser, opened, new URL(opened).searchParams.get('user_code')!, { ...ASHA, allow: true });
    }, ['--flow', 'device'], 'the TV polls every 5 seconds meanwhile');
    expect(opened).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/device\?user_code=[A-Z]{4}-[A-Z]{4}$/);
    expect(pagesAnswered.map((exchange) => exchange.response.status)).toEqual([200, 200, 200, 200]);
    expect(result.stderr).toContain(`Opened ${opened} in your browser: it plays your phone.`);
    expect(result.stdout).toMatch(/▶ 2 .*400 authorization_pending/);
    expect(result.stdout).toContain('Step 4 of 7: Sign in and consent: you allow it');
    const shown = result.stdout.replace(/\s+/g, ' ');
    // The first poll is the first; a later one asks again.
    expect(shown).toContain('The device waited 5 seconds, the polling interval, before its first poll (RFC 8628 §3.5).');
    expect(shown).toContain('The device waited 5 seconds, the polling interval, before asking again (RFC 8628 §3.5).');
    // While the TV waited, the terminal said how to stop.
    expect(result.stderr).toContain('Waiting 5 seconds before the next poll…  [q/Esc] stop the demo');
    expect(shown.trim().endsWith('✓ The TV is signed in to Swaad as Asha Rao (asha@example.com); your password never reached it.')).toBe(true);
    expect(result.code).toBe(0);
  }, 40_000);
});
