// Mints a signed JWT with jose. Returns the token and what it contains; writes no files and
// prints nothing (the CLI saves generated keys and explains).

import { randomUUID, type JsonWebKey } from 'node:crypto';
import { SignJWT } from 'jose/jwt/sign';
import { isSupportedAlgorithm, SUPPORTED_ALGORITHMS } from './algorithms.js';
import { assertKeyFitsAlgorithm, generateKeyFor, jwkWithThumbprint, publicHalf, type LoadedKey } from './keys.js';
import { assertJsonDepth, setOwn } from './untrusted-json.js';
import { secretWarnings } from './secret-strength.js';
import type { Warning } from './warnings.js';
import { InputError, JwtVsOauthError } from '../errors.js';
import { terminalSafe } from '../text/terminal-safe.js';

export interface MintOptions {
  alg: string;
  /** The signing key; when absent one is generated and returned. */
  key?: LoadedKey;
  /** Claims before the flags below are applied (from --payload). */
  payload?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  sub?: string;
  iss?: string;
  aud?: string[];
  /** Seconds from now; null means no exp at all. */
  expiresIn: number | null;
  notBeforeIn?: number;
  /** true: a random jti; a string: that jti. */
  jti?: string | true;
  kid?: string;
  typ?: string;
  headers?: Record<string, unknown>;
  now: number;
}

export interface MintResult {
  token: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** Set when the key was generated: the JWKs to save, so `verify` can check later. */
  generatedKey?: { privateJwk: JsonWebKey; publicJwk: JsonWebKey | null };
  warnings: Warning[];
}

const PROTECTED_HEADERS = new Set(['alg']);

/** The time claims --claim cannot set, and where each comes from instead. */
const TIME_CLAIM_SOURCES = new Map([
  ['exp', { why: 'exp is set with --exp <duration> (default 15m), or left out with --no-exp', example: 'Example: --exp 5m' }],
  ['nbf', { why: 'nbf is set with --nbf <duration>', example: 'Example: --nbf 30s' }],
  ['iat', { why: 'iat is always the time of minting', example: 'To judge a token as of another time, use verify --at <time>.' }],
]);

export async function mintToken(options: MintOptions): Promise<MintResult> {
  const alg = normaliseAlgorithm(options.alg);
  const warnings: Warning[] = [];
  const generated = !options.key;
  const key = options.key ?? (await generateKeyFor(alg));
  assertKeyFitsAlgorithm(key, alg);
  if (key.family !== 'secret' && !key.isPrivate) {
    throw new InputError('ERR_KEY_NOT_PRIVATE', `${key.source} holds a public key; signing needs the private key.`, 'A public key can only check signatures (use it with verify).');
  }

  if (key.family === 'secret' && !generated) {
    if (key.publicKeyAsSecret) {
      warnings.push({ code: 'public-key-as-secret', message: 'The secret looks like a public key: this is how key-confusion attacks sign tokens (RFC 8725 §2.1).' });
    } else {
      warnings.push(...secretWarnings(key.key.export(), alg));
    }
  }

  for (const [name, source] of TIME_CLAIM_SOURCES) {
    if (options.claims && Object.hasOwn(options.claims, name)) throw new InputError('ERR_CLAIM_RESERVED', `--claim cannot set "${name}": ${source.why}.`, source.example);
  }

  // Registered claims first, so a decoded token reads in a familiar order; flags win over --payload.
  // Spread and setOwn keep every name an own property: a claim named "__proto__" is just a claim.
  const given: Record<string, unknown> = { ...options.payload, ...options.claims };
  assertJsonDepth(given, 'The claims');
  const payload: Record<string, unknown> = {};
  const iss = options.iss ?? given.iss;
  const sub = options.sub ?? given.sub;
  const aud = options.aud?.length ? (options.aud.length === 1 ? options.aud[0] : options.aud) : given.aud;
  if (iss !== undefined) payload.iss = iss;
  if (sub !== undefined) payload.sub = sub;
  if (aud !== undefined) payload.aud = aud;
  for (const [name, value] of Object.entries(given)) {
    if (!['iss', 'sub', 'aud', 'iat', 'exp', 'nbf'].includes(name)) setOwn(payload, name, value);
  }
  payload.iat = options.now;
  if (options.notBeforeIn !== undefined) payload.nbf = options.now + options.notBeforeIn;
  else if (given.nbf !== undefined) payload.nbf = given.nbf;
  if (options.expiresIn === null) {
    warnings.push({ code: 'no-exp', message: 'No exp: this token never expires, so a leaked copy works forever. Keep access tokens short-lived: minutes rather than days (RFC 9068 §2.2 makes exp mandatory).' });
  } else {
    payload.exp = options.now + options.expiresIn;
  }
  if (options.jti !== undefined) payload.jti = options.jti === true ? randomUUID() : options.jti;
  for (const name of ['iat', 'exp']) {
    // A payload copied from another token keeps its claims, but never silently loses its times.
    if (options.payload && Object.hasOwn(options.payload, name) && options.payload[name] !== payload[name]) {
      warnings.push({ code: 'payload-time-replaced', message: `The ${name} given with --payload was replaced: ${TIME_CLAIM_SOURCES.get(name)!.why}.` });
    }
  }

  let generatedKey: MintResult['generatedKey'];
  let kid = options.kid;
  if (generated) {
    const privateJwk = await jwkWithThumbprint(key.key, alg);
    kid ??= privateJwk.kid;
    const publicJwk = key.family === 'secret' ? null : await jwkWithThumbprint(publicHalf(key).key, alg);
    generatedKey = { privateJwk: { ...privateJwk, kid }, publicJwk: publicJwk && { ...publicJwk, kid } };
  }

  const header: Record<string, unknown> = { alg, typ: options.typ ?? 'JWT' };
  if (kid !== undefined) header.kid = kid;
  assertJsonDepth(options.headers ?? {}, 'The header');
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (PROTECTED_HEADERS.has(name)) throw new InputError('ERR_HEADER_RESERVED', `--header cannot set "${name}"; use --alg.`);
    if (name === 'crit') {
      throw new InputError(
        'ERR_HEADER_CRIT',
        '--header cannot set "crit": it lists header extensions that every verifier must understand or else reject the token (RFC 7515 §4.1.11), and mint supports none.',
        'To see how a verifier treats crit, build such a token by hand and decode or verify it.',
      );
    }
    setOwn(header, name, value);
  }

  const token = await signWithJose(payload, header, key);
  return { token, header, payload, generatedKey, warnings };
}

/** Signs with jose; jose's refusals (a non-finite nbf, a header it will not write) come from the input, so they become InputError. */
async function signWithJose(payload: Record<string, unknown>, header: Record<string, unknown>, key: LoadedKey): Promise<string> {
  try {
    return await new SignJWT(payload)
      .setProtectedHeader(header as Parameters<SignJWT['setProtectedHeader']>[0])
      .sign(key.key);
  } catch (error) {
    if (error instanceof JwtVsOauthError) throw error;
    const code = (error as { code?: string }).code;
    throw new InputError('ERR_MINT_REFUSED', `jose refused to sign this token: ${terminalSafe((error as Error).message)}${code ? ` (${code})` : ''}.`);
  }
}

function normaliseAlgorithm(alg: string): string {
  const match = SUPPORTED_ALGORITHMS.find((name) => name.toLowerCase() === alg.toLowerCase());
  if (!match || !isSupportedAlgorithm(match)) {
    if (alg.toLowerCase() === 'none') {
      throw new InputError('ERR_ALG_NONE', 'This tool does not mint unsigned tokens (alg "none"): nothing should accept them.', 'To see one, decode the alg-none example in the tutorial.');
    }
    throw new InputError('ERR_ALG_UNSUPPORTED', `Unknown algorithm "${alg}".`, `Choose one of ${SUPPORTED_ALGORITHMS.join(', ')}.`);
  }
  return match;
}
