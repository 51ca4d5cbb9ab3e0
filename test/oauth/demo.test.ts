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
    const flat = result.stdout.replace(/\s+/g, ' ');
    // Step 1: the values live in the app's server-side session; the browser holds a cookie naming it.
    expect(flat).toContain('keeps them in its own session on its server (your browser holds only a cookie that names that session)');
    expect(flat).toContain('The CSRF defence of a client without PKCE (RFC 9700 §4.7.1)');
    expect(flat).toContain('binds the code to this sign-in, so a code injected from another one fails (RFC 9700 §4.5)');
    // Step 2: RFC 8252 allows in-app browser tabs; the rule is "not an embedded web view".
    expect(flat).toContain('the system browser or an in-app browser tab (SFSafariViewController, Android Custom Tabs), never an embedded web view');
    // Step 5: a shared secret is the demo's simplification, not the recommendation.
    expect(flat).toContain('RFC 9700 §2.5 recommends asymmetric client authentication instead (private_key_jwt, or mTLS)');
    // Step 6: separate keys help only a verifier that pins them; typ and aud stop the cross-use, shown with real checks.
    expect(flat).toContain('Mock Google signs each kind of token with a key of its own (here RS256 and ES256, both at /jwks). That helps only a verifier that pins the key, or the algorithm, for each kind');
    expect(flat).not.toContain('can never pass');
    expect(result.stdout).toContain('Could the ID token be used at the API instead of the access token? Checked with jose against /jwks:');
    expect(flat).toContain('✗ accepted by an API that takes any key from /jwks and checks only signature, iss and exp: one of the keys fits, so the separate keys did not stop it');
    expect(flat).toContain('✓ rejected by an API that requires typ at+jwt (RFC 9068 §4): typ is "JWT", not "at+jwt" (jose: unexpected "typ" JWT header value)');
    expect(flat).toMatch(/✓ rejected by an API that requires its own aud: aud is "demo-app", not "http:\/\/127\.0\.0\.1:\d+\/userinfo" \(jose: unexpected "aud" claim value\)/);
    expect(flat).toMatch(/✓ rejected by an API that pins the access-token key \(kid \S+…\): the ID token is signed with another key/);
    // Step 7: the app checks that userinfo is about the user the ID token names.
    expect(result.stdout).toMatch(/✓ same sub +userinfo sub "104392857361829475620", ID token sub "104392857361829475620"/);
    // Step 8: what each defence stops, with the real token lifetimes.
    expect(flat).toContain('PKCE binds the code to the sign-in that made the verifier');
    expect(flat).toContain('state: for a client without PKCE, the defence against login CSRF');
    expect(flat).toContain('access tokens here live 15 minutes, codes 1 minute.');
    expect(flat).toContain('"expires_in": 900');
    expect(result.stdout).toContain('✓ nonce matches the one the app sent in step 1');
    expect(result.stdout).toContain('✓ VALID signature (RS256), typ, exp, iat, iss, aud checked');
    expect(result.stdout).toMatch(/▶ 7 .*GET \/userinfo/);
    expect(result.stdout).toContain('✓ The app never saw the password: it appears in none of the requests the app received or made.');
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ Signed in to Swaad as Asha Rao (asha@example.com).');
  });

  test('--flow code is the default: the same eight steps, the same outcome', async () => {
    const result = await runCli(['oauth', '--flow', 'code', '--auto']);
    expect(result.code).toBe(0);
    expect([...result.stdout.matchAll(/^Step (\d) of 8: /gm)].map((match) => match[1])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(result.stdout).toMatch(/^ *Browser +App \(Swaad\) +Mock Google$/m);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ Signed in to Swaad as Asha Rao (asha@example.com).');
  });

  test('--deny: access_denied comes back and the app handles it', async () => {
    const result = await runCli(['oauth', '--deny']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Step 3 of 8: Consent: you deny it');
    expect(result.stdout).toMatch(/error +access_denied/);
    // The recap describes what happened: no code, no tokens, steps 5 to 7 skipped.
    expect(result.stdout).not.toContain('Step 5 of 8');
    const flat = result.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('3 "User approves" → did not happen: you chose Deny in step 3');
    expect(flat).toContain('4 "Google sends an access token" → step 4 brought back error=access_denied: no code, so no tokens were ever issued');
    expect(flat).toContain('5 "App uses token" → nothing to use: steps 5 to 7 did not happen');
    expect(flat).not.toContain('steps 4 and 5: first a one-time code');
    expect(flat).not.toContain('steps 6 and 7');
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ Denied: the app received access_denied and showed "not signed in".');
  });

  test.each([
    ['stolen-code', 'invalid_grant', 'Stopped: single-use codes, and revocation of everything issued from a replayed code (RFC 6749 §4.1.2).'],
    ['no-pkce', 'PKCE is required for public clients and RECOMMENDED for confidential ones (RFC 9700 §2.1.1); Mock Google requires it of every client.', 'Stopped: PKCE. The code is bound to the sign-in that made the code_verifier; without it, even the client\'s credentials cannot redeem the code (RFC 7636 §4.6, RFC 9700 §4.5).'],
    ['csrf', 'The app checks state before it uses any code, so this is the check that stopped it here.', 'Stopped: state caught it first; PKCE would have stopped it anyway (Ravi\'s code with Asha\'s verifier: invalid_grant). RFC 9700 §4.7.1, §4.5.'],
    ['mix-up', 'iss check: a response from another provider is refused, the mix-up defence', 'Stopped: the iss response parameter (RFC 9207), checked by the app.'],
    ['attacker-redirect-uri', 'an attacker-supplied redirect_uri (RFC 9700 §4.1)', 'Stopped: exact redirect_uri matching, and an error page instead of a redirect (RFC 9700 §2.1, §4.1).'],
  ])('--attack %s is stopped, and says by what', async (attack, evidence, summary) => {
    const result = await runCli(['oauth', '--attack', attack]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Attack: ${attack}`);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(evidence);
    expect(result.stdout.trim().split('\n').at(-1)).toBe(`✓ ${summary}`);
  });

  test('--attack no-pkce does not claim that only the app can redeem a code', async () => {
    const flat = (await runCli(['oauth', '--attack', 'no-pkce'])).stdout.replace(/\s+/g, ' ');
    expect(flat).not.toContain('Only the app that made the code_verifier can redeem');
    expect(flat).toContain('For a confidential client like Swaad, the secret already keeps a thief who lacks it from redeeming a code; PKCE\'s main job there is to stop a code injected into the real app (RFC 9700 §4.5');
  });

  test('--attack csrf shows both defences: state refuses the callback, and PKCE refuses the attacker\'s code with the victim\'s verifier', async () => {
    const result = await runCli(['oauth', '--attack', 'csrf']);
    expect(result.code).toBe(0);
    const titles = [...result.stdout.matchAll(/^Step (\d) of 4: (.+)$/gm)].map((match) => match[2]);
    expect(titles).toEqual([
      'The attacker gets a code for the attacker\'s own account',
      'He makes Asha\'s browser open it',
      'The app refuses it: state caught it first',
      'Without the state check, PKCE would have stopped it',
    ]);
    expect(result.stdout).toContain('what an app without the state check would send (replayed by the demo):');
    expect(result.stdout).toContain('"error_description": "code_verifier does not match the code_challenge: this code belongs to another authorization request (RFC 7636 section 4.6)."');
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('state is the defence for a client without PKCE');
  });

  test('--attack open-redirect still works, as the old name of attacker-redirect-uri, and says why it was renamed', async () => {
    const result = await runCli(['oauth', '--attack', 'open-redirect']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('"open-redirect" is the old name of attacker-redirect-uri; an open redirector (RFC 9700 §4.11) is a different attack, explained at the end.');
    expect(result.stdout).toContain('Attack: attacker-redirect-uri (an authorization request with an attacker-supplied redirect_uri)');
    const flat = result.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('A different attack is an open redirector (RFC 9700 §4.11)');
    expect(flat).toContain('Only a native app\'s loopback address (http://127.0.0.1 or [::1]) may vary its port (RFC 8252 §7.3); localhost is NOT RECOMMENDED for it (§8.3).');
  });

  test('--help names the attacks and the alias', async () => {
    const result = await runCli(['oauth', '--help']);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('stolen-code, no-pkce, csrf, mix-up, attacker-redirect-uri (its old name open-redirect still works)');
  });

  test('an unknown attack exits 2', async () => {
    const result = await runCli(['oauth', '--attack', 'teleport']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: Unknown attack "teleport".\nChoose one of: stolen-code, no-pkce, csrf, mix-up, attacker-redirect-uri, refresh-reuse, device-phishing, stolen-dpop-token.\n');
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
    // The code flow's JSON is as it was: no lanes field.
    expect(json.steps.some((step: object) => 'lanes' in step)).toBe(false);
    // Step 6's cross-use checks and step 7's sub check are data too.
    expect(json.steps[5].checks[0].rows.map((row: { ok: boolean; result: string }) => `${row.ok} ${row.result}`)).toEqual(['false accepted', 'true rejected', 'true rejected', 'true rejected']);
    expect(json.steps[5].checks[0].rows[1].detail).toContain('typ is "JWT", not "at+jwt"');
    expect(json.steps[6].checks).toEqual([{ heading: 'The app checks the answer:', rows: [{ ok: true, result: 'same sub', detail: 'userinfo sub "104392857361829475620", ID token sub "104392857361829475620"' }] }]);
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
