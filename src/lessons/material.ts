// Exercise material generated from a seed: the same seed always gives the same tokens, and
// two learners' seeds give different ones. Tokens are HMAC-signed (deterministic) with fixed
// times derived from the seed, never from the clock.

import { createHash, createHmac } from 'node:crypto';
import { s256Challenge } from '../provider/pkce.js';
import { isoFromSeconds } from '../jwt/time.js';

const NAMES = ['asha', 'ravi', 'priya', 'meera', 'arjun', 'kavya', 'rahul', 'divya', 'vikram', 'ananya'];
const AUDIENCES = ['food-api', 'payments-api', 'orders-api', 'rides-api', 'library-api'];
const ALGS = ['HS256', 'HS384', 'HS512'];
/** The secret the read-a-token exercises sign with; the task tells learners, so they can verify. */
export const EXERCISE_SECRET = 'exercise-secret-for-the-classroom-0123456789abcdef';
/** The Swaad issuer's public key (it signs with ES256); public by nature, fixed so material is reproducible. */
export const ISSUER_PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEkTB7r6NUMZYhzTLgu3cLBW7D9cBJ\nnuhqW9znITJFg0U0ewDOHkWUh8wfgCtL2kn/zi5xqc6Eu35fakDE5G64JA==\n-----END PUBLIC KEY-----\n";
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

export type Material = Record<string, string>;

export function generateMaterial(kind: string, seed: string, exerciseId: string, pool: string[] = []): Material {
  const random = randomFor(seed, exerciseId);
  const sub = NAMES[random(NAMES.length)]!;
  const aud = AUDIENCES[random(AUDIENCES.length)]!;
  const alg = ALGS[random(ALGS.length)]!;
  const iat = BASE_TIME + random(365) * 86_400 + random(86_400);
  const exp = iat + (5 + random(56)) * 60;
  const iss = 'https://auth.swaad.example';
  if (kind === 'token') {
    const token = hmacToken({ alg, typ: 'JWT' }, { iss, sub, aud, iat, exp }, EXERCISE_SECRET);
    return { token, sub, aud, alg, iss, exp: String(exp), expIso: isoFromSeconds(exp), secret: EXERCISE_SECRET };
  }
  if (kind === 'pkce-verifier') {
    const verifier = createHash('sha256').update(`${seed}:${exerciseId}:verifier`).digest('base64url');
    return { verifier, challenge: s256Challenge(verifier) };
  }
  // flawed-token: one flaw from the pool, picked by the seed; the API it arrives at is food-api.
  const flaw = pool[random(pool.length)] ?? 'expired';
  const now = BASE_TIME + 400 * 86_400;
  const good = { iss, sub, aud: 'food-api', iat: now - 60, exp: now + 600 };
  let token: string;
  switch (flaw) {
    case 'alg-none':
      token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(good)}.`;
      break;
    case 'expired':
      token = hmacToken({ alg: 'HS256', typ: 'JWT' }, { ...good, iat: now - 7200, exp: now - 3600 }, EXERCISE_SECRET);
      break;
    case 'wrong-audience':
      token = hmacToken({ alg: 'HS256', typ: 'JWT' }, { ...good, aud: 'payments-api' }, EXERCISE_SECRET);
      break;
    case 'tampered': {
      const original = hmacToken({ alg: 'HS256', typ: 'JWT' }, good, EXERCISE_SECRET);
      const [header, , signature] = original.split('.');
      token = `${header}.${base64url({ ...good, sub: 'admin' })}.${signature}`;
      break;
    }
    case 'key-confusion': {
      // HS256 signed with the issuer's published public key as the secret: the classic key confusion.
      token = hmacToken({ alg: 'HS256', typ: 'JWT', kid: 'swaad-2030' }, good, ISSUER_PUBLIC_KEY);
      break;
    }
    case 'weak-secret':
      token = hmacToken({ alg: 'HS256', typ: 'JWT' }, good, 'secret');
      break;
    default:
      token = hmacToken({ alg: 'HS256', typ: 'JWT' }, { iss, sub, aud: 'food-api', iat: now - 60 }, EXERCISE_SECRET);
  }
  return { token, flaw, now: String(now), nowIso: isoFromSeconds(now), secret: EXERCISE_SECRET };
}

/**
 * Replaces {{name}} with the value of that name; unknown names stay visible so mistakes show.
 * Only the values' own names count: {{constructor}} or {{__proto__}} never reach Object.prototype.
 */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{([\w.]+)\}\}/g, (match, name: string) => (Object.hasOwn(values, name) ? values[name]! : match));
}
