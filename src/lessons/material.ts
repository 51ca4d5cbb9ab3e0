// Exercise material generated from a seed: the same seed always gives the same tokens, and
// two learners' seeds give different ones. Tokens are signed deterministically (HMAC, or RS256,
// whose PKCS#1 v1.5 signatures have no randomness) with fixed times derived from the seed,
// never from the clock.

import { createHash, createHmac, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { s256Challenge } from '../provider/pkce.js';
import { isoFromSeconds } from '../jwt/time.js';

const NAMES = ['asha', 'ravi', 'priya', 'meera', 'arjun', 'kavya', 'rahul', 'divya', 'vikram', 'ananya'];
const AUDIENCES = ['food-api', 'payments-api', 'orders-api', 'rides-api', 'library-api'];
/**
 * The classroom secrets, one per algorithm (RFC 8725 §3.1: one key, one algorithm), each as many
 * random bytes as the hash is long (RFC 7518 §3.2), made with openssl rand -base64 32, 48 and 64.
 * Demo secrets: tasks print them so learners can verify, so they are secrets no more.
 */
export const CLASSROOM_SECRETS = {
  HS256: 'TOdme/5cWHh4k0oO0tzMmmGnxpdRUOJZnz3B/xY763M=',
  HS384: 'UN08ULjOPmQ34ZI5VarONtKs2HvR2QwJCHBT2NAX3/BsGW4Sl8pJNkH+EN1GPSeD',
  HS512: 'fT0u6iU8ZICjp1Wu+Z9cH03JC932jEmOA8BU6SllA9rYthTR1J9ZBxL1Ihq0227Ax23abF8qVWW7yldQngZWjg==',
} as const;
const ALGS = Object.keys(CLASSROOM_SECRETS) as Array<keyof typeof CLASSROOM_SECRETS>;
/**
 * The private key of the Swaad issuer in the find-the-flaw exercises whose issuer signs with
 * RS256. Published here on purpose (it signs nothing but classroom tokens), and fixed so that
 * material is reproducible: RSA keys cannot be made from a seed cheaply.
 */
const CLASSROOM_ISSUER_PRIVATE_KEY = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCLcR2fyeH9DYs2',
  'MJvKJbayaYGOmiw599DfM176ak9rHQ6UgSxTaQ8El0d19ygbeKGLqVWW7nTkjPwL',
  'FPfwZWff7zA6wc/ogCqF8KydYTGXYfLi+dHLxyvrT+w6PBNeWirxtI/PtmrGPyx1',
  'Gxr9l/8lKWK1cytJp4QGgUgEfcsFBrwyex0ArkIr54lvvPqTjvkQrDVfNCkTOYQm',
  '2hbOIDEcjRUIGxjw5zQS9adV5NjJWngf0NzSVimPqJnM4pXKCbXzJj63i6MVDDhk',
  'H/dnV9yFZbWNO8aIVxaaGTqpHsMZP2ZSg1b9BZ95kce8swLHyp1WUtsc1iAss41Z',
  '9TfuAYjNAgMBAAECggEADbDgL72AACXsR+MjPgh7P66MQewb8N/Gv6N+Qn1dqYQD',
  'gnaMW5mHwp5NLeVD0tlX7daFHiSbkDUnf2RiU6rL4CN5S3ZBa5qUkkIR21dHqeK8',
  'GP0I/vEMpuCvWP29CRk2o4oO9LNRwyqWEDQbxPpqMBk4JTNW9LcLMiL6EeF9UCjh',
  'V59dz2oWOODYPUYmCt3zx57K0Kg2A25IOIS0ePGlySEZv256BnyHy/Y2IqkV/pKN',
  'pOOX6OkHuBej2fqoP5sF+8LidhX9HcmXsU1L73WYn46/38cxYDb5/5huD/O+aTI6',
  'XDOJD83B0pvrIXhHpU0Lvw2gwBwSJMWuBaNy37m4IQKBgQDDUI36LFqCO7INMr9C',
  '8VLQuOlJBbfZxB1MX4k5BjKWBrH/NrsjthDghWUPy64ZV/mpsFjoNTh0ZZ2FpKZ4',
  'xeVFxBv+2PYyLgND09gOuoCdMNr0uYfd3nmwUa3gknrunn+jzOe6c+46Sxu2Tgzb',
  'Kwrz2BQB0KB0/EfRd6MR3PWP5wKBgQC2xGeP8MOPBJ2fiR+I6bArhByUhvwY83zv',
  'QmYZLhA+Cc49Xnfgc1Xq0hLKHHCKuo9RsYPAxIt85AxNEGxnFZ+Z0fZ7IuOcCawe',
  'dfvYQP2LFkp77P1iexBypXi041NfDSFvaIQq/YV0O2NhNhKJUC0AU1Rkr76LOM8j',
  'Fe3fEiMbKwKBgQClBU6v7QGbv2w0kofeu57JEzKnq9kmePh4Ks/6Ci57a7TAeTGs',
  'fovL52j365Nxfk9G++RibXUBg0mQPQkaSbnpNESjEhURWKcRi8+kwhcguMKGuqr8',
  '3pfaTWinsZuEOQ6HCv1PH9xMDGGhqlhaZQef9xUQY4Du1qinZnm1AgfISQKBgG2M',
  'V87NL0pgJ+JiHIbCG5hZvY/BQQXrnC0FDZF2LMIiun3KS+w69XqkpCKE3Wgp3pHG',
  '5wP6Sul2/3CJsZAwQ9O9KBIynV7/5Sz05xl+Cvr9R3P0XwRSY090o185CtXkVvAi',
  'I2ZpQz6iAjVYZc/sQKz7RZB8TqfAS1fqYwPcKTK1AoGAf27Nrd0BpBQn8fbDKn5Y',
  '2WBvuRX6mPU5WCUr1hmrBTxwwBdAhH3vBoi8W+Ji8YmFBqsyg+68St/CEWEEcLwl',
  'B3tIrbaZN0npsHKXhi9XZ4g5X55K/0WTK0vF3O1hwx4vangjuB7C2+EqkI3t4Rdw',
  'nZmod5e0fSZyu6NkxjDnDbk=',
  '-----END PRIVATE KEY-----',
].join('\n');
/** The kid the classroom issuer's tokens carry (its genuine ones and the forgery alike). */
const CLASSROOM_ISSUER_KID = 'swaad-2031';
let issuerKeys: { privateKey: KeyObject; publicKeyPem: string } | undefined;

/** The classroom issuer's key pair; the public half as PEM text, exactly as a file holds it. */
export function classroomIssuerKeys(): { privateKey: KeyObject; publicKeyPem: string } {
  if (!issuerKeys) {
    const privateKey = createPrivateKey(CLASSROOM_ISSUER_PRIVATE_KEY);
    issuerKeys = { privateKey, publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString() };
  }
  return issuerKeys;
}
const BASE_TIME = 1_893_456_000; // 2030-01-01T00:00:00Z: fixed, so a seed's token never changes.

/** A deterministic stream of numbers for one seed and one exercise. */
function randomFor(seed: string, exerciseId: string) {
  let counter = 0;
  return (modulo: number) => {
    const digest = createHmac('sha256', seed).update(`${exerciseId}:${counter++}`).digest();
    return digest.readUInt32BE(0) % modulo;
  };
}

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function hmacToken(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string): string {
  const input = `${base64url(header)}.${base64url(payload)}`;
  const hash = `sha${String(header.alg).slice(2)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

function rs256Token(payload: Record<string, unknown>, privateKey: KeyObject): string {
  const input = `${base64url({ alg: 'RS256', typ: 'JWT', kid: CLASSROOM_ISSUER_KID })}.${base64url(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

export type Material = Record<string, string>;

/** How the issuer of flawed-token material signs its genuine tokens. */
type FlawedIssuer = { alg: 'HS256'; sign: (payload: Record<string, unknown>) => string } | { alg: 'RS256'; sign: (payload: Record<string, unknown>) => string; publicKeyPem: string };

function flawedIssuer(kind: string): FlawedIssuer {
  if (kind !== 'flawed-token-rs256') return { alg: 'HS256', sign: (payload) => hmacToken({ alg: 'HS256', typ: 'JWT' }, payload, CLASSROOM_SECRETS.HS256) };
  const { privateKey, publicKeyPem } = classroomIssuerKeys();
  return { alg: 'RS256', sign: (payload) => rs256Token(payload, privateKey), publicKeyPem };
}

export function generateMaterial(kind: string, seed: string, exerciseId: string, pool: string[] = []): Material {
  const random = randomFor(seed, exerciseId);
  const sub = NAMES[random(NAMES.length)]!;
  const aud = AUDIENCES[random(AUDIENCES.length)]!;
  const alg = ALGS[random(ALGS.length)]!;
  const iat = BASE_TIME + random(365) * 86_400 + random(86_400);
  const exp = iat + (5 + random(56)) * 60;
  const iss = 'https://auth.swaad.example';
  if (kind === 'token') {
    const secret = CLASSROOM_SECRETS[alg];
    const token = hmacToken({ alg, typ: 'JWT' }, { iss, sub, aud, iat, exp }, secret);
    return { token, sub, aud, alg, iss, exp: String(exp), expIso: isoFromSeconds(exp), secret };
  }
  if (kind === 'pkce-verifier') {
    const verifier = createHash('sha256').update(`${seed}:${exerciseId}:verifier`).digest('base64url');
    return { verifier, challenge: s256Challenge(verifier) };
  }
  if (kind === 'oauth-state') {
    // A state for the learner's first authorization request, 128 bits like openssl rand -hex 16:
    // shown as an example of a one-time value, not a fixed word every learner copies.
    return { state: createHmac('sha256', seed).update(`${exerciseId}:state`).digest('hex').slice(0, 32) };
  }
  // flawed-token (an HS256 issuer with the classroom secret) or flawed-token-rs256 (an RS256
  // issuer whose public key the learner gets): one flaw from the pool, picked by the seed; the
  // API it arrives at is food-api.
  const issuer = flawedIssuer(kind);
  const flaw = pool[random(pool.length)] ?? 'expired';
  const now = BASE_TIME + 400 * 86_400;
  const good = { iss, sub, aud: 'food-api', iat: now - 60, exp: now + 600 };
  let token: string;
  switch (flaw) {
    case 'alg-none':
      token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(good)}.`;
      break;
    case 'expired':
      token = issuer.sign({ ...good, iat: now - 7200, exp: now - 3600 });
      break;
    case 'wrong-audience':
      token = issuer.sign({ ...good, aud: 'payments-api' });
      break;
    case 'tampered': {
      // A genuine token whose payload was changed afterwards: the old signature no longer fits.
      const [header, , signature] = issuer.sign(good).split('.');
      token = `${header}.${base64url({ ...good, sub: 'admin' })}.${signature}`;
      break;
    }
    case 'key-confusion':
      // RS256 -> HS256 key confusion (RFC 8725 §2.1): an HMAC whose secret is the issuer's public
      // key, byte for byte the PEM text a naive library reads from the key file. Only an issuer
      // with a public key can be attacked this way; the schema refuses it for an HS256 issuer.
      if (issuer.alg !== 'RS256') throw new TypeError('key-confusion material needs the kind flawed-token-rs256');
      token = hmacToken({ alg: 'HS256', typ: 'JWT', kid: CLASSROOM_ISSUER_KID }, good, issuer.publicKeyPem);
      break;
    case 'weak-secret':
      token = hmacToken({ alg: 'HS256', typ: 'JWT' }, good, 'secret');
      break;
    default:
      token = issuer.sign({ iss, sub, aud: 'food-api', iat: now - 60 });
  }
  const common = { token, flaw, now: String(now), nowIso: isoFromSeconds(now) };
  return issuer.alg === 'RS256' ? { ...common, issuerKey: issuer.publicKeyPem } : { ...common, secret: CLASSROOM_SECRETS.HS256 };
}

/**
 * Replaces {{name}} with the value of that name; unknown names stay visible so mistakes show.
 * Only the values' own names count: {{constructor}} or {{__proto__}} never reach Object.prototype.
 */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{([\w.]+)\}\}/g, (match, name: string) => (Object.hasOwn(values, name) ? values[name]! : match));
}
