// `exercises start oauth-access-token --port`: Mock Google where the learner asked for it, a
// request log of what reaches it, and codes that live 10 minutes (RFC 6749 §4.1.2's recommended
// maximum), so a code copied by hand from a browser into curl still works a minute and more
// later. Run in-process with the command's clock moved on by the test: nothing sleeps.

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { Chalk } from 'chalk';
import { requestLogger } from '../../src/cli/commands/provider.js';
import { runCaptured } from '../../src/cli/main.js';
import { signInAtProvider, UserAgent } from '../../src/oauth/user-agent.js';
import { waitUntilAnswering } from '../helpers/provider-cli.js';

const home = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-start-'));
const REDIRECT_URI = 'http://127.0.0.1/callback';
/** 2030-03-17T17:46:40Z: log lines show the command's clock, so the times below are exact. */
const T0 = 1_900_000_000;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Listens on a free loopback port and returns it (the server stays, holding the port, when `keep`). */
async function freePort(keep = false): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  if (keep) servers.push(server);
  else await new Promise((resolve) => server.close(resolve));
  return port;
}


/** Authorize with PKCE and a one-time state, sign in as asha and allow: the code from the callback, as a learner copies it. */
async function codeByHand(issuer: string): Promise<{ code: string; verifier: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('hex');
  const url = `${issuer}/authorize?response_type=code&client_id=demo-app&redirect_uri=${REDIRECT_URI}&scope=openid%20email&state=${state}&code_challenge=${challenge}&code_challenge_method=S256`;
  const signedIn = await signInAtProvider(new UserAgent(), url, { email: 'asha@example.com', password: 'mango-lassi-42', allow: true });
  const callback = new URL(signedIn.callbackUrl!);
  expect(callback.searchParams.get('state')).toBe(state);
  return { code: callback.searchParams.get('code')!, verifier };
}

/** curl -u demo-app:demo-secret -d grant_type=authorization_code -d code=… <issuer>/token */
async function exchange(issuer: string, { code, verifier }: { code: string; verifier: string }): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('demo-app:demo-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('exercises start oauth-access-token --port', () => {
  test('a code exchanged 90 s after it was issued works, one 10 minutes and 1 s old does not; the banner says so and the log shows each request', async () => {
    const env = { JWT_VS_OAUTH_HOME: home() };
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    let clock = T0;
    const now = () => clock;
    const started = runCaptured(['exercises', 'start', 'oauth-access-token', '--port', String(port)], { env, now });
    try {
      await waitUntilAnswering(`${issuer}/.well-known/openid-configuration`);

      const copied = await codeByHand(issuer);
      clock += 90; // longer than Mock Google's usual 60 s: the learner was copying it into curl
      const tokens = await exchange(issuer, copied);
      expect(tokens.status).toBe(200);
      const checked = await runCaptured(['exercises', 'check', 'oauth-access-token', tokens.body.access_token!], { env, now });
      expect(checked.stdout).toContain('✓ Passed.');
      expect(checked.code).toBe(0);

      const late = await codeByHand(issuer);
      clock += 10 * 60 + 1;
      expect(await exchange(issuer, late)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'The authorization code is unknown or expired (codes live 10 minutes).' } });
    } finally {
      process.emit('SIGINT', 'SIGINT');
    }
    const result = await started;
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('Stopped.\n');
    expect(result.stdout).toContain(`Mock Google (a local simulation) is running at ${issuer}\n`);
    expect(result.stdout).toContain(`  authorize  ${issuer}/authorize\n  token      ${issuer}/token\n`);
    expect(result.stdout).toContain('  codes      live 10 minutes, the longest RFC 6749 §4.1.2 recommends (time to copy one by hand), and work once\n');
    expect(result.stdout).toContain('Each request that reaches Mock Google is logged below.');
    const log = result.stdout.split('\n').filter((line) => /^\d\d:\d\d:\d\d /.test(line));
    // The code at 17:46:40 (the command's clock), its exchange 90 s later, the late code refused.
    expect(log).toEqual(expect.arrayContaining([
      // Discovery and keys fetched by the check are labelled: the learner did not type them.
      '17:46:40 GET  /.well-known/openid-configuration 200  discovery document served; read by exercises check, or a client, to find the endpoints and keys',
      '17:46:40 GET  /authorize                   200  sign-in page shown for demo-app',
      // The interaction id cut to 6 characters, so the path fits the column.
      expect.stringMatching(/^17:46:40 POST \/interaction\/[\w-]{6}…\/login {3}200  asha@example\.com signed in; consent page shown for demo-app$/),
      expect.stringMatching(/^17:46:40 POST \/interaction\/[\w-]{6}…\/consent 303  code issued to demo-app for asha@example\.com$/),
      '17:48:10 POST /token                       200  tokens issued to demo-app for asha@example.com (scope openid email; client auth client_secret_basic)',
      '17:48:10 GET  /jwks                        200  public keys served: one for ID tokens (RS256), one for access tokens (ES256); read by exercises check, or a client, to verify a token',
      '17:58:11 POST /token                       400  invalid_grant: The authorization code is unknown or expired (codes live 10 minutes).',
    ]));
    // The provider is gone, and so is the note that points `check` at it.
    await expect(fetch(`${issuer}/jwks`)).rejects.toThrow();
    expect(JSON.parse(readFileSync(join(env.JWT_VS_OAUTH_HOME, 'progress.json'), 'utf8')).exercises.provider).toBeUndefined();
  });

  test('a port in use: exit 2 and one line, nothing started or printed', async () => {
    const env = { JWT_VS_OAUTH_HOME: home() };
    const port = await freePort(true);
    const result = await runCaptured(['exercises', 'start', 'oauth-access-token', '--port', String(port)], { env, now: () => T0 });
    expect(result).toEqual({ code: 2, stdout: '', stderr: `error: Port ${port} on 127.0.0.1 is already in use: stop the program using it, or leave out --port to get a free one.\n` });
    expect(JSON.parse(readFileSync(join(env.JWT_VS_OAUTH_HOME, 'progress.json'), 'utf8')).exercises.provider).toBeUndefined();
  });

  test.each(['70000', 'eighty', '-1', '', '9400.5'])('--port "%s": exit 2 and one line, as the provider command says it', async (value) => {
    const result = await runCaptured(['exercises', 'start', 'oauth-access-token', '--port', value], { env: { JWT_VS_OAUTH_HOME: home() }, now: () => T0 });
    expect(result).toEqual({ code: 2, stdout: '', stderr: `error: --port: "${value}" is not a port number (0 to 65535).\n` });
    const provider = await runCaptured(['provider', '--port', value], { env: {} });
    expect(provider).toEqual(result);
  });

  test('--port on an exercise that runs nothing: exit 2, one line', async () => {
    const result = await runCaptured(['exercises', 'start', 'read-subject', '--port', '9400'], { env: { JWT_VS_OAUTH_HOME: home() }, now: () => T0 });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'error: --port: read-subject runs nothing; --port is for an exercise that runs Mock Google, such as oauth-access-token.\n' });
  });

  test('its help shows --port, an example with it, and the code lifetime', async () => {
    const help = await runCaptured(['exercises', 'start', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--port <port>');
    expect(help.stdout).toContain('jwt-vs-oauth exercises start oauth-access-token --port 9400');
    const text = help.stdout.replace(/\s+/g, ' '); // laid out to 80 columns
    expect(text).toContain('authorization codes 10 minutes (RFC 6749 §4.1.2');
    expect(text).toContain('2 bad usage (an unknown exercise, a bad --port), a port in use, or one already running');
  });
});

describe('the request log (exercises start and provider share it)', () => {
  const id = 'yOhdkYx3c0mQ7sVt2Kp9LwZ4aN8eR1fG6hJ5uB0iC2d';
  const event = { time: '2030-03-17T17:46:40.000Z', method: 'POST', path: `/interaction/${id}/consent`, status: 303, message: 'code issued to demo-app for asha@example.com', durationMs: 1.5 };
  const logged = (json: boolean) => {
    const lines: string[] = [];
    const colour = new Chalk({ level: 0 });
    requestLogger({ colour, talkColour: colour, stdoutIsTerminal: false, stderrIsTerminal: false, stdinIsTerminal: false, result: (text) => void lines.push(text), talk: () => undefined }, { json })(event);
    return lines;
  };

  test('a line cuts the 43-character interaction id to 6 characters, so the path fits its column', () => {
    expect(logged(false)).toEqual(['17:46:40 POST /interaction/yOhdkY…/consent 303  code issued to demo-app for asha@example.com']);
  });

  test('--json keeps the path exact', () => {
    expect(logged(true).map((line) => JSON.parse(line))).toEqual([{ event: 'request', ...event }]);
  });
});
