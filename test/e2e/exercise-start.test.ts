// `exercises start oauth-access-token` runs Mock Google in one process; the learner gets a token
// by hand and `exercises check` (another process) proves it came from that provider.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { signInAtProvider, UserAgent } from '../../src/oauth/user-agent.js';
import { BIN, runCli } from '../helpers/cli.js';

test('start runs the provider, check verifies a token from it, Ctrl-C stops it', async () => {
  const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-ex-'));
  const child = spawn(process.execPath, [BIN, 'exercises', 'start', 'oauth-access-token'], { env: { PATH: process.env.PATH, NO_COLOR: '1', JWT_VS_OAUTH_HOME: home } });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const deadline = Date.now() + 15_000;
  while (!/is running at (http:\/\/127\.0\.0\.1:\d+)/.test(stdout) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const issuer = /is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
  expect(stdout).toContain('OAuth by hand: get an access token');

  const before = await runCli(['ex', 'check', 'oauth-access-token', 'not-a-token'], { env: { JWT_VS_OAUTH_HOME: home } });
  expect(before.code).toBe(1);

  const verifier = randomBytes(32).toString('base64url');
  const url = `${issuer}/authorize?response_type=code&client_id=demo-app&redirect_uri=http://127.0.0.1/callback&scope=openid%20email&state=s&code_challenge=${createHash('sha256').update(verifier).digest('base64url')}&code_challenge_method=S256`;
  const signedIn = await signInAtProvider(new UserAgent(), url, { email: 'asha@example.com', password: 'mango-lassi-42', allow: true });
  const code = new URL(signedIn.callbackUrl!).searchParams.get('code')!;
  const tokens = (await (await fetch(`${issuer}/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from('demo-app:demo-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1/callback', code_verifier: verifier }) })).json()) as { access_token: string; id_token: string };

  const idToken = await runCli(['ex', 'check', 'oauth-access-token', tokens.id_token, '--json'], { env: { JWT_VS_OAUTH_HOME: home } });
  expect(idToken.code).toBe(1);
  expect(JSON.parse(idToken.stdout).checks.find((line: { label: string }) => line.label === 'typ')).toMatchObject({ ok: false, got: 'JWT' });

  const passed = await runCli(['ex', 'check', 'oauth-access-token', tokens.access_token], { env: { JWT_VS_OAUTH_HOME: home } });
  expect(passed.code).toBe(0);
  expect(passed.stdout).toContain(`✓ signed by the provider\n      expected: a valid signature from ${issuer}/jwks`);
  expect(passed.stdout).toContain('✓ scope\n      expected: includes email\n      got:      openid email');

  child.kill('SIGINT');
  const [exitCode] = await once(child, 'exit');
  expect(exitCode).toBe(130);
  // The banner states the code lifetime; the request log shows what reached Mock Google.
  expect(stdout).toContain('  codes      live 10 minutes, the longest RFC 6749 §4.1.2 recommends (time to copy one by hand), and work once\n');
  expect(stdout).toMatch(/^\d\d:\d\d:\d\d POST \/interaction\/[\w-]{6}…\/consent 303  code issued to demo-app for asha@example\.com$/m);
  expect(stdout).toMatch(/^\d\d:\d\d:\d\d POST \/token {23}200  tokens issued to demo-app for asha@example\.com \(scope openid email; client auth client_secret_basic\)$/m);
  expect(stdout).toMatch(/^\d\d:\d\d:\d\d GET  \/jwks {24}200  public keys served: .+; read by exercises check, or a client, to verify a token$/m);
  expect(JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8')).exercises.provider).toBeUndefined();
}, 60_000);
