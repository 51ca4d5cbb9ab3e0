// `jwt-vs-oauth oauth` without a terminal: --auto, --deny, every --attack, --transcript, --json.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { whyNoBrowser } from '../../src/cli/commands/oauth.js';
import { runCli } from '../helpers/cli.js';

describe('oauth --auto', () => {
  test('walks all eight steps and signs Asha in', async () => {
    const result = await runCli(['oauth', '--auto']);
    expect(result.code).toBe(0);
    const titles = [...result.stdout.matchAll(/^Step (\d) of 8: (.+)$/gm)].map((match) => `${match[1]} ${match[2]}`);
    expect(titles).toEqual([
      '1 You click "Login with Google"',
      '2 The provider\'s sign-in page',
      '3 Consent: you allow it',
      '4 Back to the app with a code, not a token',
      '5 The app swaps the code for tokens',
      '6 Two tokens, two jobs',
      '7 The app calls the API with the access token',
      '8 Recap',
    ]);
    expect(result.stdout).toMatch(/code_challenge +\S+ +— BASE64URL\(SHA-256\(code_verifier\)\)/);
    expect(result.stdout).toContain('Fact check: the article\'s step 4 says the provider "sends an access token".');
    expect(result.stdout).toMatch(/→ POST http:\/\/127\.0\.0\.1:\d+\/token/);
    expect(result.stdout).toContain('authorization: Basic •••• (client_id:client_secret, base64)');
    expect(result.stdout).toContain('password=••••••••');
    expect(result.stdout).not.toContain('mango-lassi-42');
    expect(result.stdout).toMatch(/✓ signature +valid RS256 signature/);
    expect(result.stdout).toMatch(/✓ algorithm +RS256 is allowed \(allowed: RS256\)/);
    expect(result.stdout).toMatch(/Access token \(for the API\) +ES256, typ at\+jwt/);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('Mock Google signs each kind of token with a key of its own (here RS256 and ES256, both at /jwks)');
    expect(result.stdout).toContain('✓ nonce matches the one the app sent in step 1');
    expect(result.stdout).toMatch(/▶ 7 .*GET \/userinfo/);
    expect(result.stdout).toContain('✓ The app never saw the password: it appears in none of the requests the app received or made.');
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ Signed in to Swaad as Asha Rao (asha@example.com).');
  });

  test('--deny: access_denied comes back and the app handles it', async () => {
    const result = await runCli(['oauth', '--deny']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Step 3 of 8: Consent: you deny it');
    expect(result.stdout).toMatch(/error +access_denied/);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ Denied: the app received access_denied and showed "not signed in".');
  });

  test.each([
    ['stolen-code', 'invalid_grant', 'Stopped: single-use codes, and revocation of everything issued from a replayed code (RFC 6749 §4.1.2).'],
    ['no-pkce', 'code_verifier is missing', 'Stopped: PKCE. Only the app that made the code_verifier can redeem the code (RFC 7636, RFC 9700 §2.1.1).'],
    ['csrf', 'state check: a response this browser did not ask for is refused (CSRF defence)', 'Stopped: state. The app accepts only answers to the login this browser started (RFC 6749 §10.12).'],
    ['mix-up', 'iss check: a response from another provider is refused (mix-up defence)', 'Stopped: the iss response parameter (RFC 9207), checked by the app.'],
    ['open-redirect', '400 error page, no Location', 'Stopped: exact redirect_uri matching, and an error page instead of a redirect (RFC 9700 §2.1).'],
  ])('--attack %s is stopped, and says by what', async (attack, evidence, summary) => {
    const result = await runCli(['oauth', '--attack', attack]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Attack: ${attack}`);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(evidence);
    expect(result.stdout.trim().split('\n').at(-1)).toBe(`✓ ${summary}`);
  });

  test('an unknown attack exits 2', async () => {
    const result = await runCli(['oauth', '--attack', 'teleport']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: Unknown attack "teleport".\nChoose one of: stolen-code, no-pkce, csrf, mix-up, open-redirect.\n');
  });

  test('--transcript writes every exchange as JSON lines, secrets masked', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-transcript-')), 'flow.jsonl');
    const result = await runCli(['oauth', '--auto', '--transcript', file]);
    expect(result.code).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => `${line.who} ${line.request.method} ${new URL(line.request.url).pathname} ${line.response.status}`)).toEqual([
      'browser GET /login 302',
      'browser GET /authorize 200',
      'browser POST /interaction/' + lines[2].request.url.split('/interaction/')[1].split('/')[0] + '/login 200',
      'browser POST /interaction/' + lines[3].request.url.split('/interaction/')[1].split('/')[0] + '/consent 303',
      'app POST /token 200',
      'app GET /userinfo 200',
      'browser GET /callback 200',
    ]);
    const text = readFileSync(file, 'utf8');
    // The typed password is masked; the sign-in page itself lists the demo passwords on purpose.
    expect(lines.map((line) => JSON.stringify(line.request)).join('\n')).not.toContain('mango-lassi-42');
    expect(lines[2].request.body).toBe('email=asha%40example.com&password=%E2%80%A2%E2%80%A2%E2%80%A2');
    expect(text).not.toContain('demo-secret');
    expect(text).not.toContain(Buffer.from('demo-app:demo-secret').toString('base64'));
    expect(result.stderr).toContain(`Wrote 7 HTTP exchanges to ${file}.`);
  });

  test('--json prints the steps and the outcome', async () => {
    const result = await runCli(['oauth', '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.outcome).toEqual({ ok: true, summary: 'Signed in to Swaad as Asha Rao (asha@example.com).' });
    expect(json.steps.map((step: { number: number }) => step.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(json.steps[5].verification).toEqual({ valid: true, nonceMatches: true });
  });
});

describe('when a browser may be opened', () => {
  test.each([
    [{ CI: 'true', DISPLAY: ':0' }, 'running under CI'],
    [{ SSH_CONNECTION: '1 2 3 4', DISPLAY: ':0' }, 'this is an SSH session'],
    [{}, process.platform === 'linux' ? 'no display (DISPLAY is not set)' : undefined],
    [{ DISPLAY: ':0' }, undefined],
  ])('%j → %s', (env, reason) => {
    expect(whyNoBrowser(env)).toBe(reason);
  });
});
