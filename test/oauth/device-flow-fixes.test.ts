// `oauth --flow device` as a new user met it: a browser that fails to open leaves the terminal to
// play the phone; q stops the demo while the TV waits its polling interval; the first poll is not
// "again"; steps 3 and 4 are shown before what they explain is asked; userinfo's sub is checked.

import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { oauthCommand } from '../../src/cli/commands/oauth.js';
import { createContext } from '../../src/cli/context.js';
import { runDeviceFlow } from '../../src/oauth/device-flow.js';
import type { Narrator } from '../../src/oauth/steps.js';
import { UserAgent, type RecordedExchange } from '../../src/oauth/user-agent.js';
import { startDemoWorld, type DemoWorld } from '../../src/oauth/world.js';

let world: DemoWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A narrator that records what the person would see and be asked, in order; every answer is Asha's and Allow. */
function recordingNarrator(said: string[]): Narrator {
  return {
    show: (step) => said.push(`step ${step.number}: ${step.title}`),
    pause: async () => undefined,
    credentials: async (_hint, users) => {
      said.push('asked: email and password');
      return { email: users[0]!.email, password: users[0]!.password };
    },
    consent: async (client, scopes, caution) => {
      said.push(`asked: ${client} wants: ${scopes.join(', ')}. Allow? (said first: ${caution})`);
      return true;
    },
    note: (text) => said.push(`note: ${text}`),
  };
}

describe('runDeviceFlow', () => {
  test('a browser that did not open: the terminal plays the phone; step 3 before the password, step 4 (the code, the warning) before Allow?', async () => {
    world = await startDemoWorld();
    const said: string[] = [];
    const shown: string[][] = [];
    const narrator = recordingNarrator(said);
    const show = narrator.show;
    narrator.show = (step) => {
      shown.push(step.text);
      show(step);
    };
    // Someone is watching (the interval is "waited"), but the wait itself is skipped here.
    const outcome = await runDeviceFlow(world, narrator, { kind: 'browser', deny: false, open: async () => false }, { waitForReal: true, wait: async () => undefined });
    expect(outcome.ok).toBe(true);
    const code = /type ([A-Z]{4}-[A-Z]{4})\./.exec(said.join('\n'))![1]!;
    expect(said.map((line) => line.replaceAll(code, 'CODE'))).toEqual([
      'step 1: The TV app asks Mock Google for a code',
      'step 2: The TV shows the code and polls',
      expect.stringMatching(/^note: On your phone, you would open http:\/\/127\.0\.0\.1:\d+\/device and type CODE\. This is a local demo, so the terminal plays your phone/),
      'step 3: On your phone: the address and the code',
      'asked: email and password',
      'step 4: Sign in, and the consent page',
      'asked: Swaad on your TV (swaad-tv, public), code CODE, wants: openid, profile, email. Allow? (said first: The page shows the code CODE. Allow only if you started it yourself, on a device in front of you that shows this code.)',
      'step 5: You allow it; the TV\'s next poll gets the tokens',
      'step 6: The TV calls the API and checks both answers',
      'step 7: Recap',
    ]);
    // The first poll is the first: nothing is asked "again" until the second.
    expect(shown[1]!.join(' ')).toContain('The device waited 5 seconds, the polling interval, before its first poll (RFC 8628 §3.5).');
    expect(shown[1]!.join(' ')).not.toContain('again');
    expect(shown[4]!.join(' ')).toContain('The device waited 5 seconds, the polling interval, before asking again (RFC 8628 §3.5).');
  });

  test('userinfo about another user than the ID token names: the TV refuses the sign-in (OIDC Core §5.3.2)', async () => {
    world = await startDemoWorld();
    const real = world.agent.bind(world);
    // A provider (or a man in the middle) that answers userinfo about Ravi.
    world.agent = (who) => {
      const agent = real(who);
      if (who !== 'the TV app') return agent;
      const request = agent.request.bind(agent);
      agent.request = async (...args: Parameters<UserAgent['request']>): Promise<RecordedExchange> => {
        const exchange = await request(...args);
        if (!exchange.request.url.endsWith('/userinfo')) return exchange;
        return { ...exchange, response: { ...exchange.response, body: JSON.stringify({ ...JSON.parse(exchange.response.body), sub: 'ravis-sub' }) } };
      };
      return agent;
    };
    const steps: Parameters<Narrator['show']>[0][] = [];
    const narrator = { ...recordingNarrator([]), show: (step: Parameters<Narrator['show']>[0]) => void steps.push(step) };
    const outcome = await runDeviceFlow(world, narrator, { kind: 'terminal', deny: false }, { waitForReal: false });
    expect(outcome).toEqual({ ok: false, summary: 'The TV refused the sign-in: userinfo answered about another user than the ID token names (OIDC Core §5.3.2).' });
    const six = steps.find((step) => step.number === 6)!;
    expect(six.verification!.result.valid).toBe(true);
    expect(six.checks![0]!.rows).toEqual([{ ok: false, result: 'another sub', detail: expect.stringMatching(/^userinfo sub "ravis-sub", ID token sub "\d+"$/) }]);
  });
});

/**
 * Runs `oauth --flow device` as on a terminal (DISPLAY set) with `openBrowser`; answers the first
 * "Press Enter" prompt with Enter, then q at the first wait for a poll. Both streams, interleaved.
 */
async function stopWhileWaiting(openBrowser: (url: string) => Promise<void>): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = Object.assign(new PassThrough(), { isTTY: true });
  const stderr = Object.assign(new PassThrough(), { end: () => stderr });
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  let out = '';
  let err = '';
  let pressedEnter = false;
  let pressedQ = false;
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => {
    err += chunk;
    if (!pressedEnter && err.includes('Press Enter for the next step')) {
      pressedEnter = true;
      setImmediate(() => stdin.write('\r'));
    } else if (!pressedQ && err.includes('before the next poll')) {
      pressedQ = true;
      setImmediate(() => stdin.write('q'));
    }
  });
  const context = createContext({ stdout, stderr, stdin, env: { DISPLAY: ':0' } }, () => ({}), () => Math.floor(Date.now() / 1000));
  await oauthCommand(context, { openBrowser }).exitOverride().parseAsync(['--flow', 'device'], { from: 'user' });
  return { code: context.exitCode, stdout: out, stderr: err };
}

describe('oauth --flow device on a terminal: q while the TV waits to poll', () => {
  test('opening a browser fails: the terminal plays the phone (as the code flow does), and q stops the demo (exit 0)', async () => {
    const started = Date.now();
    const result = await stopWhileWaiting(async () => {
      throw new Error('the opener exited with 4');
    });
    expect(result.stderr).toContain('No browser: opening one failed (the opener exited with 4). The terminal plays your phone instead (--no-browser).');
    expect(result.stderr).not.toContain('open it yourself');
    expect(result.stderr).toContain('Waiting 5 seconds before the next poll…  [q/Esc] stop the demo');
    expect(result.stderr.trimEnd()).toMatch(/Stopped after step 1 of 7\.$/);
    expect(result.code).toBe(0);
    // q ended the wait at once: the 5-second interval was not waited out.
    expect(Date.now() - started).toBeLessThan(4500);
  });

  test('a browser plays the phone and never answers: q while the TV polls stops the demo (exit 0)', async () => {
    const result = await stopWhileWaiting(async () => undefined);
    expect(result.stderr).toMatch(/Opened http:\/\/127\.0\.0\.1:\d+\/device\?user_code=[A-Z]{4}-[A-Z]{4} in your browser: it plays your phone\./);
    expect(result.stderr).not.toContain('qPoll');
    expect(result.stderr.trimEnd()).toMatch(/Stopped after step 1 of 7\.$/);
    expect(result.code).toBe(0);
  });
});

describe('oauth --help', () => {
  test('says q/Esc work while the TV waits, and what --json gives as lanes', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const help = (await runCli(['oauth', '--help'], { env: { COLUMNS: '400' } })).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('gives each step\'s lanes as [{id, name}], left to right');
    expect(help).toContain('Between steps, and while the device flow\'s TV waits to poll: Enter shows the next step; q or Esc stops the demo');
  });
});
