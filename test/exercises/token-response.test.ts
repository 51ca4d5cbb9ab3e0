// A student who pastes the whole token response into the access-token exercise is checked on the
// access token in it, not on the ID token that comes first; decode keeps taking the ID token.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningProvider } from '../../src/provider/server.js';
import { extractToken } from '../../src/jwt/pasted-input.js';
import { runCli } from '../helpers/cli.js';
import { authorizeAtOnce, basic, pkcePair, postForm, startTestProvider, CALLBACK } from '../helpers/provider.js';

let provider: RunningProvider;
beforeAll(async () => {
  provider = await startTestProvider({ autoApprove: true });
});
afterAll(() => provider.close());

test('extractToken prefers the field asked for in a JSON response and a URL; the ID token by default', () => {
  const response = JSON.stringify({ id_token: 'a.b.c', access_token: 'd.e.f', token_type: 'Bearer' });
  expect(extractToken(response)).toBe('a.b.c');
  expect(extractToken(response, { prefer: 'access_token' })).toBe('d.e.f');
  expect(extractToken('http://127.0.0.1/cb#id_token=a.b.c&access_token=d.e.f', { prefer: 'access_token' })).toBe('d.e.f');
});

test('oauth-access-token: the whole token response passes, checked on its access_token', async () => {
  const { verifier, challenge } = pkcePair();
  const redirect = await authorizeAtOnce(provider, { scope: 'openid email', login_hint: 'asha@example.com', code_challenge: challenge, code_challenge_method: 'S256' });
  const code = redirect.location!.searchParams.get('code')!;
  const tokens = await postForm(`${provider.issuer}/token`, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier }, { authorization: basic('demo-app', 'demo-secret') });
  expect(tokens.status).toBe(200);
  const pasted = JSON.stringify({ id_token: tokens.body.id_token, access_token: tokens.body.access_token, token_type: 'Bearer', expires_in: 900 });
  const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-token-response-'));
  writeFileSync(join(home, 'progress.json'), JSON.stringify({ version: 1, seed: 'token-response', exercises: { provider: { issuer: provider.issuer, exercise: 'oauth-access-token' } } }));
  const result = await runCli(['exercises', 'check', 'oauth-access-token', pasted], { env: { JWT_VS_OAUTH_HOME: home } });
  expect(result.stdout).not.toContain('✗');
  expect(result.code).toBe(0);
});
