// `jwt-vs-oauth provider` with keys that last (--keys-file, --no-keys-file, --rotate-keys), the
// device page and private_key_jwt clients in its banner and "started" line. Run in-process on a
// free port, one provider at a time (a SIGINT stops the one running).

import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, test } from 'vitest';
import { runCaptured } from '../../src/cli/main.js';
import { displayWidth, joinBrokenLines } from '../../src/text/layout.js';
import { freePort, waitUntilAnswering } from '../helpers/provider-cli.js';

const temporary = (name: string) => mkdtempSync(join(tmpdir(), `jwt-vs-oauth-provider-keys-${name}-`));

/**
 * Runs `provider --port <free port> ...args` until `during` is done, then Ctrl-C: its output, and
 * what `during` returned. With a home of its own, so no test touches the real one.
 */
async function runProvider<T>(args: string[], env: NodeJS.ProcessEnv, during: (issuer: string) => Promise<T> = async () => undefined as T) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const running = runCaptured(['provider', '--port', String(port), ...args], { env });
  let value: T;
  try {
    await waitUntilAnswering(`${issuer}/.well-known/openid-configuration`);
    value = await during(issuer);
  } finally {
    process.emit('SIGINT', 'SIGINT');
  }
  const result = await running;
  expect(result.code).toBe(130);
  return { ...result, value, issuer };
}

const startedLine = (stdout: string) => JSON.parse(stdout.split('\n')[0]!);

/** curl -u demo-app:demo-secret -d grant_type=client_credentials -d scope=orders:read <issuer>/token */
async function accessToken(issuer: string): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('demo-app:demo-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'orders:read' }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

const jwks = async (issuer: string) => (await (await fetch(`${issuer}/jwks`)).json()) as JSONWebKeySet;

/** Whether `token` verifies against this Mock Google's /jwks (its signature only: a later run has another issuer). */
async function verifiesAt(issuer: string, token: string): Promise<boolean> {
  try {
    await jwtVerify(token, createLocalJWKSet(await jwks(issuer)));
    return true;
  } catch {
    return false;
  }
}

describe('provider keys file', () => {
  test('the default file in the home folder: a token from one run verifies after a restart; --rotate-keys keeps the old keys at /jwks', async () => {
    const home = temporary('home');
    const env = { JWT_VS_OAUTH_HOME: home, NO_COLOR: '1' };
    const keysFile = join(home, 'provider-keys.json');

    const first = await runProvider(['--json'], env, accessToken);
    expect(startedLine(first.stdout)).toMatchObject({ event: 'started', keysFile, keysOrigin: 'new', keysRotated: false, retiredKids: [] });
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    const token = first.value;

    const second = await runProvider(['--json'], env, (issuer) => verifiesAt(issuer, token));
    expect(second.value).toBe(true);
    expect(startedLine(second.stdout)).toMatchObject({ keysFile, keysOrigin: 'loaded', keysRotated: false, retiredKids: [] });
    expect(startedLine(second.stdout).keys).toEqual(startedLine(first.stdout).keys);

    // Rotated: new kids sign, the two old ones stay published, so the old token still verifies.
    const rotated = await runProvider(['--rotate-keys', '--json'], env, async (issuer) => ({ kids: (await jwks(issuer)).keys.map((key) => key.kid), verifies: await verifiesAt(issuer, token) }));
    const started = startedLine(rotated.stdout);
    const oldKids = startedLine(first.stdout).keys.map((key: { kid: string }) => key.kid);
    const newKids = started.keys.map((key: { kid: string }) => key.kid);
    expect(started).toMatchObject({ keysFile, keysOrigin: 'loaded', keysRotated: true, retiredKids: oldKids });
    expect(newKids).not.toEqual(expect.arrayContaining([oldKids[0]]));
    expect(rotated.value.kids.sort()).toEqual([...oldKids, ...newKids].sort());
    expect(rotated.value.verifies).toBe(true);

    // The banner of a later start says where the keys are and that the old ones are still there.
    const banner = await runProvider([], { ...env, COLUMNS: '100' });
    expect(banner.stdout).toContain(`  keys file  ${keysFile} (loaded)\n             2 older keys still at /jwks until their tokens expire\n`);
    const rotatedBanner = await runProvider(['--rotate-keys'], { ...env, COLUMNS: '100' });
    expect(rotatedBanner.stdout).toContain(`  keys file  ${keysFile} (loaded, rotated)\n             4 older keys still at /jwks until their tokens expire\n`);
  });

  test('--keys-file names the file (made now, then loaded); --no-keys-file writes nothing and says so', async () => {
    const home = temporary('home');
    const keysFile = join(temporary('elsewhere'), 'class-keys.json');
    const made = await runProvider(['--keys-file', keysFile], { JWT_VS_OAUTH_HOME: home, COLUMNS: '100' });
    expect(made.stdout).toContain(`  keys file  ${keysFile} (made now)\n`);
    expect(made.stdout).not.toContain('older key');
    expect(existsSync(keysFile)).toBe(true);

    const none = await runProvider(['--no-keys-file', '--json'], { JWT_VS_OAUTH_HOME: home });
    expect(startedLine(none.stdout)).toMatchObject({ keysFile: null, keysOrigin: 'new', keysRotated: false, retiredKids: [] });
    const noneBanner = await runProvider(['--no-keys-file'], { JWT_VS_OAUTH_HOME: home, COLUMNS: '100' });
    expect(noneBanner.stdout).toContain('  keys file  none: new keys each start\n');
    expect(readdirSync(home)).toEqual([]);
  });

  test('--keys-file with no name: exit 2, one line', async () => {
    const result = await runCaptured(['provider', '--port', '0', '--keys-file', ''], { env: { JWT_VS_OAUTH_HOME: temporary('home') } });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'error: --keys-file: give a file name, or --no-keys-file for new keys each start.\n' });
  });

  test('--rotate-keys with --no-keys-file: exit 2, one line, nothing started', async () => {
    const home = temporary('home');
    const result = await runCaptured(['provider', '--port', '0', '--rotate-keys', '--no-keys-file'], { env: { JWT_VS_OAUTH_HOME: home } });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'error: --rotate-keys rotates the keys kept in a keys file; with --no-keys-file every start makes new keys anyway.\n' });
    expect(readdirSync(home)).toEqual([]);
  });

  const folder = temporary('bad');
  const badFiles: Array<[string, () => string, RegExp]> = [
    ['a symbolic link', () => {
      const target = join(folder, 'real.json');
      writeFileSync(target, '{}', { mode: 0o600 });
      symlinkSync(target, join(folder, 'link.json'));
      return join(folder, 'link.json');
    }, /^error: The provider's keys file .*link\.json is a symbolic link; a file of private keys must be the file itself, so nobody can point it elsewhere\.\nRemove the link; the provider then makes a new keys file there\.\n$/],
    ['readable by others (0644)', () => {
      writeFileSync(join(folder, 'open.json'), '{}');
      chmodSync(join(folder, 'open.json'), 0o644);
      return join(folder, 'open.json');
    }, /^error: The provider's keys file .*open\.json can be read or written by others \(mode 0644\); it holds private keys, so it must be 0600\.\nchmod 600 .*open\.json if you trust its contents, or remove it to make new keys\.\n$/],
    ['not JSON', () => {
      writeFileSync(join(folder, 'broken.json'), '{ nope', { mode: 0o600 });
      return join(folder, 'broken.json');
    }, /^error: The provider's keys file .*broken\.json is not JSON: .+\.\nRemove it to make new keys\.\n$/],
  ];
  test.each(badFiles)('a keys file that is %s: exit 2, one line and a hint, nothing started', async (_name, make, message) => {
    const port = await freePort();
    const result = await runCaptured(['provider', '--port', String(port), '--keys-file', make()], { env: { JWT_VS_OAUTH_HOME: temporary('home') } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    await expect(fetch(`http://127.0.0.1:${port}/jwks`)).rejects.toThrow();
  });
});

test('exercises start keeps its keys in the same file: a token got before a restart verifies after it', async () => {
  const env = { JWT_VS_OAUTH_HOME: temporary('learner') };
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const runExercise = async <T>(during: () => Promise<T>): Promise<T> => {
    const running = runCaptured(['exercises', 'start', 'oauth-access-token', '--port', String(port)], { env });
    let value: T;
    try {
      await waitUntilAnswering(`${issuer}/.well-known/openid-configuration`);
      value = await during();
    } finally {
      process.emit('SIGINT', 'SIGINT');
    }
    expect((await running).code).toBe(130);
    return value;
  };
  const token = await runExercise(() => accessToken(issuer));
  expect(statSync(join(env.JWT_VS_OAUTH_HOME, 'provider-keys.json')).mode & 0o777).toBe(0o600);
  expect(await runExercise(() => verifiesAt(issuer, token))).toBe(true);
});

describe('provider banner: keys file, devices, private_key_jwt clients', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const clientsFile = join(temporary('clients'), 'clients.json');
  writeFileSync(clientsFile, JSON.stringify({
    clients: [
      { client_id: 'kiosk', redirect_uris: ['http://127.0.0.1/callback'], jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'kiosk-1', use: 'sig', alg: 'ES256' }] } },
      { client_id: 'demo-spa', redirect_uris: ['http://127.0.0.1/callback'] },
    ],
  }));

  test.each([60, 100])('at COLUMNS=%i no line is wider; the keys file, devices and auto-approve rows are there', async (width) => {
    const home = temporary('home');
    // A first run makes the file, a second rotates it, so the third shows its older keys.
    await runProvider([], { JWT_VS_OAUTH_HOME: home });
    await runProvider(['--rotate-keys'], { JWT_VS_OAUTH_HOME: home });
    const { stdout, issuer } = await runProvider(['--auto-approve', '--clients', clientsFile], { JWT_VS_OAUTH_HOME: home, COLUMNS: String(width), NO_COLOR: '1' });
    const banner = stdout.slice(0, stdout.indexOf('Press Ctrl-C'));
    expect(banner.split('\n').filter((line) => displayWidth(line) > width), banner).toEqual([]);
    const joined = joinBrokenLines(banner).replace(/\s+/g, ' ');
    for (const expected of [
      `devices ${issuer}/device (where a user types a device's code)`,
      'mode auto-approve: /authorize answers at once, device codes are approved as issued; no pages',
      `keys file ${join(home, 'provider-keys.json')} (loaded)`,
      '2 older keys still at /jwks until their tokens expire',
      'kiosk confidential, private_key_jwt (1 key)',
      'demo-spa public (no secret; PKCE protects it)',
    ]) expect(joined, banner).toContain(expected);
    // The rows in order: devices after discovery, keys file after keys.
    const rows = [...banner.matchAll(/^ {2}(issuer|discovery|devices|mode|keys file|keys) /gm)].map((match) => match[1]);
    expect(rows).toEqual(['issuer', 'discovery', 'devices', 'mode', 'keys', 'keys file']);
  });

  test('--json: a client with keys and no secret is confidential, proving itself with private_key_jwt', async () => {
    const { stdout } = await runProvider(['--json', '--no-keys-file', '--clients', clientsFile], { JWT_VS_OAUTH_HOME: temporary('home') });
    expect(startedLine(stdout).clients).toEqual([
      { client_id: 'kiosk', client_secret: null, type: 'confidential', authentication: ['private_key_jwt'], redirect_uris: ['http://127.0.0.1/callback'], scopes: [] },
      { client_id: 'demo-spa', client_secret: null, type: 'public', authentication: [], redirect_uris: ['http://127.0.0.1/callback'], scopes: [] },
    ]);
  });

  test('--help names the keys flags, jwks for --clients, and device codes for --auto-approve', async () => {
    const help = (await runCaptured(['provider', '--help'], { env: { COLUMNS: '200' } })).stdout.replace(/\s+/g, ' ');
    for (const expected of [
      '--keys-file <file> keep the signing keys in this file (0600), so tokens verify after a restart (default: provider-keys.json in the home folder)',
      '--no-keys-file new keys each start, kept nowhere',
      '--rotate-keys sign with new keys from now on; the old ones stay at /jwks until their tokens expire',
      'jwks (public keys, for private_key_jwt)',
      'answer /authorize at once and approve each device code as it is issued (login_hint, else the first user)',
    ]) expect(help).toContain(expected);
  });
});
