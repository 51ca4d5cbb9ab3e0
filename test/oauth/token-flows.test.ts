// `oauth --flow client-credentials`, `oauth --flow refresh` and `oauth --attack refresh-reuse`,
// in-process without a terminal: the steps, the exchanges' statuses and bodies, the outcome, --json.

import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const titles = (stdout: string, total: number) => [...stdout.matchAll(new RegExp(`^Step (\\d) of ${total}: (.+)$`, 'gm'))].map((match) => `${match[1]} ${match[2]}`);
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('oauth --flow client-credentials', () => {
  test('a token for the service itself: sub = client_id, no refresh or ID token, the orders API takes it, userinfo does not', async () => {
    const result = await runCli(['oauth', '--flow', 'client-credentials']);
    expect(result.code, result.stderr).toBe(0);
    expect(titles(result.stdout, 4)).toEqual([
      '1 The service asks for a token for itself',
      '2 No user, no refresh token, no ID token',
      '3 The orders API checks the token and answers',
      '4 The same token at userinfo: there is no user',
    ]);
    const text = flat(result.stdout);
    expect(text).toContain('grant_type=client_credentials scope=orders:read orders:write');
    expect(result.stdout).toContain('authorization: Basic •••• (client_id:client_secret, base64)');
    expect(result.stdout).toContain('"scope": "orders:read orders:write"');
    expect(result.stdout).not.toContain('"refresh_token"');
    expect(result.stdout).not.toContain('"id_token"');
    expect(result.stdout).toMatch(/sub +"demo-app" +— Subject/);
    expect(result.stdout).toMatch(/✓ no refresh token +RFC 6749 §4\.4\.3: a refresh token SHOULD NOT be included/);
    expect(result.stdout).toMatch(/✓ no ID token +an ID token says who signed in, and nobody did/);
    // The orders API: a real verification, the scope, and the simplification said out loud.
    expect(result.stdout).toMatch(/→ GET http:\/\/127\.0\.0\.1:\d+\/orders/);
    expect(result.stdout).toContain('"caller": "demo-app"');
    expect(result.stdout).toMatch(/✓ passed +typ: "at\+jwt" as expected/);
    expect(result.stdout).toMatch(/✓ passed +scope: orders:read is granted/);
    expect(text).toContain('it cannot name other APIs in aud (RFC 8707 resource indicators would). So this orders API accepts that audience and relies on the scope.');
    // userinfo: 403, there is no user.
    expect(result.stdout).toContain('"error": "insufficient_scope"');
    expect(result.stdout).toMatch(/^ *Backend service +Mock Google +Orders API$/m);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ The back office got a token for itself (sub demo-app, scope orders:read orders:write), with no refresh token and no ID token; the orders API accepted it, userinfo did not.');
  });

  test('--json: four steps, their exchanges\' statuses', async () => {
    const json = JSON.parse((await runCli(['oauth', '--flow', 'client-credentials', '--json'])).stdout);
    expect(json.outcome.ok).toBe(true);
    expect(json.steps.map((step: { exchanges: Array<{ method: string; url: string; status: number }> }) => step.exchanges.map((exchange) => `${exchange.method} ${new URL(exchange.url).pathname} ${exchange.status}`))).toEqual([
      ['POST /token 200'], [], ['GET /orders 200'], ['GET /userinfo 403'],
    ]);
    expect(json.steps[1].checks[0].rows.map((row: { ok: boolean; result: string }) => `${row.ok} ${row.result}`)).toEqual(['true sub = client_id', 'true no refresh token', 'true no ID token']);
  });
});

describe('oauth --flow refresh', () => {
  test('sign in with offline_access, refresh (rotation), the new access token works, the old refresh token is no longer active', async () => {
    const result = await runCli(['oauth', '--flow', 'refresh']);
    expect(result.code, result.stderr).toBe(0);
    expect(titles(result.stdout, 4)).toEqual([
      '1 Asha signs in once, with offline_access',
      '2 Later: the app refreshes, and the refresh token rotates',
      '3 The new access token works at the API',
      '4 The old refresh token is no longer good',
    ]);
    const text = flat(result.stdout);
    expect(result.stdout).toContain('"scope": "openid profile email offline_access"');
    expect(result.stdout).toContain('grant_type=refresh_token');
    expect(result.stdout).toMatch(/✓ new access token/);
    expect(result.stdout).toMatch(/✓ new refresh token +rotated: the one sent is retired/);
    expect(result.stdout).toContain('"name": "Asha Rao"');
    expect(result.stdout).toMatch(/✓ old: not active/);
    expect(result.stdout).toMatch(/✓ new: active/);
    expect(result.stdout).toContain('"active": false');
    expect(text).toContain('sent only to the token endpoint and never to an API');
    expect(text).toContain('(RFC 9700 §4.14.2)');
    expect(result.stdout).toMatch(/^ *App \(Swaad\) +Mock Google +API \(userinfo\)$/m);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ Refreshed: a new access token and a new refresh token (rotation); the old refresh token is no longer active.');
  });

  test('--json: the exchanges of each step', async () => {
    const json = JSON.parse((await runCli(['oauth', '--flow', 'refresh', '--json'])).stdout);
    expect(json.outcome.ok).toBe(true);
    expect(json.steps.map((step: { exchanges: Array<{ method: string; url: string; status: number }> }) => step.exchanges.map((exchange) => `${exchange.method} ${new URL(exchange.url).pathname} ${exchange.status}`))).toEqual([
      ['POST /token 200'], ['POST /token 200'], ['GET /userinfo 200'], ['POST /introspect 200', 'POST /introspect 200'],
    ]);
  });
});

describe('oauth --attack refresh-reuse', () => {
  test('the stolen copy used after rotation: invalid_grant, and the app\'s current tokens die with it', async () => {
    const result = await runCli(['oauth', '--attack', 'refresh-reuse']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Attack: refresh-reuse (a stolen copy of a refresh token used after the app already rotated it)');
    expect(titles(result.stdout, 4)).toEqual([
      '1 Asha signs in; the attacker copies the refresh token',
      '2 The app refreshes: the refresh token rotates',
      '3 The attacker uses the stolen copy',
      '4 The app\'s own tokens stop working too',
    ]);
    expect(result.stdout).toContain('"error_description": "This refresh token was already used (it rotates on every use); as a precaution every token of this sign-in is now revoked."');
    expect(result.stdout).toContain('"error_description": "The refresh token was revoked."');
    expect(result.stdout).toMatch(/  ← 401/);
    expect(flat(result.stdout)).toContain('So it answers invalid_grant and revokes the whole family: every refresh token and access token of this sign-in (RFC 9700 §4.14.2).');
    expect(result.stdout).toMatch(/^ *App \(Swaad\) +Mock Google +Attacker$/m);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ Stopped: refresh token rotation with reuse detection. The reused token revoked the whole family, the app\'s current tokens included (RFC 9700 §4.14.2).');
  });

  test('--json: the statuses that show it stopped', async () => {
    const json = JSON.parse((await runCli(['oauth', '--attack', 'refresh-reuse', '--json'])).stdout);
    expect(json.outcome.ok).toBe(true);
    expect(json.steps.map((step: { exchanges: Array<{ status: number }> }) => step.exchanges.map((exchange) => exchange.status))).toEqual([[200], [200], [400], [400, 401]]);
  });
});
