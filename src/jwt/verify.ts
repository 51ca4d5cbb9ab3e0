// Verifies a token and explains every check: format, algorithm, key, signature, then the claims.
// The signature is checked with jose; the claim checks are spelled out one by one so a learner
// sees each, and jose's own jwtVerify runs last as a second opinion.

import { compactVerify } from 'jose/jws/compact/verify';
import { jwtVerify } from 'jose/jwt/verify';
import { algorithmsForFamily, describeAlgorithm } from './algorithms.js';
import { parseCompact } from './compact.js';
import { keyThatDecrypts } from './decode.js';
import { keyLabel, publicHalf, type LoadedKey } from './keys.js';
import { isoFromSeconds, relativeTime, spanInWords } from './time.js';
import { secretWarnings } from './secret-strength.js';
import { looksLikeMilliseconds, numericClaim, tokenWarnings, type Warning } from './warnings.js';
import { InputError } from '../errors.js';

export interface VerifyOptions {
  /** Candidate keys: one secret, one file's key, or a JWK Set. */
  keys: LoadedKey[];
  /** Allowed algorithms; default: those that fit the keys. `none` is never allowed. */
  algorithms?: string[];
  issuer?: string;
  audience?: string[];
  subject?: string;
  /** The header typ required (RFC 8725 §3.11), e.g. at+jwt for an access token (RFC 9068 §4). */
  tokenType?: string;
  /** Seconds: reject tokens whose iat is older than this. */
  maxAge?: number;
  requiredClaims?: string[];
  /** Seconds of leeway for exp, nbf and iat. */
  clockTolerance: number;
  now: number;
}

export interface Check {
  name: string;
  ok: boolean;
  /** True when the check was not run (no expectation given, or the token is not a JWT). */
  skipped?: boolean;
  detail: string;
  /** Why it failed, as a stable code (jose's where jose found it). */
  code?: string;
}

export interface VerifyResult {
  valid: boolean;
  type: 'JWT' | 'JWS';
  checks: Check[];
  /** One sentence: valid with what was checked and what was not pinned, or the first failure and what it means. */
  verdict: string;
  /** The checks that ran (not skipped), in order. */
  checked: string[];
  /** What a verifier should pin but was not given: iss, aud, typ (RFC 8725 §3.8, §3.9, §3.11). */
  notPinned: string[];
  header: Record<string, unknown>;
  payload: Record<string, unknown> | string;
  /** About the token. */
  warnings: Warning[];
  /** About the verifier's own keys: a weak HMAC secret, a key not pinned to one algorithm. */
  keyWarnings: Warning[];
  /** Where the key that checked the signature came from. */
  keyUsed?: string;
}

export async function verifyToken(token: string, options: VerifyOptions): Promise<VerifyResult> {
  const parsed = parseCompact(token);
  if (parsed.type === 'JWE') {
    throw new InputError('ERR_TOKEN_IS_JWE', 'This is an encrypted JWE (5 parts); verify checks signed tokens (3 parts).', `Decrypting needs ${keyThatDecrypts(parsed.header.alg)}; decode shows its header.`);
  }
  if (options.keys.length === 0) throw new InputError('ERR_NO_KEY', 'No key was given.', 'Use --secret, --key, --jwks or --discover.');

  const checks: Check[] = [];
  const failures = new Map<string, string>();
  const fail = (check: Check, verdict: string) => {
    checks.push({ ...check, ok: false });
    if (failures.size === 0) failures.set(check.name, verdict);
  };
  const header = parsed.header;
  const alg = typeof header.alg === 'string' ? header.alg : '';

  checks.push({ name: 'format', ok: true, detail: parsed.type === 'JWT' ? 'three base64url parts; header and payload are JSON objects' : 'three base64url parts; the payload is not JSON, so this is a JWS but not a JWT' });

  // Algorithm: pinned by the verifier, never taken on the token's word (RFC 8725 §3.1).
  const verifierKeys = options.keys.map(publicHalf);
  // A key that names its algorithm (a JWK's "alg") allows that one; others, every one that fits them.
  const allowed = options.algorithms ?? [...new Set(verifierKeys.flatMap((key) => keyAlgorithms(key)))];
  const algorithmCheck = checkAlgorithm(alg, allowed, verifierKeys);
  if (algorithmCheck.ok) checks.push(algorithmCheck);
  else fail(algorithmCheck, algorithmCheck.detail);

  // Key: the token's kid is a hint for choosing among trusted keys, never a key itself.
  const candidates = algorithmCheck.ok ? candidateKeys(verifierKeys, header, alg) : [];
  let keyUsed: LoadedKey | undefined;
  if (!algorithmCheck.ok) {
    checks.push({ name: 'key', ok: false, skipped: true, detail: 'not looked for: the algorithm is not allowed' });
  } else if (candidates.length === 0) {
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    const detail = kid !== undefined
      ? `no trusted key has kid "${kid}" (the keys offered: ${describeKids(verifierKeys)})`
      : `no trusted key fits ${alg}`;
    fail({ name: 'key', ok: false, detail, code: 'ERR_JWKS_NO_MATCHING_KEY' }, `${detail}: the token was signed with a key this verifier does not trust.`);
  } else {
    // "matched by kid" only when a trusted key carries that kid: a PEM or a secret has none, and
    // the token's own kid is untrusted input (RFC 8725 §3.10), so say it was not checked.
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    const kidNote = kid === undefined ? '' : candidates[0]!.kid === kid ? `, matched by kid "${kid}"` : ` (the token's kid "${kid}" is not checked: this key has none)`;
    checks.push({ name: 'key', ok: true, detail: `${candidates.length === 1 ? keyLabel(candidates[0]!) : `${candidates.length} candidate keys`} from ${candidates[0]!.source}${kidNote}` });
  }

  // Critical extensions: this verifier understands none, so a token that lists any must be
  // rejected (RFC 7515 §4.1.11); the signature is still checked on its own, so each line is true.
  const critical = header.crit;
  if (critical !== undefined) {
    const names = Array.isArray(critical) && critical.length > 0 && critical.every((name) => typeof name === 'string' && name !== '') ? (critical as string[]) : undefined;
    const detail = names
      ? `the token marks ${names.map((name) => JSON.stringify(name)).join(', ')} as critical extensions; this verifier understands none, so it must reject the token (RFC 7515 §4.1.11)`
      : 'crit must be a non-empty list of header parameter names (RFC 7515 §4.1.11)';
    fail({ name: 'crit', ok: false, detail, code: 'ERR_JOSE_NOT_SUPPORTED' }, detail);
  }
  const recognisedForSignature = Array.isArray(critical) ? Object.fromEntries(critical.filter((name): name is string => typeof name === 'string').map((name) => [name, false])) : undefined;

  // Signature: real crypto through jose.
  if (candidates.length > 0) {
    for (const candidate of candidates) {
      try {
        await compactVerify(token, candidate.key, { algorithms: [alg], crit: recognisedForSignature });
        keyUsed = candidate;
        break;
      } catch {
        // Try the next candidate; the failure is reported once below.
      }
    }
    if (keyUsed) {
      checks.push({ name: 'signature', ok: true, detail: `valid ${alg} signature: the header and payload are exactly what the key holder signed` });
    } else {
      const kidMatched = typeof header.kid === 'string' && candidates.some((key) => key.kid === header.kid);
      const verdict = kidMatched
        ? 'the payload (or header) was changed after signing: the key named by kid does not match the signature'
        : candidates[0]!.family === 'secret'
          ? 'the signature does not match: the payload was changed after signing, or it was signed with a different secret'
          : 'the signature does not match: the payload was changed after signing, or it was signed with a different key';
      fail({ name: 'signature', ok: false, detail: verdict, code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' }, verdict);
    }
  } else {
    checks.push({ name: 'signature', ok: false, skipped: true, detail: 'not checked: no usable key' });
  }

  // Explicit typing: a header check, so it applies to a JWS that is not a JWT too.
  const typeResult = typeCheck(header.typ, options.tokenType);
  if (typeResult.ok) checks.push(typeResult);
  else fail(typeResult, `typ is ${typeResult.detail}`);

  const payload = parsed.payload;
  if (!payload) {
    checks.push({ name: 'claims', ok: true, skipped: true, detail: 'skipped: the payload is not a JSON object, so there are no claims to check' });
  } else {
    for (const check of claimChecks(payload, options)) {
      if (check.ok) checks.push(check);
      else fail(check, claimVerdict(check));
    }
    // A second opinion from jose on exactly the same rules; it must agree.
    if (failures.size === 0 && keyUsed) {
      const disagreement = await joseSecondOpinion(token, keyUsed, alg, options);
      if (disagreement) fail(disagreement, disagreement.detail);
    }
  }

  const valid = failures.size === 0;
  const [firstFailure] = failures.values();
  const checked = checks.filter((check) => !check.skipped).map((check) => check.name);
  // The algorithm counts as not pinned when the verifier would take more than one (RFC 8725 §3.1).
  const algorithmOpen: Array<[string, string]> = allowed.length > 1 ? [['alg', '--alg']] : [];
  const notPinned = [...algorithmOpen, ...PINNED_BY_A_CAREFUL_VERIFIER.filter(([name]) => checks.some((check) => check.name === name && check.skipped))];
  return {
    valid,
    type: parsed.type === 'JWT' ? 'JWT' : 'JWS',
    checks,
    verdict: valid ? `valid: ${validVerdict(checks, alg, notPinned)}` : `invalid: ${firstFailure}`,
    checked,
    notPinned: notPinned.map(([name]) => name),
    header,
    payload: payload ?? parsed.payloadText ?? '',
    warnings: tokenWarnings(header, payload, options.now).filter((warning) => !['expired', 'not-yet-valid'].includes(warning.code)),
    keyWarnings: keyWarnings(options, alg, keyUsed),
    keyUsed: keyUsed?.source,
  };
}

/** What a verifier should pin, and the flag that pins it: iss (RFC 8725 §3.8), aud (§3.9), typ (§3.11). */
const PINNED_BY_A_CAREFUL_VERIFIER: Array<[name: string, flag: string]> = [['iss', '--iss'], ['aud', '--aud'], ['typ', '--typ']];

/** "signature (ES256), exp, iat checked; not pinned: iss, aud, typ (pass --iss, --aud, --typ)": never "every check passed" when some were not made. */
function validVerdict(checks: Check[], alg: string, notPinned: Array<[string, string]>): string {
  const ran = checks.filter((check) => !check.skipped && !['format', 'algorithm', 'key', 'signature'].includes(check.name)).map((check) => check.name);
  const parts = [`${[`signature (${alg})`, ...ran].join(', ')} checked`];
  if (checks.some((check) => check.name === 'exp' && check.skipped)) parts.push('no exp: it never expires');
  if (notPinned.length) parts.push(`not pinned: ${notPinned.map(([name]) => name).join(', ')} (pass ${notPinned.map(([, flag]) => flag).join(', ')})`);
  return parts.join('; ');
}

/** Warnings about the verifier's keys, not the token: said apart from the checklist (stderr in the CLI). */
function keyWarnings(options: VerifyOptions, alg: string, keyUsed: LoadedKey | undefined): Warning[] {
  const warnings: Warning[] = [];
  // HMAC secrets: length and entropy (RFC 7518 §3.2, RFC 8725 §3.5). A public key pasted as a
  // secret is the key-confusion case, which the algorithm check already explains.
  // With several keys each one's warnings name it, and a set of many weak keys is summed up in one
  // line after the first few rather than flooding the terminal.
  const secrets = (keyUsed?.family === 'secret' ? [keyUsed] : options.keys.filter((key) => key.family === 'secret')).filter((key) => !key.publicKeyAsSecret);
  const hmacAlg = describeAlgorithm(alg).family === 'secret' ? alg : 'HS256';
  const perKey = secrets
    .map((secret) => secretWarnings(secret.key.export(), secret.alg ?? hmacAlg, options.keys.length > 1 ? `The secret of ${keyName(secret)}` : undefined))
    .filter((found) => found.length > 0);
  warnings.push(...perKey.slice(0, KEYS_WARNED_ONE_BY_ONE).flat());
  const more = perKey.length - KEYS_WARNED_ONE_BY_ONE;
  if (more > 0) {
    warnings.push({ code: 'weak-secret', message: `…and ${more} more key${more === 1 ? '' : 's'} with weak or short secrets, not listed one by one (RFC 8725 §3.5).` });
  }
  // One key, one algorithm (RFC 8725 §3.1). Said whenever the verifier lets the token's alg choose
  // among several for one key, not only when this token's alg is unusual: alg is written by whoever
  // made the token, so the looseness is in the verifier whatever this token says.
  if (options.algorithms === undefined) {
    const loose = options.keys.map(keyAlgorithms).find((algorithms) => new Set(algorithms.map((name) => (name === 'EdDSA' ? 'Ed25519' : name))).size > 1);
    if (loose) {
      warnings.push({
        code: 'alg-not-pinned',
        message: `The key is not pinned to one algorithm: this verifier accepts ${listInWords(loose)} with it, whichever the token's alg names. One key, one algorithm (RFC 8725 §3.1): pin it with --alg ${loose.includes(alg) ? alg : loose[0]}.`,
      });
    } else {
      // Several keys, each fixed, but of different algorithms (a JWKS with an ID-token key and an
      // access-token key): the token's alg picks which kind of key checks it.
      const offered = [...new Set(options.keys.flatMap(keyAlgorithms))];
      if (offered.length > 1) {
        warnings.push({
          code: 'alg-not-pinned',
          message: `The keys offer several algorithms (${listInWords(offered)}): this verifier takes a token signed with any of them, so a token meant for one key can pass with another. Pin the one you expect, e.g. --alg ${offered.includes(alg) ? alg : offered[0]} (RFC 8725 §3.1, §3.12).`,
        });
      }
    }
  }
  return [...new Map(warnings.map((warning) => [warning.message, warning])).values()];
}

/** Keys whose secret warnings are listed one by one; the rest are counted in one line. */
const KEYS_WARNED_ONE_BY_ONE = 3;

/** A key of several, as a warning names it: by kid (cut short, it is the file's text), else where it came from. */
function keyName(key: LoadedKey): string {
  if (key.kid === undefined) return `the key from ${key.source}`;
  const kid = [...key.kid].length > 40 ? `${[...key.kid].slice(0, 40).join('')}…` : key.kid;
  return `the key with kid ${JSON.stringify(kid)}`;
}

function listInWords(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function checkAlgorithm(alg: string, allowed: string[], keys: LoadedKey[]): Check {
  if (alg === '' || alg.toLowerCase() === 'none') {
    return { name: 'algorithm', ok: false, code: 'ERR_JOSE_ALG_NOT_ALLOWED', detail: `alg "${alg || 'missing'}": an unsigned token proves nothing and is never accepted (RFC 8725 §3.2)` };
  }
  const info = describeAlgorithm(alg);
  if (info.family === 'secret' && keys.some((key) => key.family !== 'secret' || key.publicKeyAsSecret)) {
    return {
      name: 'algorithm',
      ok: false,
      code: 'ERR_JOSE_ALG_NOT_ALLOWED',
      detail: `key confusion: the token asks for ${alg}, but the key is a public key; an RS256 public key must never be used as an HMAC secret (RFC 8725 §2.1, §3.1)`,
    };
  }
  if (!allowed.includes(alg)) {
    return { name: 'algorithm', ok: false, code: 'ERR_JOSE_ALG_NOT_ALLOWED', detail: `${alg} is not allowed here; allowed: ${allowed.join(', ') || 'none fit the key'}` };
  }
  return { name: 'algorithm', ok: true, detail: `${alg} is allowed (allowed: ${allowed.join(', ')})` };
}

function keyAlgorithms(key: LoadedKey): string[] {
  const fits = algorithmsForFamily(key.family, key.curve) as string[];
  return key.alg !== undefined && fits.includes(key.alg) ? [key.alg] : fits;
}

function candidateKeys(keys: LoadedKey[], header: Record<string, unknown>, alg: string): LoadedKey[] {
  const fitting = keys.filter((key) => (algorithmsForFamily(key.family, key.curve) as string[]).includes(alg) && (key.alg === undefined || key.alg === alg));
  if (typeof header.kid !== 'string') return fitting;
  const withKids = fitting.filter((key) => key.kid !== undefined);
  // A single key without a kid (a --secret or a PEM file) is trusted whatever kid the token names.
  if (withKids.length === 0) return fitting;
  return fitting.filter((key) => key.kid === header.kid);
}

function describeKids(keys: LoadedKey[]): string {
  const kids = keys.map((key) => key.kid).filter((kid) => kid !== undefined);
  return kids.length ? kids.map((kid) => `"${kid}"`).join(', ') : 'none with a kid';
}

function claimChecks(payload: Record<string, unknown>, options: VerifyOptions): Check[] {
  const { now, clockTolerance: tolerance } = options;
  const checks: Check[] = [];

  const within = `within the ${tolerance} s clock tolerance`;
  const exp = payload.exp;
  if (exp === undefined) {
    checks.push({ name: 'exp', ok: true, skipped: true, detail: 'absent: this token never expires (accepted, but see the warning)' });
  } else if (numericClaim(exp) === undefined) {
    checks.push({ name: 'exp', ok: false, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', detail: 'exp is not a number of seconds' });
  } else if ((exp as number) <= now - tolerance) {
    // Expired on or after exp itself (RFC 7519 §4.1.4), give or take the tolerance.
    checks.push({ name: 'exp', ok: false, code: 'ERR_JWT_EXPIRED', detail: `expired ${relativeTime(exp as number, now)}, at ${isoFromSeconds(exp as number)}${tolerance ? `, beyond the ${tolerance} s clock tolerance` : ''}` });
  } else if ((exp as number) <= now) {
    checks.push({ name: 'exp', ok: true, detail: `expired ${relativeTime(exp as number, now)}, at ${isoFromSeconds(exp as number)}, ${within}` });
  } else {
    const milliseconds = looksLikeMilliseconds(exp as number) ? '; this looks like milliseconds, but JWT times are seconds (RFC 7519 §2)' : '';
    checks.push({ name: 'exp', ok: true, detail: `expires ${relativeTime(exp as number, now)}, at ${isoFromSeconds(exp as number)}${milliseconds}` });
  }

  const nbf = payload.nbf;
  if (nbf === undefined) {
    checks.push({ name: 'nbf', ok: true, skipped: true, detail: 'absent: valid from the moment it was issued' });
  } else if (numericClaim(nbf) === undefined) {
    checks.push({ name: 'nbf', ok: false, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', detail: 'nbf is not a number of seconds' });
  } else if ((nbf as number) > now + tolerance) {
    checks.push({ name: 'nbf', ok: false, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', detail: `not valid yet: it starts ${relativeTime(nbf as number, now)}, at ${isoFromSeconds(nbf as number)}${tolerance ? `, beyond the ${tolerance} s clock tolerance` : ''}` });
  } else if ((nbf as number) > now) {
    checks.push({ name: 'nbf', ok: true, detail: `not valid yet: it starts ${relativeTime(nbf as number, now)}, at ${isoFromSeconds(nbf as number)}, ${within}` });
  } else {
    checks.push({ name: 'nbf', ok: true, detail: `valid since ${isoFromSeconds(nbf as number)}` });
  }

  const iat = payload.iat;
  if (iat === undefined) {
    checks.push(options.maxAge !== undefined
      ? { name: 'iat', ok: false, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', detail: '--max-age needs an iat claim, and this token has none' }
      : { name: 'iat', ok: true, skipped: true, detail: 'absent' });
  } else if (numericClaim(iat) === undefined) {
    checks.push({ name: 'iat', ok: false, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', detail: 'iat is not a number of seconds' });
  } else if ((iat as number) > now + tolerance) {
    checks.push({ name: 'iat', ok: false, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', detail: `issued in the future: ${relativeTime(iat as number, now)}` });
  } else if (options.maxAge !== undefined && now - (iat as number) > options.maxAge + tolerance) {
    checks.push({ name: 'iat', ok: false, code: 'ERR_JWT_EXPIRED', detail: `issued ${relativeTime(iat as number, now)}, older than --max-age ${spanInWords(options.maxAge)}` });
  } else if ((iat as number) > now) {
    checks.push({ name: 'iat', ok: true, detail: `issued ${spanInWords((iat as number) - now)} in the future, ${within}` });
  } else {
    checks.push({ name: 'iat', ok: true, detail: `issued ${relativeTime(iat as number, now)}${options.maxAge !== undefined ? `, within --max-age ${spanInWords(options.maxAge)}` : ''}` });
  }

  checks.push(expectationCheck('iss', payload.iss, options.issuer, '--iss'));
  checks.push(audienceCheck(payload.aud, options.audience));
  checks.push(expectationCheck('sub', payload.sub, options.subject, '--sub'));

  for (const claim of options.requiredClaims ?? []) {
    // Own properties only: "constructor" or "__proto__" must not be found on Object.prototype.
    checks.push(!Object.hasOwn(payload, claim) || payload[claim] === undefined
      ? { name: `required ${claim}`, ok: false, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', detail: `the ${claim} claim is required but missing` }
      : { name: `required ${claim}`, ok: true, detail: 'present' });
  }
  return checks;
}

function expectationCheck(name: string, actual: unknown, expected: string | undefined, flag: string): Check {
  if (expected === undefined) {
    return { name, ok: true, skipped: true, detail: `not checked (pass ${flag} to pin it)${actual !== undefined ? `; the token says ${JSON.stringify(actual)}` : ''}` };
  }
  if (actual === expected) return { name, ok: true, detail: `${JSON.stringify(actual)} as expected` };
  return {
    name,
    ok: false,
    code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    detail: actual === undefined ? `missing; expected ${JSON.stringify(expected)}` : `${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
  };
}

function audienceCheck(actual: unknown, expected: string[] | undefined): Check {
  const audiences = typeof actual === 'string' ? [actual] : Array.isArray(actual) ? actual : [];
  if (!expected?.length) {
    return { name: 'aud', ok: true, skipped: true, detail: `not checked (pass --aud to pin it)${actual !== undefined ? `; the token says ${JSON.stringify(actual)}` : ''}` };
  }
  if (audiences.some((audience) => expected.includes(audience))) return { name: 'aud', ok: true, detail: `${JSON.stringify(actual)} includes ${expected.map((value) => JSON.stringify(value)).join(' or ')}` };
  return {
    name: 'aud',
    ok: false,
    code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    detail: actual === undefined ? `missing; expected ${JSON.stringify(expected.join(', '))}` : `${JSON.stringify(actual)}, expected ${expected.map((value) => JSON.stringify(value)).join(' or ')}`,
  };
}

/** What a token of each registered type is, to say what a token of another type is not. */
const TYPE_KINDS = new Map([
  ['application/at+jwt', 'an access token (RFC 9068 §4)'],
  ['application/dpop+jwt', 'a DPoP proof (RFC 9449 §4.3)'],
  ['application/logout+jwt', 'a logout token (OpenID Connect Back-Channel Logout 1.0 §2.4)'],
]);

/**
 * A typ compared as RFC 7515 §4.1.9 says: case-insensitively, with "application/" implied when it
 * has no "/" (as jose does). Media type names are ASCII and compare ASCII case only (RFC 6838
 * §4.2): toLowerCase() would fold the Kelvin sign (U+212A) into "k", so only A–Z are folded here,
 * and a typ with other characters never matches an ASCII one.
 */
function mediaTypeOf(typ: string): string {
  const lower = typ.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  return lower.includes('/') ? lower : `application/${lower}`;
}

/** A typ as shown in a message: JSON, with any character outside printable ASCII escaped, so "\u212Ab+jwt" is not read as "Kb+jwt". */
function shownType(typ: string): string {
  return JSON.stringify(typ).replace(/[^\x20-\x7e]/g, (character) => `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

function typeCheck(actual: unknown, expected: string | undefined): Check {
  if (expected === undefined) {
    return { name: 'typ', ok: true, skipped: true, detail: `not checked (pass --typ to pin it)${actual !== undefined ? `; the header says ${typeof actual === 'string' ? shownType(actual) : JSON.stringify(actual)}` : ''}` };
  }
  // A pin with nothing after its "/" names no type; the CLI refuses it (ERR_EMPTY_TYP), and here it matches nothing.
  const named = !mediaTypeOf(expected).endsWith('/');
  if (named && typeof actual === 'string' && mediaTypeOf(actual) === mediaTypeOf(expected)) {
    return { name: 'typ', ok: true, detail: actual === expected ? `${shownType(actual)} as expected` : `${shownType(actual)} matches ${shownType(expected)} (case and an "application/" prefix do not matter, RFC 7515 §4.1.9)` };
  }
  const kind = TYPE_KINDS.get(mediaTypeOf(expected));
  const shown = actual === undefined ? 'missing' : typeof actual === 'string' ? shownType(actual) : `${JSON.stringify(actual)} (not a string)`;
  // Say why a typ that looks the same does not match: a non-ASCII letter that only looks like an ASCII one.
  const lookalike = typeof actual === 'string' && /[^\x00-\x7f]/.test(actual) && mediaTypeOf(actual.toLowerCase()) === mediaTypeOf(expected.toLowerCase())
    ? ' (it has characters outside ASCII, which media type names never have: not the same type, RFC 6838 §4.2)'
    : '';
  const why = !named ? 'the pin names no type' : kind ? `this is not ${kind}` : 'a token of another kind must not pass for this one (RFC 8725 §3.11)';
  return {
    name: 'typ',
    ok: false,
    code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    detail: `${shown}${lookalike}, expected ${shownType(expected)}: ${why}`,
  };
}

function claimVerdict(check: Check): string {
  switch (check.name) {
    case 'exp':
      return check.code === 'ERR_JWT_EXPIRED' ? `this token has expired (${check.detail})` : check.detail;
    case 'nbf':
      return `this token is not valid yet (${check.detail})`;
    case 'iat':
      // A future iat is not "not valid yet" (that is nbf): no token is issued after now, so the clock or the unit is wrong.
      return check.code === 'ERR_JWT_EXPIRED' ? `this token is too old (${check.detail})` : `${check.detail} (no token is issued after now: check the clock, or whether iat is in milliseconds)`;
    case 'iss':
      return `this token comes from another issuer (${check.detail})`;
    case 'aud':
      return `this token is for another audience (${check.detail})`;
    case 'sub':
      return `this token is about another subject (${check.detail})`;
    default:
      return check.detail;
  }
}

async function joseSecondOpinion(token: string, key: LoadedKey, alg: string, options: VerifyOptions): Promise<Check | undefined> {
  try {
    await jwtVerify(token, key.key, {
      algorithms: [alg],
      issuer: options.issuer,
      audience: options.audience?.length ? options.audience : undefined,
      subject: options.subject,
      typ: options.tokenType,
      maxTokenAge: options.maxAge,
      requiredClaims: options.requiredClaims,
      clockTolerance: options.clockTolerance,
      currentDate: new Date(options.now * 1000),
    });
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'ERR_JOSE';
    return { name: 'jose', ok: false, code, detail: `jose's jwtVerify also rejects it: ${code}: ${(error as Error).message}` };
  }
}
