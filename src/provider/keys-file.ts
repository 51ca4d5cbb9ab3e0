// Keys that last: the provider's signing keys kept in a file (0600, written atomically), so the
// tokens of one run still verify after a restart, and rotated keys stay published until their
// tokens expire. A keys file holds private keys: one that others could read or change, a link,
// or anything but the expected JSON is refused with a message saying why, never used.

import { randomBytes, sign, verify } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, realpath, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join, parse, sep } from 'node:path';
import { InputError } from '../errors.js';
import { describeInvalidJson } from '../text/json-error-position.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { ACCESS_TOKEN_ALGORITHMS, createProviderKeys, ID_TOKEN_ALGORITHM, LONGEST_TOKEN_LIFETIMES, signingKeyFromJwk, type AccessTokenAlgorithm, type ProviderKeys, type RetiredKey, type SigningKey, type TokenKind } from './signing.js';
import { readOpenFileAtMost } from '../jwt/keys.js';

/** What a keys file says it is, so another JSON file given by mistake is named as such. */
export const KEYS_FILE_FORMAT = 'jwt-vs-oauth provider keys';
/** Two current keys and a few retired ones take some 10 KB: 256 KiB is room for any real file, and a ceiling. */
export const MAX_KEYS_FILE_BYTES = 256 * 1024;
/** Keys a file may hold, expired retired keys not counted; a save keeps the newest retired keys within it. */
const MAX_KEYS_IN_FILE = 64;

interface StoredKey {
  use: TokenKind;
  alg: SigningKey['alg'];
  privateJwk: Record<string, unknown>;
  /** Retired keys only: seconds since 1970 when they go. */
  retiredUntil?: number;
}

function keysFileError(path: string, problem: string, hint?: string): InputError {
  return new InputError('ERR_KEYS_FILE', `The provider's keys file ${terminalSafe(path)} ${problem}`, hint);
}

/**
 * The file's text, or undefined when there is none yet. Refused: a symbolic link (O_NOFOLLOW,
 * so a link swapped in later is refused too), anything but a plain file, a file of another user,
 * one that others may read or write, one over MAX_KEYS_FILE_BYTES.
 */
async function readKeysFileText(path: string): Promise<string | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw keysFileError(path, 'is a symbolic link; a file of private keys must be the file itself, so nobody can point it elsewhere.', 'Remove the link; the provider then makes a new keys file there.');
    throw keysFileError(path, `cannot be opened (${code ?? (error as Error).message}).`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw keysFileError(path, 'is not a plain file.');
    // A hard link: another name, perhaps in a folder others control, reaches the same keys.
    if (stats.nlink > 1) throw keysFileError(path, `has ${stats.nlink} names (hard links); a file of private keys must have one, so nobody can reach it by another.`, 'Remove the other names, or remove it to make new keys.');
    if (process.platform !== 'win32') {
      if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) throw keysFileError(path, 'belongs to another user; it holds private keys, so only its owner may use it.');
      if ((stats.mode & 0o077) !== 0) {
        throw keysFileError(path, `can be read or written by others (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}); it holds private keys, so it must be 0600.`, `chmod 600 ${shellWord(path)} if you trust its contents, or remove it to make new keys.`);
      }
    }
    const text = await readOpenFileAtMost(handle, MAX_KEYS_FILE_BYTES);
    if (text === undefined) throw keysFileError(path, `is larger than ${MAX_KEYS_FILE_BYTES / 1024} KiB; a keys file is a few kilobytes.`);
    return text;
  } finally {
    await handle.close();
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The stored keys, each checked for its shape (the keys themselves are checked when imported). */
function parseKeysFile(path: string, text: string): StoredKey[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Only the place of the error: the file holds private keys.
    throw keysFileError(path, `is not JSON: ${describeInvalidJson(text)}.`, 'Remove it to make new keys.');
  }
  if (!isObject(json) || json.format !== KEYS_FILE_FORMAT || json.version !== 1 || !Array.isArray(json.keys)) {
    throw keysFileError(path, `is not a keys file: expected {"format": "${KEYS_FILE_FORMAT}", "version": 1, "keys": [ … ]}.`, 'Name another file, or remove this one to make new keys there.');
  }
  return json.keys.map((entry: unknown, index: number) => {
    const where = `keys[${index}]`;
    if (!isObject(entry)) throw keysFileError(path, `has ${where} that is not an object.`);
    const { use, alg, privateJwk, retiredUntil } = entry;
    if (use !== 'idToken' && use !== 'accessToken') throw keysFileError(path, `has ${where} whose "use" is not "idToken" or "accessToken".`);
    const algorithms: readonly string[] = use === 'idToken' ? [ID_TOKEN_ALGORITHM] : ACCESS_TOKEN_ALGORITHMS;
    if (typeof alg !== 'string' || !algorithms.includes(alg)) throw keysFileError(path, `has ${where} whose "alg" is not ${algorithms.join(' or ')}.`);
    if (!isObject(privateJwk) || typeof privateJwk.d !== 'string') throw keysFileError(path, `has ${where} whose "privateJwk" is not a private JWK.`);
    if (retiredUntil !== undefined && (typeof retiredUntil !== 'number' || !Number.isSafeInteger(retiredUntil))) throw keysFileError(path, `has ${where} whose "retiredUntil" is not a time in seconds.`);
    return { use, alg: alg as SigningKey['alg'], privateJwk, ...(retiredUntil !== undefined && { retiredUntil }) };
  });
}

/** A key that signs and verifies a test message: its private and public parts belong together. */
function signsAndVerifies(key: SigningKey): boolean {
  const message = Buffer.from('jwt-vs-oauth keys file check');
  try {
    return verify('sha256', message, key.publicKey, sign('sha256', message, key.privateKey));
  } catch {
    return false;
  }
}

async function importStoredKeys(path: string, stored: StoredKey[], nowSeconds: number): Promise<ProviderKeys> {
  // A retired key whose tokens have all expired is not even imported, nor counted. Beyond the
  // ceiling (a file an older version let grow), the retired keys that go first are left out.
  const entries = [...stored.entries()];
  const currentEntries = entries.filter(([, entry]) => entry.retiredUntil === undefined);
  const retiredEntries = entries.filter(([, entry]) => entry.retiredUntil !== undefined && entry.retiredUntil > nowSeconds)
    .sort(([one, first], [other, second]) => second.retiredUntil! - first.retiredUntil! || other - one)
    .slice(0, Math.max(0, MAX_KEYS_IN_FILE - currentEntries.length));
  const live = [...currentEntries, ...retiredEntries].sort(([one], [other]) => one - other);
  const current: Partial<Record<TokenKind, SigningKey>> = {};
  const retired: RetiredKey[] = [];
  const kinds = new Map<string, { index: number; use: TokenKind }>();
  for (const [index, entry] of live) {
    let key: SigningKey;
    try {
      key = await signingKeyFromJwk(entry.alg, entry.privateJwk);
    } catch (error) {
      throw keysFileError(path, `has keys[${index}] that is not a usable ${entry.alg} private key (${(error as Error).message}).`, 'Remove the file to make new keys.');
    }
    const fits = entry.alg === 'RS256' ? key.privateKey.asymmetricKeyType === 'rsa' && (key.privateKey.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048 : key.privateKey.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    if (!fits) throw keysFileError(path, `has keys[${index}] that is not a${entry.alg === 'RS256' ? 'n RSA key of 2048 bits or more' : ' P-256 key'}, as ${entry.alg} needs.`);
    // Its public part is derived from "d"'s companions; a mismatch would sign what nothing verifies.
    if (!signsAndVerifies(key)) throw keysFileError(path, `has keys[${index}] whose private and public parts do not belong together (a test message signed with it does not verify).`, 'Remove the file to make new keys.');
    // RFC 8725 §3.12: one key per kind of token; RFC 7517 §4.5: a kid names one key in /jwks.
    const seen = kinds.get(key.kid);
    if (seen) {
      throw keysFileError(path, seen.use === entry.use
        ? `has keys[${index}] and keys[${seen.index}] with the same key (kid ${key.kid}); a kid must name one key in /jwks (RFC 7517 §4.5).`
        : `has keys[${index}] (${entry.use}) and keys[${seen.index}] (${seen.use}) with the same key; each kind of token needs its own key (RFC 8725 §3.12).`, 'Remove the file to make new keys.');
    }
    kinds.set(key.kid, { index, use: entry.use });
    if (entry.retiredUntil !== undefined) {
      const longest = nowSeconds + LONGEST_TOKEN_LIFETIMES[entry.use];
      if (entry.retiredUntil > longest) throw keysFileError(path, `has keys[${index}] retired until ${new Date(entry.retiredUntil * 1000).toISOString()}, later than any ${entry.use} it signed may live (${LONGEST_TOKEN_LIFETIMES[entry.use]} s from now).`, 'Remove the file to make new keys.');
      retired.push({ ...key, kind: entry.use, untilSeconds: entry.retiredUntil });
    } else if (current[entry.use]) throw keysFileError(path, `has two current ${entry.use} keys; one signs, the others must have "retiredUntil".`);
    else current[entry.use] = key;
  }
  if (!current.idToken || !current.accessToken) throw keysFileError(path, `has no current ${current.idToken ? 'accessToken' : 'idToken'} key.`, 'Remove the file to make new keys.');
  return { idToken: current.idToken, accessToken: current.accessToken, retired };
}

/**
 * The first folder on the way to `folder` (the nearest one that exists, and each above it) that
 * someone else could change: owned by another user (root aside), or writable by others without
 * the sticky bit. Undefined when none; on Windows, not checked.
 */
async function unsafeFolderOnTheWay(folder: string): Promise<string | undefined> {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  const uid = process.getuid();
  let existing = folder;
  for (;;) {
    try {
      existing = await realpath(existing);
      break;
    } catch {
      const up = dirname(existing);
      if (up === existing) return undefined;
      existing = up;
    }
  }
  const { root } = parse(existing);
  let current = root;
  for (const part of ['', ...existing.slice(root.length).split(sep).filter(Boolean)]) {
    current = part ? join(current, part) : current;
    const stats = await lstat(current);
    if (stats.uid !== uid && stats.uid !== 0) return current;
    if ((stats.mode & 0o022) !== 0 && (stats.mode & 0o1000) === 0) return current;
  }
  return undefined;
}

/** A path as one shell word: as it is when plain, else in single quotes. */
function shellWord(path: string): string {
  return /^[\w./~+-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}

/** Another process made the keys file between our look and our write: its keys win. */
class KeysFileAppeared extends Error {}

/**
 * Writes the keys atomically: a new file (mode 0600, never one already there) beside the target,
 * flushed, then renamed over it, so a crash leaves the old file or the new one. Its folder is
 * made 0700 if missing. With `createOnly`, the new file is linked into place instead, which fails
 * if the file exists: two providers starting at once on a missing file keep one set of keys.
 */
export async function saveKeysFile(path: string, keys: ProviderKeys, { createOnly = false } = {}): Promise<void> {
  const entry = (key: SigningKey, use: TokenKind, retiredUntil?: number): StoredKey => ({ use, alg: key.alg, privateJwk: key.privateKey.export({ format: 'jwk' }) as Record<string, unknown>, ...(retiredUntil !== undefined && { retiredUntil }) });
  // The newest retired keys (latest to go, then latest retired), within the ceiling a load accepts.
  const kept = [...keys.retired].reverse().sort((one, other) => other.untilSeconds - one.untilSeconds).slice(0, MAX_KEYS_IN_FILE - 2);
  const stored = [entry(keys.idToken, 'idToken'), entry(keys.accessToken, 'accessToken'), ...kept.map((key) => entry(key, key.kind, key.untilSeconds))];
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify({ format: KEYS_FILE_FORMAT, version: 1, keys: stored }, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (createOnly) {
      await link(temporary, path);
      await rm(temporary, { force: true });
    } else await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    if (createOnly && (error as NodeJS.ErrnoException).code === 'EEXIST') throw new KeysFileAppeared();
    throw keysFileError(path, `cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

/**
 * The keys kept in `path`, or new ones written there when it does not exist yet. Says which:
 * `created` is true for new keys.
 */
export async function loadOrCreateKeys(path: string, accessTokenAlgorithm: AccessTokenAlgorithm | undefined, nowSeconds: number): Promise<{ keys: ProviderKeys; created: boolean }> {
  const unsafe = await unsafeFolderOnTheWay(dirname(path));
  if (unsafe !== undefined) throw keysFileError(path, `is in a folder others can change (${terminalSafe(unsafe)}: another user's, or writable by others); they could swap the keys.`, 'Keep the keys file in a folder only you can write to, such as one under your home.');
  let text = await readKeysFileText(path);
  if (text === undefined) {
    const keys = await createProviderKeys(accessTokenAlgorithm);
    try {
      await saveKeysFile(path, keys, { createOnly: true });
      return { keys, created: true };
    } catch (error) {
      if (!(error instanceof KeysFileAppeared)) throw error;
      text = await readKeysFileText(path);
      if (text === undefined) throw keysFileError(path, 'appeared and went away while this provider started; start it again.');
    }
  }
  return { keys: await importStoredKeys(path, parseKeysFile(path, text), nowSeconds), created: false };
}
