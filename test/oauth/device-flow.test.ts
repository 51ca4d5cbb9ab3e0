// `oauth --flow device` without a terminal (the terminal plays the phone, Mock Google's clock moved
// on instead of waiting), --deny, --json, --transcript, and `--attack device-phishing`.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const titles = (stdout: string, total: number) => [...stdout.matchAll(new RegExp(`^Step (\\d) of ${total}: (.+)$`, 'gm'))].map((match) => `${match[1]} ${match[2]}`);
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('oauth --flow device', () => {
  test('--auto: seven steps, authorization_pending then tokens, the TV signed in', async () => {
    const started = Date.now();
    const result = await runCli(['oauth', '--flow', 'device', '--auto']);
    expect(result.code, result.stderr).toBe(0);
    // Two polling intervals of 5 s each are skipped on Mock Google's clock, not waited.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(titles(result.stdout, 7)).toEqual([
      '1 The TV app asks Mock Google for a code',
      '2 The TV shows the code and polls',
      '3 On your phone: the address and the code',
      '4 Sign in, and the consent page',
      '5 You allow it; the TV\'s next poll gets the tokens',
      '6 The TV calls the API and checks both answers',
      '7 Recap',
    ]);
    const text = flat(result.stdout);
    // Step 1: the device authorization answer, field by field.
    expect(result.stdout).toMatch(/→ POST http:\/\/127\.0\.0\.1:\d+\/device_authorization/);
    expect(result.stdout).toMatch(/user_code +[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4} +— short, for a person to type/);
    expect(text).toContain('client_id=swaad-tv scope=openid profile email');
    // Step 2: the first poll is pending.
    expect(result.stdout).toContain('"error": "authorization_pending"');
    expect(result.stdout).toMatch(/▶ 2 .*400 authorization_pending/);
    expect(text).toContain('without a person watching, the demo moves Mock Google\'s clock on 5 seconds instead of waiting');
    // Steps 3 and 4: the phone's pages, password masked.
    expect(result.stdout).toMatch(/→ POST http:\/\/127\.0\.0\.1:\d+\/device\/[A-Z]{8}\/login/);
    expect(result.stdout).toContain('password=••••••••');
    expect(result.stdout).not.toContain('mango-lassi-42');
    expect(text).toContain('"Device connected – Mock Google (local simulation)"');
    // Step 5: the tokens; step 6: the ID token verified (no nonce line), userinfo 200.
    expect(result.stdout).toMatch(/grant_type=urn:ietf:params:oauth:grant-type:device_code/);
    expect(result.stdout).toMatch(/▶ 5 .*200 \{access_token, id_token\}/);
    expect(result.stdout).toContain('✓ VALID signature (RS256), typ, exp, iat, iss, aud checked');
    expect(result.stdout).toMatch(/✓ aud +"swaad-tv" includes "swaad-tv"/);
    expect(result.stdout).not.toContain('nonce matches');
    // Step 4 names the code the page shows, with its warning; step 5 sends the answer, then polls.
    expect(text).toMatch(/The page names the device's client and its code, [A-Z]{4}-[A-Z]{4}, and warns: allow this only if you started it yourself/);
    expect(text).toContain('You chose Allow: your phone sends decision=allow, and Mock Google\'s page says "Device connected".');
    // Step 6 in the order it is told: the userinfo call, the ID token's checklist, then the same sub (OIDC Core §5.3.2).
    const six = result.stdout.slice(result.stdout.indexOf('Step 6 of 7'));
    expect(flat(six)).toContain('The TV calls userinfo with the access token, as a Bearer token (the exchange below). Before it greets you by name, it checks both answers it holds. First the ID token');
    const order = ['→ GET http', 'The app verifies the ID token:', 'The TV checks the userinfo answer:'].map((line) => six.indexOf(line));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(six).toMatch(/✓ same sub +userinfo sub "(\d+)", ID token sub "\1"/);
    expect(result.stdout).toContain('"name": "Asha Rao"');
    expect(text).toContain('What the protocol cannot stop: someone sending you their code (§5.4).');
    // The lanes are the device flow's own.
    expect(result.stdout).toMatch(/^ *TV app +Your phone +Mock Google$/m);
    expect(result.stdout).not.toMatch(/App \(Swaad\)/);
    expect(result.stderr).toMatch(/On your phone, you would open http:\/\/127\.0\.0\.1:\d+\/device and type [A-Z]{4}-[A-Z]{4}\./);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ The TV is signed in to Swaad as Asha Rao (asha@example.com); your password never reached it.');
  });

  test('--deny: the next poll gets access_denied, the TV stays signed out (exit 0)', async () => {
    const result = await runCli(['oauth', '--flow', 'device', '--deny']);
    expect(result.code, result.stderr).toBe(0);
    expect(titles(result.stdout, 7).map((title) => title.slice(2))).toEqual([
      'The TV app asks Mock Google for a code',
      'The TV shows the code and polls',
      'On your phone: the address and the code',
      'Sign in, and the consent page',
      'You deny it; the TV\'s next poll: access_denied',
      'Recap',
    ]);
    expect(result.stdout).toContain('decision=deny');
    expect(result.stdout).toContain('"error": "access_denied"');
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ Denied: the TV got access_denied at its next poll and stays signed out.');
  });

  test('--json: the steps with their exchanges\' statuses, and the outcome', async () => {
    const result = await runCli(['oauth', '--flow', 'device', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.outcome.ok).toBe(true);
    expect(json.steps.map((step: { number: number; total: number }) => `${step.number}/${step.total}`)).toEqual(['1/7', '2/7', '3/7', '4/7', '5/7', '6/7', '7/7']);
    const exchanges = json.steps.map((step: { exchanges: Array<{ method: string; url: string; status: number }> }) => step.exchanges.map((exchange) => `${exchange.method} ${new URL(exchange.url).pathname.replace(/[A-Z]{8}/, 'CODE')} ${exchange.status}`));
    expect(exchanges).toEqual([
      ['POST /device_authorization 200'],
      ['POST /token 400'],
      ['GET /device 200', 'POST /device 200'],
      ['POST /device/CODE/login 200'],
      ['POST /device/CODE/consent 200', 'POST /token 200'],
      ['GET /userinfo 200'],
      [],
    ]);
    expect(json.steps[5].verification).toEqual({ valid: true });
    expect(json.steps[5].checks[0].rows.map((row: { ok: boolean; result: string }) => `${row.ok} ${row.result}`)).toEqual(['true same sub']);
    // The diagram's lifelines, for a flow with lanes of its own: each with the name drawn.
    expect(json.steps[0].lanes).toEqual([{ id: 'device', name: 'TV app' }, { id: 'phone', name: 'Your phone' }, { id: 'provider', name: 'Mock Google' }]);
    expect(json.steps[0].facts.map((fact: { name: string }) => fact.name)).toEqual(['device_code', 'user_code', 'verification_uri', 'verification_uri_complete', 'expires_in', 'interval']);
  });

  test('--transcript: the TV\'s and the phone\'s exchanges, in order', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-device-')), 'device.jsonl');
    const result = await runCli(['oauth', '--flow', 'device', '--auto', '--transcript', file]);
    expect(result.code, result.stderr).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => `${line.who} ${line.request.method} ${new URL(line.request.url).pathname.replace(/[A-Z]{8}/, 'CODE')} ${line.response.status}`)).toEqual([
      'the TV app POST /device_authorization 200',
      'the TV app POST /token 400',
      'your phone\'s browser GET /device 200',
      'your phone\'s browser POST /device 200',
      'your phone\'s browser POST /device/CODE/login 200',
      'your phone\'s browser POST /device/CODE/consent 200',
      'the TV app POST /token 200',
      'the TV app GET /userinfo 200',
    ]);
    // The typed password is masked; the sign-in page itself lists the demo passwords on purpose.
    expect(lines.map((line) => JSON.stringify(line.request)).join('\n')).not.toContain('mango-lassi-42');
    expect(lines[4].request.body).toBe('email=asha%40example.com&password=%E2%80%A2%E2%80%A2%E2%80%A2');
  });
});

describe('oauth --attack device-phishing', () => {
  test('the consent page names the device and warns; Asha denies; the attacker gets access_denied', async () => {
    const result = await runCli(['oauth', '--attack', 'device-phishing']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Attack: device-phishing (a device flow started by an attacker, its user code sent to the victim)');
    expect(titles(result.stdout, 4)).toEqual([
      '1 The attacker starts a device flow',
      '2 He sends Asha the code; she signs in',
      '3 Asha reads the page and denies',
      '4 The attacker\'s poll: access_denied',
    ]);
    const text = flat(result.stdout);
    // The page's own words, read from the HTML Mock Google served.
    expect(text).toContain('"Swaad on your TV (swaad-tv, public) wants to access your Mock Google account from a device"');
    expect(text).toMatch(/"Only allow this if you started it yourself, on a device in front of you that shows the code [A-Z]{4}-[A-Z]{4}\. If someone sent you this code/);
    expect(text).toContain('Be clear about what stopped it: Asha, reading the page. Nothing in the protocol can tell her own TV from the attacker\'s laptop');
    expect(result.stdout).toContain('"error": "access_denied"');
    // The phone is Asha's: the lane says so, as the text and the exchanges do.
    expect(result.stdout).toMatch(/^ *Attacker +Asha's phone +Mock Google$/m);
    expect(result.stdout).not.toContain('Your phone');
    expect(result.stdout.trim().split('\n').at(-1)).toBe('✓ Stopped by Asha: the consent page named the device\'s client and warned about a code someone sent; she denied, and the attacker got access_denied (RFC 8628 §5.4).');
  });
});

describe('oauth --attack device-phishing --json', () => {
  test('lanes carry their names: Asha\'s phone, not "Your phone"', async () => {
    const result = await runCli(['oauth', '--attack', 'device-phishing', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).steps[0].lanes).toEqual([{ id: 'attacker', name: 'Attacker' }, { id: 'phone', name: 'Asha\'s phone' }, { id: 'provider', name: 'Mock Google' }]);
  });
});

describe('bad input', () => {
  test.each([
    [['--flow', 'nope'], 'error: Unknown flow "nope".\nChoose one of: code, device, client-credentials, refresh.\n'],
    [['--flow', 'device', '--attack', 'refresh-reuse'], 'error: --attack runs a scene of its own, with its own flow: leave out --flow.\n'],
    [['--flow', 'client-credentials', '--deny'], 'error: --deny refuses consent, and --flow client-credentials has no consent to refuse: no user takes part, the service gets a token for itself. Leave out --deny.\n'],
    [['--flow', 'refresh', '--deny'], 'error: --deny refuses consent, and --flow refresh has no consent to refuse: its sign-in is only the set-up. Leave out --deny.\n'],
  ])('oauth %j: one line, exit 2', async (args, stderr) => {
    const result = await runCli(['oauth', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(stderr);
  });
});
