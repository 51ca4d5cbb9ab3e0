// Loads, generates and describes keys. Everything becomes a node:crypto KeyObject, which jose
// accepts directly; that is how PKCS#1 and SEC1 PEM files work even though jose reads only PKCS#8.

import { createPrivateKey, createPublicKey, createSecretKey, generateKeyPair, randomBytes, X509Certificate, type KeyObject, type JsonWebKey } from 'node:crypto';
import { promisify } from 'node:util';
import { open, type FileHandle } from 'node:fs/promises';
import { algorithmsForFamily, describeAlgorithm, type KeyFamily } from './algorithms.js';
import { isPlainObject } from './compact.js';
import { KeyError } from '../errors.js';

export interface LoadedKey {
  key: KeyObject;
  family: KeyFamily;
  /** P-256, P-384, P-521 or Ed25519 where it applies. */
  curve?: string;
  kid?: string;
  /** The `alg` a JWK pins itself to, if any. */
  alg?: string;
  isPrivate: boolean;
  /** Where it came from, for messages: "key.pem", "JWKS at http://…" */
  source: string;
  /** A public key pasted as an HMAC secret: the raw material of the key-confusion attack. */
  publicKeyAsSecret?: boolean;
}

const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

export function describeKeyObject(key: KeyObject): { family: KeyFamily; curve?: string } {
  if (key.type === 'secret') return { family: 'secret' };
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return { family: 'RSA' };
    case 'ec': {
      const named = key.asymmetricKeyDetails?.namedCurve ?? '';
      return { family: 'EC', curve: CURVE_NAMES[named] ?? named };
    }
    case 'ed25519':
      return { family: 'OKP', curve: 'Ed25519' };
    default:
      return { family: 'none' };
  }
}

export function keyLabel(loaded: Pick<LoadedKey, 'family' | 'curve' | 'isPrivate'>): string {
  if (loaded.family === 'secret') return 'an HMAC shared secret';
  const half = loaded.isPrivate ? 'private' : 'public';
  return `an ${loaded.family}${loaded.curve && loaded.family !== 'OKP' ? ` ${loaded.curve}` : loaded.curve ? ` (${loaded.curve})` : ''} ${half} key`;
}

function fromKeyObject(key: KeyObject, source: string, extra: Partial<LoadedKey> = {}): LoadedKey {
  const described = describeKeyObject(key);
  if (described.family === 'EC' && !JOSE_CURVES.has(described.curve ?? '')) throw unsupportedCurve(source, described.curve ?? 'unknown');
  return { key, ...described, isPrivate: key.type === 'private', source, ...extra };
}

const JOSE_CURVES = new Set(Object.values(CURVE_NAMES));

/** A key on a curve JOSE's ES algorithms do not use (secp256k1 is ES256K, RFC 8812): refused when it is loaded, never "fits ES256". */
function unsupportedCurve(source: string, curve: string): KeyError {
  const es256k = curve === 'secp256k1' ? ' A secp256k1 key signs with ES256K (RFC 8812), which this tool does not support.' : '';
  return new KeyError(
    'ERR_ALG_UNSUPPORTED',
    `${source} holds an EC key on curve ${curve}; JOSE's ES256, ES384 and ES512 use P-256, P-384 and P-521 only (RFC 7518 §3.4).${es256k}`,
    'Use a P-256 key instead, for example: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem',
  );
}

/** The algorithm a key allows when it allows only one: a JWK's own "alg", an EC key's curve, or an Ed25519 key (EdDSA, the name most verifiers accept). */
export function algorithmForKey(loaded: LoadedKey): { alg: string } | { choices: string[] } {
  const fits = algorithmsForFamily(loaded.family, loaded.curve) as string[];
  if (loaded.alg !== undefined && fits.includes(loaded.alg)) return { alg: loaded.alg };
  if (loaded.family === 'OKP') return { alg: 'EdDSA' };
  if (fits.length === 1) return { alg: fits[0]! };
  return { choices: fits };
}

export function secretKey(text: string, source = '--secret'): LoadedKey {
  const publicKeyAsSecret = /-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.test(text) || /"kty"\s*:\s*"(RSA|EC|OKP)"/.test(text);
  return { key: createSecretKey(Buffer.from(text, 'utf8')), family: 'secret', isPrivate: false, source, publicKeyAsSecret };
}

/**
 * An open file's text, read up to `cap` bytes and one more whatever its size says (a file can grow
 * after a stat; a pipe or /dev/zero has none): undefined when there is more than `cap`.
 */
export async function readOpenFileAtMost(handle: FileHandle, cap: number): Promise<string | undefined> {
  const buffer = Buffer.alloc(cap + 1);
  let length = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
    length += bytesRead;
    if (bytesRead === 0 || length === buffer.length) break;
  }
  return length > cap ? undefined : buffer.toString('utf8', 0, length);
}

/** A key file is a few kilobytes; a JWK Set of many RSA keys stays far below this. */
export const MAX_KEY_FILE_BYTES = 1024 * 1024;

/**
 * Reads a key file: PEM (private key, public key or certificate), a JWK, or a JWK Set. Reads at
 * most MAX_KEY_FILE_BYTES (a pipe or /dev/zero is read only that far), so no file can fill memory.
 */
export async function readKeyFile(path: string): Promise<LoadedKey[]> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      const read = await readOpenFileAtMost(handle, MAX_KEY_FILE_BYTES);
      if (read === undefined) throw new KeyError('ERR_KEY_FILE', `${path} is larger than ${MAX_KEY_FILE_BYTES / 1024} KiB; a key file is a few kilobytes.`);
      text = read;
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof KeyError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new KeyError('ERR_KEY_FILE', `Cannot read key file ${path}: ${reason}.`);
  }
  return parseKeyText(text, path);
}

export function parseKeyText(text: string, source: string): LoadedKey[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new KeyError('ERR_KEY_PARSE', `${source} starts like JSON but does not parse as JSON.`);
    }
    return keysFromJson(json, source);
  }
  if (trimmed.includes('-----BEGIN')) return [keyFromPem(trimmed, source)];
  throw new KeyError('ERR_KEY_PARSE', `${source} is neither a PEM key nor a JWK.`, 'Give a PEM file (-----BEGIN … KEY-----) or a JSON Web Key.');
}

function keyFromPem(pem: string, source: string): LoadedKey {
  if (pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /^Proc-Type:\s*4,ENCRYPTED/m.test(pem)) {
    throw new KeyError(
      'ERR_KEY_PARSE',
      `${source} is a private key encrypted with a passphrase; this tool reads unencrypted keys only.`,
      `Decrypt a copy (openssl asks for the passphrase): openssl pkey -in ${source} -out key-plain.pem`,
    );
  }
  // A key copied from a narrow screen may keep a "\" break mark or an indent: say which line.
  const body = /-----BEGIN [A-Z ]+-----\r?\n([\s\S]*?)-----END [A-Z ]+-----/.exec(pem)?.[1];
  const badLine = body?.split(/\r?\n/).findIndex((line) => line !== '' && !/^[A-Za-z0-9+/]*=*$/.test(line) && !/^[A-Za-z-]+: /.test(line));
  if (body !== undefined && badLine !== undefined && badLine >= 0) {
    const line = body.split(/\r?\n/)[badLine]!;
    const what = line.endsWith('\\') ? 'a "\\" at its end' : /\s/.test(line) ? 'a space' : 'a character that is not base64';
    throw new KeyError(
      'ERR_KEY_PARSE',
      `${source}: line ${badLine + 2} of the PEM key holds ${what} (only base64 belongs between its BEGIN and END lines), so it cannot be read.`,
      'A "\\" or a space there is left from copying a broken line: remove it, or save the key again with the command that printed it (for an exercise: jwt-vs-oauth exercises show <id> --material issuerKey > issuer.pem).',
    );
  }
  try {
    if (pem.includes('-----BEGIN CERTIFICATE-----')) return fromKeyObject(new X509Certificate(pem).publicKey, source);
    if (/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) return fromKeyObject(createPrivateKey(pem), source);
    return fromKeyObject(createPublicKey(pem), source);
  } catch (error) {
    if (error instanceof KeyError) throw error;
    throw new KeyError('ERR_KEY_PARSE', `${source}: the PEM key cannot be read (${(error as Error).message}).`);
  }
}

export function keysFromJson(json: unknown, source: string): LoadedKey[] {
  if (isPlainObject(json) && Array.isArray(json.keys)) {
    const keys = json.keys.filter((jwk): jwk is Record<string, unknown> => isPlainObject(jwk) && jwk.use !== 'enc');
    if (keys.length === 0) {
      throw new KeyError('ERR_KEY_PARSE', `${source} is a JWK Set with no signing key in it (${json.keys.length === 0 ? '"keys" is empty' : 'only encryption keys or entries that are not JWKs'}).`, 'Check that it is the right JWK Set; a provider publishes its signing keys at its jwks_uri.');
    }
    // A key on a curve JOSE does not sign with (secp256k1) is left out of a set that has others: they can still check tokens.
    const loaded: LoadedKey[] = [];
    let unsupported: KeyError | undefined;
    keys.forEach((jwk, index) => {
      try {
        loaded.push(keyFromJwk(jwk, `${source} (key ${index + 1})`));
      } catch (error) {
        if (!(error instanceof KeyError && error.code === 'ERR_ALG_UNSUPPORTED')) throw error;
        unsupported ??= error;
      }
    });
    if (loaded.length === 0 && unsupported) throw unsupported;
    return loaded;
  }
  if (isPlainObject(json) && typeof json.kty === 'string') return [keyFromJwk(json, source)];
  throw new KeyError('ERR_KEY_PARSE', `${source} is JSON but neither a JWK (no "kty") nor a JWK Set (no "keys" array).`);
}

export function keyFromJwk(jwk: Record<string, unknown>, source: string): LoadedKey {
  const extra: Partial<LoadedKey> = {};
  if (typeof jwk.kid === 'string') extra.kid = jwk.kid;
  if (typeof jwk.alg === 'string') extra.alg = jwk.alg;
  try {
    if (jwk.kty === 'oct') {
      if (typeof jwk.k !== 'string') throw new Error('an "oct" JWK needs "k"');
      return { key: createSecretKey(Buffer.from(jwk.k, 'base64url')), family: 'secret', isPrivate: false, source, ...extra };
    }
    const asJwk = { key: jwk as JsonWebKey, format: 'jwk' as const };
    const key = typeof jwk.d === 'string' ? createPrivateKey(asJwk) : createPublicKey(asJwk);
    return fromKeyObject(key, source, extra);
  } catch (error) {
    if (error instanceof KeyError) throw error;
    throw new KeyError('ERR_KEY_PARSE', `${source}: the JWK cannot be used (${(error as Error).message}).`);
  }
}

/** The public half of a private key; a public key or secret is returned as it is. */
export function publicHalf(loaded: LoadedKey): LoadedKey {
  if (loaded.key.type !== 'private') return loaded;
  return { ...loaded, key: createPublicKey(loaded.key), isPrivate: false };
}

/** Throws KeyError unless this key can sign or check with `alg`. */
export function assertKeyFitsAlgorithm(loaded: LoadedKey, alg: string): void {
  const needed = describeAlgorithm(alg);
  const fits = algorithmsForFamily(loaded.family, loaded.curve) as string[];
  if (!fits.includes(alg)) {
    throw new KeyError(
      'ERR_KEY_ALG_MISMATCH',
      `${alg} needs ${needed.family === 'secret' ? 'a shared secret' : `an ${needed.family} key`}, but ${loaded.source} holds ${keyLabel(loaded)}.`,
      fits.length ? `This key fits ${fits.join(', ')}.` : undefined,
    );
  }
}

/** Generates a fresh key for `alg`: 32/48/64 random bytes for HS*, else a key pair. */
export async function generateKeyFor(alg: string): Promise<LoadedKey> {
  const info = describeAlgorithm(alg);
  if (info.family === 'secret') {
    return { key: createSecretKey(randomBytes(info.hashBits / 8)), family: 'secret', isPrivate: false, source: 'a generated secret' };
  }
  const { privateKey } = await generateKeyPairAsync(...keyPairParameters(alg));
  return fromKeyObject(privateKey, 'a generated key');
}

type KeyPairParameters = ['rsa', { modulusLength: number }] | ['ec', { namedCurve: string }] | ['ed25519', Record<string, never>];

function keyPairParameters(alg: string): KeyPairParameters {
  const family = describeAlgorithm(alg).family;
  if (family === 'RSA') return ['rsa', { modulusLength: 2048 }];
  if (family === 'EC') return ['ec', { namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg] ?? 'P-256' }];
  return ['ed25519', {}];
}

const generateKeyPairAsync = promisify(generateKeyPair) as unknown as (
  ...parameters: KeyPairParameters
) => Promise<{ privateKey: KeyObject; publicKey: KeyObject }>;

/** A JWK for a key (private or public), with kid set to its RFC 7638 thumbprint. */
export async function jwkWithThumbprint(key: KeyObject, alg: string): Promise<JsonWebKey & { kid: string }> {
  const { calculateJwkThumbprint } = await import('jose/jwk/thumbprint');
  const jwk = key.type === 'secret'
    ? { kty: 'oct', k: key.export().toString('base64url') }
    : (key.export({ format: 'jwk' }) as JsonWebKey);
  const kid = await calculateJwkThumbprint(jwk as Parameters<typeof calculateJwkThumbprint>[0]);
  return { ...jwk, kid, alg, use: 'sig' };
}
