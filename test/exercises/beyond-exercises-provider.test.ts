// Exercises 23 and 24 done by hand, as a learner does them: `exercises start` runs Mock Google, and
// plain HTTP (fetch, like curl) does the device flow as swaad-tv (RFC 8628 §3.1–§3.5) and client
// credentials as demo-app (RFC 6749 §4.4); `exercises check` takes the access token. Plus the
// provider-token check's new lines (client_id, sub), each failing alone, in the learner's words.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCaptured } from '../../src/cli/main.js';
import { exerciseClients } from '../../src/cli/commands/exercises-start.js';
import { runCheck } from '../../src/lessons/checks.js';
import { findExercise, loadExercises } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { approveDeviceAtProvider, UserAgent } from '../../src/oauth/user-agent.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { basic, postForm, startTestProvider } from '../helpers/provider.js';

const T0 = 1_900_000_000;
const exercises = loadExercises(join(lessonsFolder(), 'exercises'));
const ASHA = { email: 'asha@example.com', password: 'mango-lassi-42' };
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** A learner's session: Mock Google's issuer, and `exercises check` in the same home, at the same clock. */
interface Session {
  issuer: string;
  clock: { now: number };
  check: (words: string[], stdin?: string) => Promise<{ code: number; stdout: string }>;
}

/**
 * Runs `exercises start <id>` in-process with a clock the test moves, gives `work` the session
 * once Mock Google answers, then stops it with Ctrl-C (exit 130); returns its issuer and what it printed.
 */
async function whileStarted(id: string, work: (session: Session) => Promise<void>): Promise<{ issuer: string; banner: string }> {
  const env = { JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-beyond-ex-')) };
  const clock = { now: T0 };
  const running = runCaptured(['exercises', 'start', id], { env, now: () => clock.now });
  let issuer: string | undefined;
  const deadline = Date.now() + 15_000;
  while (!issuer) {
    try {
      const recorded = JSON.parse(readFileSync(join(env.JWT_VS_OAUTH_HOME, 'progress.json'), 'utf8')).exercises.provider?.issuer as string | undefined;
      if (recorded && (await fetch(`${recorded}/.well-known/openid-configuration`)).ok) issuer = recorded;
    } catch {
      // Not written or not listening yet.
    }
    if (!issuer && Date.now() > deadline) throw new Error(`exercises start ${id} never answered`);
    if (!issuer) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  try {
    await work({ issuer, clock, check: (words, stdin) => runCaptured(['exercises', 'check', ...words], { env, now: () => clock.now, stdin }) });
  } finally {
    process.emit('SIGINT', 'SIGINT');
  }
  const result = await running;
  expect(result.code).toBe(130);
  return { issuer, banner: result.stdout };
}

/** The endpoint table of the banner `exercises start` printed: its rows, from discovery to the blank line after. */
const endpointTable = (stdout: string) => stdout.slice(stdout.indexOf('  discovery'), stdout.indexOf('Leave this running')).trimEnd().split('\n').map((row) => row.trim().replace(/ {2,}/g, ' | '));

describe('oauth-device-flow by hand against exercises start', () => {
  test('device_authorization as swaad-tv, a poll after the interval (authorization_pending), the code typed and allowed in a browser, a poll with tokens: check passes; a demo-app token fails on client_id alone', async () => {
    const { issuer, banner } = await whileStarted('oauth-device-flow', async ({ issuer, clock, check }) => {
      const codes = await postForm(`${issuer}/device_authorization`, { client_id: 'swaad-tv', scope: 'openid email' });
      expect(codes.status).toBe(200);
      expect(codes.body).toMatchObject({ verification_uri: `${issuer}/device`, interval: 5 });
      const poll = () => postForm(`${issuer}/token`, { grant_type: DEVICE_GRANT, device_code: codes.body.device_code, client_id: 'swaad-tv' });
      // Respecting the interval: the first poll waits it, and the person has not finished yet.
      clock.now += codes.body.interval;
      const pending = await poll();
      expect(pending).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });
      await approveDeviceAtProvider(new UserAgent(), codes.body.verification_uri, codes.body.user_code, { ...ASHA, allow: true });
      clock.now += codes.body.interval;
      const tokens = await poll();
      expect(tokens.status).toBe(200);
      const passed = await check(['oauth-device-flow', tokens.body.access_token, '--json']);
      expect(passed.code).toBe(0);
      const lines = JSON.parse(passed.stdout).checks as Array<{ label: string; ok: boolean; got: string }>;
      expect(lines.map((line) => line.label)).toEqual(['signed by the provider', 'typ', 'iss', 'client_id', 'still valid', 'scope']);
      expect(lines.find((line) => line.label === 'client_id')).toMatchObject({ ok: true, got: 'swaad-tv' });

      // The same provider, the code flow's client: right scope, wrong client.
      const asDemoApp = await postForm(`${issuer}/device_authorization`, { client_id: 'demo-app', client_secret: 'demo-secret', scope: 'openid email' });
      await approveDeviceAtProvider(new UserAgent(), asDemoApp.body.verification_uri, asDemoApp.body.user_code, { ...ASHA, allow: true });
      const demoTokens = await postForm(`${issuer}/token`, { grant_type: DEVICE_GRANT, device_code: asDemoApp.body.device_code }, { authorization: basic('demo-app', 'demo-secret') });
      const failed = await check(['oauth-device-flow', demoTokens.body.access_token]);
      expect(failed.code).toBe(1);
      expect(failed.stdout.match(/✗ \S+/g)).toEqual(['✗ client_id', '✗ Not']);
      expect(failed.stdout).toContain('      expected: swaad-tv (the client the task names)\n      got:      demo-app\n      why:      this token was issued to demo-app, not to swaad-tv: get it as swaad-tv, the client the task names (client_id swaad-tv in every request to Mock Google)\n');
    });
    // The banner lists the device flow's endpoints, not the code flow's.
    expect(endpointTable(banner)).toEqual([
      `discovery | ${issuer}/.well-known/openid-configuration`,
      `device | ${issuer}/device_authorization`,
      `verification | ${issuer}/device (where the person types the user code)`,
      `token | ${issuer}/token`,
      'codes | device and user codes live 10 minutes; poll no faster than the interval the answer gives (5 seconds to start with)',
    ]);
  }, 30_000);
});

describe('oauth-client-credentials by hand against exercises start', () => {
  test('curl -u demo-app:demo-secret -d grant_type=client_credentials -d scope=orders:read: an access token only (no refresh or ID token), and check passes; a user\'s token fails', async () => {
    const { issuer, banner } = await whileStarted('oauth-client-credentials', async ({ issuer, check }) => {
      const tokens = await postForm(`${issuer}/token`, { grant_type: 'client_credentials', scope: 'orders:read' }, { authorization: basic('demo-app', 'demo-secret') });
      expect(tokens.status).toBe(200);
      // RFC 6749 §4.4.3: no refresh token; no one signed in, so no ID token.
      expect(Object.keys(tokens.body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
      const passed = await check(['oauth-client-credentials', '-', '--json'], JSON.stringify(tokens.body));
      expect(passed.code).toBe(0);
      const lines = JSON.parse(passed.stdout).checks as Array<{ label: string; ok: boolean; got: string }>;
      expect(lines.map((line) => `${line.label}: ${line.got}`).slice(3, 5)).toEqual(['client_id: demo-app', 'sub: demo-app']);

      // Asha's token from the device flow: a user's sub, and a user's scopes.
      const codes = await postForm(`${issuer}/device_authorization`, { client_id: 'demo-app', client_secret: 'demo-secret', scope: 'openid email' });
      await approveDeviceAtProvider(new UserAgent(), codes.body.verification_uri, codes.body.user_code, { ...ASHA, allow: true });
      const userTokens = await postForm(`${issuer}/token`, { grant_type: DEVICE_GRANT, device_code: codes.body.device_code }, { authorization: basic('demo-app', 'demo-secret') });
      const failed = await check(['oauth-client-credentials', userTokens.body.access_token, '--json']);
      expect(failed.code).toBe(1);
      const failing = (JSON.parse(failed.stdout).checks as Array<{ label: string; ok: boolean; why?: string }>).filter((line) => !line.ok);
      expect(failing.map((line) => line.label)).toEqual(['sub', 'scope']);
      expect(failing[0]!.why).toBe('that token is for a user: its sub is a user\'s id, not the app\'s client_id; get one with grant_type=client_credentials, where the app asks for itself and no user signs in (RFC 6749 §4.4)');
      expect(failing[1]!.why).toBe('the token does not carry the scope the task asks for: ask for it with scope in the client_credentials request to the token endpoint');
    });
    // No browser in this flow: the banner lists the token endpoint only.
    expect(endpointTable(banner)).toEqual([`discovery | ${issuer}/.well-known/openid-configuration`, `token | ${issuer}/token`]);
  }, 30_000);
});

describe('the provider-token check\'s client lines, each failing alone', () => {
  let provider: RunningProvider;
  beforeAll(async () => {
    provider = await startTestProvider({ clients: await exerciseClients() });
  });
  afterAll(() => provider.close());

  const client = (id: string) => provider.state.clients.get(id)!;
  const asha = () => provider.state.config.users[0]!.sub;
  const check = async (id: string, token: string) => {
    const result = await runCheck(findExercise(exercises, id), [token], { material: {}, providerIssuer: provider.issuer, now: Math.floor(Date.now() / 1000) });
    return result.lines.filter((line) => !line.ok);
  };

  test('device flow: a token of Asha\'s with the right scope, issued to demo-app, fails on client_id only', async () => {
    const { access_token } = await provider.state.issueTokens({ client: client('demo-app'), sub: asha(), scopes: ['openid', 'email'], withIdToken: false });
    expect(await check('oauth-device-flow', access_token)).toEqual([expect.objectContaining({ label: 'client_id', got: 'demo-app', why: expect.stringMatching(/^this token was issued to demo-app, not to swaad-tv: get it as swaad-tv/) })]);
  });

  test('client credentials: a token of demo-app with orders:read but a user\'s sub fails on sub only', async () => {
    const { access_token } = await provider.state.issueTokens({ client: client('demo-app'), sub: asha(), scopes: ['orders:read'], withIdToken: false });
    expect(await check('oauth-client-credentials', access_token)).toEqual([expect.objectContaining({ label: 'sub', got: asha(), why: expect.stringMatching(/^that token is for a user: its sub is a user's id, not the app's client_id/) })]);
  });

  test('client credentials: the app\'s own token, of another client, fails on client_id only', async () => {
    const other = { ...client('demo-app'), client_id: 'billing-job' };
    const { access_token } = await provider.state.issueTokens({ client: other, sub: 'billing-job', scopes: ['orders:read'], withIdToken: false });
    expect(await check('oauth-client-credentials', access_token)).toEqual([expect.objectContaining({ label: 'client_id', got: 'billing-job' })]);
  });

  test('device flow: without the scope the task asks for, the why points at the device authorization request', async () => {
    const { access_token } = await provider.state.issueTokens({ client: client('swaad-tv'), sub: asha(), scopes: ['openid'], withIdToken: false });
    expect(await check('oauth-device-flow', access_token)).toEqual([expect.objectContaining({ label: 'scope', why: 'the token does not carry the scope the task asks for: ask for it with scope in the device authorization request (the POST to /device_authorization)' })]);
  });
});
