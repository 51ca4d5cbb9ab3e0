// Keys that last: with keysFile, Mock Google keeps its signing keys in a 0600 file, so a token
// from one run verifies after a restart; rotation publishes a new key beside the old and keeps
// the old until its tokens expire (OIDC Core §10.1.1). A hostile file is refused, never used.

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { ProviderOptions, RunningProvider } from '../../src/provider/server.js';
import { basic, postForm, startTestProvider } from '../helpers/provider.js';

const DEMO_APP = { authorization: basic('demo-app', 'demo-secret') };
let folder: string;
let keysFile: string;
const started: RunningProvider[] = [];
let clock = 1_800_000_000_000;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'provider-keys-'));
  keysFile = join(folder, 'home', '.jwt-vs-oauth', 'provider-keys.json');
  clock = 1_800_000_000_000;
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((provider) => provider.close()));
  rmSync(folder, { recursive: true, force: true });
});

async function start(options: ProviderOptions = {}): Promise<RunningProvider> {
  const provider = await startTestProvider({ keysFile, nowMs: () => clock, ...options });
  started.push(provider);
  return provider;
}

async function accessToken(provider: RunningProvider): Promise<string> {
  const response = await postForm(`${provider.issuer}/token`, { grant_type: 'client_credentials' }, DEMO_APP);
  return response.body.access_token as string;
}

async function jwksOf(provider: RunningProvider): Promise<JSONWebKeySet> {
  return (await (await fetch(`${provider.issuer}/jwks`)).json()) as JSONWebKeySet;
}

const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

/** What a verifier that caches the JWKS does: the token's signature against a key set. */
async function verifiesWith(token: string, jwks: JSONWebKeySet, provider: RunningProvider): Promise<boolean> {
  return jwtVerify(token, createLocalJWKSet(jwks), { currentDate: new Date(clock), issuer: provider.issuer }).then(() => true, () => false);
}

async function introspect(provider: RunningProvider, token: string): Promise<boolean> {
  return (await postForm(`${provider.issuer}/introspect`, { token }, DEMO_APP)).body.active as boolean;
}

describe('keys kept in a file', () => {
  test('made on the first start (0600, its folder 0700), and a token from that run verifies after a restart', async () => {
    const first = await start();
    expect(first.keys).toMatchObject({ file: keysFile, origin: 'new', rotated: false });
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(folder, 'home', '.jwt-vs-oauth')).mode & 0o777).toBe(0o700);
    const token = await accessToken(first);
    await first.close();

    // The same port, so the same issuer: a token names its issuer, and it is checked.
    const second = await start({ port: first.port });
    expect(second.keys).toMatchObject({ origin: 'loaded', accessTokenKid: first.keys.accessTokenKid, idTokenKid: first.keys.idTokenKid });
    expect(await verifiesWith(token, await jwksOf(second), second)).toBe(true);
    expect(await introspect(second, token)).toBe(true);
  });

  test('without a keys file, every start makes new keys: the old token does not verify', async () => {
    const first = await startTestProvider();
    const token = await accessToken(first);
    await first.close();
    const second = await startTestProvider({ port: first.port });
    started.push(second);
    expect(await verifiesWith(token, await jwksOf(second), second)).toBe(false);
  });

  test('rotateKeys on a file made by this same start retires nothing: new keys have signed no token', async () => {
    const provider = await start({ rotateKeys: true });
    expect(provider.keys).toMatchObject({ origin: 'new', rotated: false, retiredKids: [] });
    const jwks = (await (await fetch(`${provider.issuer}/jwks`)).json()) as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(2);
  });

  test('two providers starting at once on a missing file keep one set of keys, and both sign with it', async () => {
    const [first, second] = await Promise.all([start({ port: 0 }), start({ port: 0 })]);
    const kids = async (provider: RunningProvider) => ((await (await fetch(`${provider.issuer}/jwks`)).json()) as JSONWebKeySet).keys.map((key) => key.kid).sort();
    expect(await kids(first)).toEqual(await kids(second));
    expect([first.keys.origin, second.keys.origin].sort()).toEqual(['loaded', 'new']);
  });

  test('the file holds what it says: two current private keys, named by use and alg', async () => {
    await start();
    const file = JSON.parse(readFileSync(keysFile, 'utf8'));
    expect(file).toMatchObject({ format: 'jwt-vs-oauth provider keys', version: 1 });
    expect(file.keys.map((key: { use: string; alg: string }) => `${key.use} ${key.alg}`)).toEqual(['idToken RS256', 'accessToken ES256']);
  });
});

describe('rotation', () => {
  test('rotateKeys(): a new key beside the old in /jwks; new tokens signed by it; the old token verifies until it expires, then its key goes', async () => {
    const provider = await start({ accessTokenTtl: 600 });
    const before = await accessToken(provider);
    const report = await provider.rotateKeys();
    expect(report.rotated).toBe(true);
    expect(report.retiredKids).toEqual([provider.keys.idTokenKid, provider.keys.accessTokenKid]);
    const published = (await jwksOf(provider)).keys.map((key) => key.kid);
    expect(published).toEqual([report.idTokenKid, report.accessTokenKid, ...report.retiredKids]);
    const after = await accessToken(provider);
    expect(kidOf(after)).toBe(report.accessTokenKid);
    expect(kidOf(before)).toBe(provider.keys.accessTokenKid);
    expect(await introspect(provider, before)).toBe(true);
    // Saved: a restart still publishes both.
    await provider.close();
    const restarted = await start({ accessTokenTtl: 600, port: provider.port });
    expect((await jwksOf(restarted)).keys).toHaveLength(4);
    expect(await introspect(restarted, before)).toBe(true);
    // A key kept in a file may have signed in an earlier run with longer-lived tokens: the retired
    // access-token key stays 24 h (the longest an access token may live), the ID token key its hour.
    clock += 3601_000;
    const later = (await jwksOf(restarted)).keys.map((key) => key.kid);
    expect(later).toContain(provider.keys.accessTokenKid);
    expect(later).not.toContain(provider.keys.idTokenKid);
    clock += 24 * 3600_000 - 3600_000;
    expect((await jwksOf(restarted)).keys.map((key) => key.kid)).not.toContain(provider.keys.accessTokenKid);
  });

  test('rotateKeys at start: the file gets the new keys, the last run\'s tokens still verify', async () => {
    const first = await start();
    const token = await accessToken(first);
    await first.close();
    const rotated = await start({ rotateKeys: true, port: first.port });
    expect(rotated.keys).toMatchObject({ origin: 'loaded', rotated: true });
    expect(rotated.keys.accessTokenKid).not.toBe(first.keys.accessTokenKid);
    expect(await verifiesWith(token, await jwksOf(rotated), rotated)).toBe(true);
    expect(JSON.parse(readFileSync(keysFile, 'utf8')).keys).toHaveLength(4);
  });

  test('asking for RS256 access tokens with an ES256 file rotates the access-token key only', async () => {
    const first = await start();
    await first.close();
    const second = await start({ accessTokenAlgorithm: 'RS256' });
    expect(second.keys).toMatchObject({ rotated: true, idTokenKid: first.keys.idTokenKid, retiredKids: [first.keys.accessTokenKid] });
    expect(second.state.keys.accessToken.alg).toBe('RS256');
  });
});

describe('a hostile keys file is refused with a clear error, never used', () => {
  async function refusal(prepare: () => void): Promise<InputError> {
    prepare();
    const error = await start().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('ERR_KEYS_FILE');
    return error as InputError;
  }
  const write = (text: string, mode = 0o600) => {
    keysFile = join(folder, 'keys.json');
    writeFileSync(keysFile, text, { mode });
    chmodSync(keysFile, mode);
  };

  test('not JSON: where it breaks, not what it holds', async () => {
    const error = await refusal(() => write('{"format": "jwt-vs-oauth provider keys", "keys": [ {"d": "SECRET"'));
    expect(error.message).toMatch(/keys\.json is not JSON: /);
    expect(error.message).not.toContain('SECRET');
  });

  test('JSON of another shape, or a key that is not a key', async () => {
    expect((await refusal(() => write('{"clients": []}'))).message).toContain('is not a keys file: expected {"format": "jwt-vs-oauth provider keys"');
    const notAKey = JSON.stringify({ format: 'jwt-vs-oauth provider keys', version: 1, keys: [{ use: 'idToken', alg: 'RS256', privateJwk: { kty: 'RSA', d: 'x' } }] });
    expect((await refusal(() => write(notAKey))).message).toContain('keys[0] that is not a usable RS256 private key');
  });

  test('a symbolic link', async () => {
    const error = await refusal(() => {
      write('{}');
      const link = join(folder, 'link.json');
      symlinkSync(keysFile, link);
      keysFile = link;
    });
    expect(error.message).toContain('is a symbolic link');
  });

  // Windows has no POSIX modes: the check is not made there, and the name says why this is skipped.
  test.skipIf(process.platform === 'win32')('readable or writable by others (POSIX file modes; skipped on Windows, which has none)', async () => {
    const error = await refusal(() => write('{}', 0o666));
    expect(error.message).toContain('can be read or written by others (mode 0666)');
    expect(error.hint).toContain('chmod 600');
  });

  test.skipIf(process.platform === 'win32')('the chmod hint quotes a path with spaces, so it pastes as one word (POSIX file modes; skipped on Windows)', async () => {
    const error = await refusal(() => {
      mkdirSync(join(folder, 'my keys'), { mode: 0o700 });
      keysFile = join(folder, 'my keys', 'keys.json');
      writeFileSync(keysFile, '{}', { mode: 0o644 });
      chmodSync(keysFile, 0o644);
    });
    expect(error.hint).toContain(`chmod 600 '${keysFile}'`);
  });

  test('huge', async () => {
    expect((await refusal(() => write(' '.repeat(300 * 1024)))).message).toContain('is larger than 256 KiB');
  });

  test('a folder where the file should be', async () => {
    expect((await refusal(() => {
      keysFile = join(folder, 'folder.json');
      mkdirSync(keysFile, { mode: 0o700 });
    })).message).toContain('is not a plain file');
  });
});
