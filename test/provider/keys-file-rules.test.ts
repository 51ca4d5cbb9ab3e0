// The keys file's rules beyond its shape: expired keys neither counted nor kept without bound, a
// retired key kept as long as any token it signed may live, and keys that do not belong (parts
// that do not match, one key for two kinds, a kid twice, a second name, an open folder) refused.

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { chmodSync, linkSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import type { ProviderOptions, RunningProvider } from '../../src/provider/server.js';
import { basic, postForm, startTestProvider } from '../helpers/provider.js';

let folder: string;
let keysFile: string;
let clock = 1_800_000_000_000;
const started: RunningProvider[] = [];

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'provider-keys-rules-'));
  keysFile = join(folder, 'keys.json');
  clock = 1_800_000_000_000;
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((provider) => provider.close()));
  chmodSync(folder, 0o700);
  rmSync(folder, { recursive: true, force: true });
});

async function start(options: ProviderOptions = {}): Promise<RunningProvider> {
  const provider = await startTestProvider({ keysFile, nowMs: () => clock, ...options });
  started.push(provider);
  return provider;
}

interface StoredFile { format: string; version: number; keys: { use: string; alg: string; privateJwk: Record<string, unknown>; retiredUntil?: number }[] }

/** A good keys file made by a provider, read back to be changed. */
async function goodFile(): Promise<StoredFile> {
  const provider = await start();
  await provider.close();
  return JSON.parse(readFileSync(keysFile, 'utf8')) as StoredFile;
}
const save = (file: StoredFile) => writeFileSync(keysFile, JSON.stringify(file), { mode: 0o600 });

async function refusal(): Promise<InputError> {
  const error = await start().then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).code).toBe('ERR_KEYS_FILE');
  return error as InputError;
}

async function accessToken(provider: RunningProvider): Promise<string> {
  const response = await postForm(`${provider.issuer}/token`, { grant_type: 'client_credentials' }, { authorization: basic('demo-app', 'demo-secret') });
  return response.body.access_token as string;
}
async function active(provider: RunningProvider, token: string): Promise<boolean> {
  const response = await postForm(`${provider.issuer}/introspect`, { token }, { authorization: basic('demo-app', 'demo-secret') });
  return response.body.active as boolean;
}
const nowSeconds = () => Math.floor(clock / 1000);

describe('how many keys, and for how long', () => {
  test('a file of many expired retired keys still loads: they are not counted', async () => {
    const file = await goodFile();
    for (let i = 0; i < 70; i++) file.keys.push({ ...file.keys[0]!, retiredUntil: nowSeconds() - 10 });
    save(file);
    const provider = await start();
    expect(provider.keys.retiredKids).toEqual([]);
  });

  test('a file an older version let grow past 64 live keys still loads: the retired keys that go last are kept', async () => {
    const file = await goodFile();
    for (let i = 0; i < 70; i++) file.keys.push({ ...(await goodFileKey()), retiredUntil: nowSeconds() + 100 + i });
    save(file);
    const provider = await start();
    expect(provider.keys.retiredKids).toHaveLength(62);
    // The eight that go first (within 107 s) are the ones left out: all 62 kept are still published then.
    clock += 107_000;
    expect(((await (await fetch(`${provider.issuer}/jwks`)).json()) as { keys: unknown[] }).keys).toHaveLength(2 + 62);
  });

  test('many rotations: the file keeps the newest retired keys, at most 64 keys, and the provider starts again', async () => {
    const provider = await start();
    let last = provider.keys;
    for (let i = 0; i < 33; i++) last = await provider.rotateKeys();
    const file = JSON.parse(readFileSync(keysFile, 'utf8')) as StoredFile;
    expect(file.keys.length).toBe(64);
    await provider.close();
    const again = await start({ port: provider.port });
    expect(again.keys.retiredKids).toHaveLength(62);
    // The newest kept: the keys retired by the last rotation.
    expect(again.keys.retiredKids).toEqual(expect.arrayContaining(last.retiredKids.slice(-2)));
  });

  test('a token issued under a 24 h lifetime in an earlier run still verifies after a rotation in a run with 15 minutes', async () => {
    const first = await start({ accessTokenTtl: 24 * 3600 });
    const token = await accessToken(first);
    await first.close();
    const second = await start({ rotateKeys: true, port: first.port });
    clock += 2 * 3600_000;
    expect(await active(second, token)).toBe(true);
  });
});

describe('keys that do not belong are refused, naming the key', () => {
  test('a private part from another key (d of another P-256 key)', async () => {
    const file = await goodFile();
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    file.keys[1]!.privateJwk.d = other.d;
    save(file);
    expect((await refusal()).message).toContain('has keys[1] whose private and public parts do not belong together');
  });

  test('one key for both kinds (RFC 8725 §3.12)', async () => {
    const file = await goodFile();
    file.keys[1] = { use: 'accessToken', alg: 'RS256', privateJwk: file.keys[0]!.privateJwk };
    save(file);
    expect((await refusal()).message).toContain('has keys[1] (accessToken) and keys[0] (idToken) with the same key; each kind of token needs its own key (RFC 8725 §3.12)');
  });

  test('the same key twice, so its kid twice in /jwks (RFC 7517 §4.5)', async () => {
    const file = await goodFile();
    file.keys.push({ ...file.keys[0]!, retiredUntil: nowSeconds() + 100 });
    save(file);
    expect((await refusal()).message).toMatch(/has keys\[2\] and keys\[0\] with the same key \(kid .+\); a kid must name one key in \/jwks/);
  });

  test('retired until later than any token it signed may live', async () => {
    const file = await goodFile();
    file.keys.push({ ...(await goodFileKey()), retiredUntil: nowSeconds() + 10 * 365 * 86_400 });
    save(file);
    expect((await refusal()).message).toContain('has keys[2] retired until');
  });
});

/** A fresh P-256 access-token key entry. */
async function goodFileKey(): Promise<StoredFile['keys'][number]> {
  return { use: 'accessToken', alg: 'ES256', privateJwk: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Record<string, unknown> };
}

describe.skipIf(process.platform === 'win32')('files others could reach (POSIX; skipped on Windows, which has no modes or hard-link counts here)', () => {
  test('a second name (a hard link)', async () => {
    save(await goodFile());
    linkSync(keysFile, join(folder, 'other-name.json'));
    expect((await refusal()).message).toContain('has 2 names (hard links)');
  });

  test('a folder others may write to', async () => {
    save(await goodFile());
    chmodSync(folder, 0o777);
    expect((await refusal()).message).toContain('is in a folder others can change');
  });
});
