// Hostile tokens and flags against the JWT workbench: terminal escapes in every field, prototype
// keys, JSON nested thousands deep, a crit header, and --save-key against existing files and links.

import { createHmac } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { base64url, rawToken, runBin, runCli } from '../helpers/cli.js';

const NOW = 1_800_000_000;
const SECRET = 's'.repeat(32);
const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-hardening-'));

/** Every character terminalSafe escapes, except the newline that separates our own lines. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]/;

function signedToken(header: Record<string, unknown>, payload: unknown, secret = SECRET): string {
  const input = `${base64url(header)}.${base64url(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

function expectNoCrash(result: { code: number; stderr: string }) {
  expect(result.stderr).not.toContain('This is a bug');
  expect(result.stderr).not.toContain('something unexpected');
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('terminal escape injection: everything from the token is shown escaped', () => {
  const header = { alg: 'HS256', typ: 'JWT\u202e', kid: '\u001b[8m', 'x-\u009b31m': 'bell\u0007' };
  const payload = {
    sub: 'asha',
    iss: 'https://issuer.example/\u001b[2J',
    aud: ['api\u2066'],
    exp: NOW + 600,
    '\r': 1,
    '\u001b]0;title\u0007': 'set the window title',
    '\u202eevil': 'reversed',
    'line\u2028paragraph\u2029': 'c1\u0085\u009f del\u007f',
  };
  const token = signedToken(header, payload);
  // Names are shown escaped; values as JSON, whose own escapes (\u001b) are as safe.
  const ESCAPED = ['\\r ', '\\x1b]0;title\\x07', '\\u202eevil', 'x-\\x9b31m', '"\\u001b[8m"', '"bell\\u0007"', '"JWT\\u202e"', '"https://issuer.example/\\u001b[2J"', '["api\\u2066"]'];

  test('decode: no raw control character, the escaped forms instead', async () => {
    const result = await runCli(['decode', token], { now: NOW, env: { NO_COLOR: '1' } });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    for (const escaped of ESCAPED) expect(result.stdout).toContain(escaped);
    // An issuer that is not a plain URL is never offered as a command to copy.
    expect(result.stdout).not.toContain('--discover');
  });

  test('decode --json keeps the exact values, with no raw control character either', async () => {
    const result = await runCli(['decode', '--json', token], { now: NOW });
    // JSON.stringify leaves bidi controls, U+2028/2029, C1 and DEL raw; they are written as \uXXXX.
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toContain('"line\\u2028paragraph\\u2029": "c1\\u0085\\u009f del\\u007f"');
    const json = JSON.parse(result.stdout);
    expect(json.header).toEqual(header);
    expect(json.payload).toEqual(payload);
  });

  test('verify with the right key: escaped, and valid', async () => {
    const result = await runCli(['verify', token, '--secret', SECRET, '--iss', payload.iss], { now: NOW, env: { NO_COLOR: '1' } });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toContain(`the token's kid "\\x1b[8m" is not checked: this key has none`);
    expect(result.stdout).toContain('✓ iss        "https://issuer.example/\\u001b[2J" as expected');
    expect(result.stdout).toContain('["api\\u2066"]');
  });

  test('verify --json keeps the exact values, with no raw control character either', async () => {
    const result = await runCli(['verify', token, '--secret', SECRET, '--json'], { now: NOW });
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const json = JSON.parse(result.stdout);
    expect(json.header).toEqual(header);
    expect(json.payload).toEqual(payload);
    expect(json.payload['\u001b]0;title\u0007']).toBe('set the window title');
  });

  test('a token signed with the wrong key cannot hide the ✗ lines or fake a ✓ VALID verdict', async () => {
    const fake = '\r\u001b[2K  ✓ VALID signed by an HMAC shared secret and every check passed\n\u001b[8m';
    const forged = signedToken({ alg: 'HS256', kid: fake }, { sub: 'asha', exp: NOW + 600, [fake]: fake }, 'not-the-secret'.repeat(3));
    const result = await runCli(['verify', forged, '--secret', SECRET], { now: NOW, env: { NO_COLOR: '1' } });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const lines = result.stdout.split('\n');
    expect(lines.some((line) => /^\s*✓ VALID/.test(line))).toBe(false);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}✗ signature {2}the signature does not match/));
    expect(lines.filter((line) => /^\s*[✓✗] (VALID|INVALID)/.test(line))).toEqual([expect.stringMatching(/^✗ INVALID the signature does not match/)]);
  });

  test('mint: what it says on stderr is escaped too', async () => {
    const result = await runCli(['mint', '--secret', SECRET, '--kid', '\u001b[8m', '--payload', JSON.stringify({ '\u001b]0;t\u0007': 1 }), '--claim', '\u202ename=x', '--header', 'x\r=1'], { now: NOW, env: { NO_COLOR: '1' } });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    const decoded = JSON.parse((await runCli(['decode', '--json', result.stdout.trim()], { now: NOW })).stdout);
    expect(decoded.header).toMatchObject({ kid: '\u001b[8m', 'x\r': 1 });
    expect(decoded.payload).toMatchObject({ '\u001b]0;t\u0007': 1, '\u202ename': 'x' });
  });

  test('error messages that quote the token are escaped', async () => {
    const result = await runCli(['decode', `${base64url('\u202e\u001b[8mnot json')}.${base64url({})}.c2ln`], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: The header is not JSON: it decodes to "\\u202e\\x1b[8mnot json".\n');
  });
});

describe('mint --header crit is refused clearly', () => {
  test.each([['crit=["x"]'], ['crit=["b64"]'], ['crit=[]'], ['crit=x']])('--header %s', async (value) => {
    const result = await runCli(['mint', '--secret', SECRET, '--header', value], { now: NOW });
    expectNoCrash(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --header cannot set "crit": it lists header extensions that every verifier must understand/);
    expect(result.stdout).toBe('');
  });

  test('a claim jose refuses to sign (a non-finite nbf) is a clear input error', async () => {
    const result = await runCli(['mint', '--secret', SECRET, '--payload', '{"nbf":1e999}'], { now: NOW });
    expectNoCrash(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: jose refused to sign this token: "nbf" claim must be a finite number.\n');
  });
});

describe('verify: a token with crit', () => {
  test('is rejected for its unknown critical extension, its valid signature still shown as valid, names escaped', async () => {
    const token = signedToken({ alg: 'HS256', crit: ['x\u001b[8m'], 'x\u001b[8m': 1 }, { sub: 'asha', exp: NOW + 600 });
    const result = await runCli(['verify', token, '--secret', SECRET], { now: NOW, env: { NO_COLOR: '1' } });
    expectNoCrash(result);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toContain('  ✗ crit       the token marks "x\\u001b[8m" as critical extensions; this verifier understands none, so it must reject the token (RFC 7515 §4.1.11) [ERR_JOSE_NOT_SUPPORTED]');
    expect(result.stdout).toContain('  ✓ signature  valid HS256 signature');
    expect(result.stdout).toContain('✗ INVALID the token marks "x\\u001b[8m" as critical extensions');
  });

  test.each([[[]], ['x'], [[1]], [['']]])('a malformed crit %j is rejected as such', async (crit) => {
    const token = signedToken({ alg: 'HS256', crit }, { sub: 'asha', exp: NOW + 600 });
    const result = await runCli(['verify', token, '--secret', SECRET, '--json'], { now: NOW });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).verdict).toBe('invalid: crit must be a non-empty list of header parameter names (RFC 7515 §4.1.11)');
  });
});

describe('prototype keys are ordinary keys', () => {
  test('mint --payload with "__proto__" mints it as an ordinary claim, and verify accepts it', async () => {
    const minted = await runCli(['mint', '--secret', SECRET, '--payload', '{"__proto__":{"a":1}}', '--claim', 'constructor=2', '--header', '__proto__=3', '--json'], { now: NOW });
    expectNoCrash(minted);
    expect(minted.code).toBe(0);
    const { token } = JSON.parse(minted.stdout);
    const [encodedHeader, encodedPayload] = token.split('.');
    expect(Buffer.from(encodedHeader, 'base64url').toString()).toContain('"__proto__":3');
    expect(Buffer.from(encodedPayload, 'base64url').toString()).toContain('"__proto__":{"a":1}');
    expect(Buffer.from(encodedPayload, 'base64url').toString()).toContain('"constructor":2');
    const verified = await runCli(['verify', token, '--secret', SECRET, '--require', '__proto__', '--json'], { now: NOW });
    expect(verified.code).toBe(0);
  });

  test('verify --require constructor is not satisfied by Object.prototype', async () => {
    const token = signedToken({ alg: 'HS256' }, { sub: 'asha', exp: NOW + 600 });
    for (const claim of ['constructor', '__proto__', 'toString']) {
      const result = await runCli(['verify', token, '--secret', SECRET, '--require', claim, '--json'], { now: NOW });
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).verdict).toBe(`invalid: the ${claim} claim is required but missing`);
    }
  });
});

describe('JSON nested too deep fails with exit 2, never a stack overflow', () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const deepToken = (part: 'header' | 'payload', depth: number) => part === 'header'
    ? `${base64url(`{"alg":"HS256","x":${nested(depth)}}`)}.${base64url({ sub: 'asha' })}.c2ln`
    : `${base64url({ alg: 'HS256' })}.${base64url(`{"sub":"asha","x":${nested(depth)}}`)}.c2ln`;

  test.each([
    ['decode', 'header'], ['decode', 'payload'], ['verify', 'header'], ['verify', 'payload'],
  ] as const)('%s with a %s nested 5 000 deep', async (command, part) => {
    const args = command === 'decode' ? ['decode', '-'] : ['verify', '-', '--secret', SECRET];
    const result = await runCli(args, { stdin: deepToken(part, 5000), now: NOW });
    expectNoCrash(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: The ${part} nests arrays or objects more than 64 levels deep; no real token needs that.\n`);
  });

  test('64 levels are fine, 65 are not', async () => {
    // The payload object is level 1, "x" holds the other 63.
    expect((await runCli(['decode', '--json', deepToken('payload', 63)], { now: NOW })).code).toBe(0);
    expect((await runCli(['decode', '--json', deepToken('payload', 64)], { now: NOW })).code).toBe(2);
  });

  test.each([
    ['--payload', ['--payload', `{"x":${nested(5000)}}`], 'error: --payload nests arrays or objects more than 64 levels deep; no real token needs that.'],
    ['--claim', ['--claim', `x=${nested(5000)}`], 'error: --claim x nests arrays or objects more than 64 levels deep; no real token needs that.'],
    ['--header', ['--header', `x=${nested(5000)}`], 'error: --header x nests arrays or objects more than 64 levels deep; no real token needs that.'],
  ])('mint %s nested 5 000 deep', async (_flag, flags, message) => {
    const result = await runCli(['mint', '--secret', SECRET, ...flags], { now: NOW });
    expectNoCrash(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${message}\n`);
  });

  test('mint --payload @file nested 5 000 deep', async () => {
    const path = join(folder, 'deep.json');
    writeFileSync(path, `{"x":${nested(5000)}}`);
    const result = await runCli(['mint', '--secret', SECRET, '--payload', `@${path}`], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: --payload file ${path} nests arrays or objects more than 64 levels deep; no real token needs that.\n`);
  });
});

describe('--save-key creates new files only', () => {
  const mintSaving = (path: string, alg = 'ES256') => runCli(['mint', '--alg', alg, '--save-key', path], { now: NOW });

  test('an empty path is refused with exit 2', async () => {
    const result = await mintSaving('');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --save-key needs a file name; it was empty\.\n/);
    expect(result.stdout).toBe('');
  });

  test('an existing file is never overwritten', async () => {
    const path = join(folder, 'taken.json');
    writeFileSync(path, 'keep me');
    const result = await mintSaving(path);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/taken.json already exists; --save-key never overwrites anything\./);
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    expect(existsSync(join(folder, 'taken.pub.json'))).toBe(false);
    expect(result.stdout).toBe('');
  });

  test('a dangling symbolic link is refused, and nothing is created where it points', async () => {
    const target = join(folder, 'link-target.json');
    const link = join(folder, 'dangling.json');
    symlinkSync(target, link);
    const result = await mintSaving(link);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('dangling.json is a symbolic link; --save-key never overwrites anything.');
    expect(existsSync(target)).toBe(false);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  test('when the public key file cannot be created, the private key file is removed again', async () => {
    const path = join(folder, 'half.json');
    const publicTarget = join(folder, 'elsewhere.pub.json');
    symlinkSync(publicTarget, join(folder, 'half.pub.json'));
    const result = await mintSaving(path);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(folder, 'half.pub.json')} is a symbolic link`);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(publicTarget)).toBe(false);
  });

  test('a folder that does not exist is a clear error', async () => {
    const result = await mintSaving(join(folder, 'no-such-folder', 'me.json'));
    expectNoCrash(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Cannot create .*no-such-folder\/me\.json \(--save-key\): its folder does not exist \(create it first\)\./);
  });

  test('a folder given as the file says so, with an example', async () => {
    const result = await mintSaving(folder);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: ${folder} is a folder; --save-key never overwrites anything.\nGive a file name, for example ${folder}/key.json.\n`);
  });

  test('the private key is created with mode 0600, the public key beside it', async () => {
    const path = join(folder, 'fresh.json');
    const result = await mintSaving(path);
    expect(result.code).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(folder, 'fresh.pub.json'), 'utf8')).d).toBeUndefined();
  });

  test('an HS256 secret is saved as one file', async () => {
    const path = join(folder, 'secret.json');
    const result = await mintSaving(path, 'HS256');
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8')).kty).toBe('oct');
    expect(existsSync(join(folder, 'secret.pub.json'))).toBe(false);
  });
});

test('a raw token of the hostile header alone is still decoded', async () => {
  const result = await runCli(['decode', rawToken({ alg: '\u001b[31mHS256' }, {})], { now: NOW, env: { NO_COLOR: '1' } });
  expect(result.code).toBe(0);
  expect(result.stdout).not.toMatch(RAW_CONTROL);
  expect(result.stdout).toContain('\\x1b[31mHS256');
});

describe('durations and instants have a sensible range', () => {
  const SECRET = 'a'.repeat(64);
  test.each([
    [['mint', '--secret', SECRET, '--exp', '9999999999999999999999d'], 'error: --exp: "9999999999999999999999d" is longer than 100 years.'],
    [['mint', '--secret', SECRET, '--nbf', '36501d'], 'error: --nbf: "36501d" is longer than 100 years.'],
    [['verify', 'x.y.z', '--secret', SECRET, '--at', '99999999999999999999'], 'error: --at: "99999999999999999999" is after the year 9999.'],
    [['provider', '--port', '0', '--access-token-ttl', '0'], 'error: --access-token-ttl: 0 s is outside 10s to 24h.'],
    [['provider', '--port', '0', '--access-token-ttl', '2d'], 'error: --access-token-ttl: 172800 s is outside 10s to 24h.'],
  ])('%j exits 2 with one clear line and a hint', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(2);
  });

  test('100 years is still accepted, and shown as a date', async () => {
    const token = (await runCli(['mint', '--secret', SECRET, '--exp', '36500d'])).stdout.trim();
    const decoded = await runCli(['decode', token]);
    expect(decoded.code).toBe(0);
    expect(decoded.stdout).not.toContain('not a valid date');
  });
});

describe("commander's own errors quote argv escaped", () => {
  test.each([
    [['decode', '--bogus\u001b[31m'], "error: unknown option '--bogus\\x1b[31m'\n"],
    [['mint', '--jsn\u202e'], "error: unknown option '--jsn\\u202e'\n(Did you mean --json?)\n"],
    [['exercises', 'list', '--all\r\u009b8m'], "error: unknown option '--all\\r\\x9b8m'\n"],
    [['verify', '--timeout'], "error: option '--timeout <duration>' argument missing\n"],
  ])('%j', async (argv, stderr) => {
    const result = await runCli(argv, { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(stderr);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });

  test('the built bin, as a user runs it', () => {
    const result = runBin(['decode', '--bogus\u001b[31m']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: unknown option '--bogus\\x1b[31m'\n");
  });
});

describe('a --payload file that is not JSON', () => {
  test('is reported by line and column, never quoted (it may be a file that is not the learner\'s to show)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-payload-')), 'secrets.txt');
    writeFileSync(file, 'root:x:0:0:root:/root:/bin/bash\n');
    const result = await runCli(['mint', '--payload', `@${file}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: --payload file ${file} is not valid JSON at line 1, column 1.\n`);
    expect(result.stderr).not.toContain('root:x');
  });
});
