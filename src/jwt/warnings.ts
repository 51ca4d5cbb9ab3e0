// Things a learner should notice in a token before trusting it. Each warning has a stable code
// that `--json` carries; the message says what is wrong and why it matters.

import { describeAlgorithm } from './algorithms.js';
import { isDpopProof } from './claims.js';
import { relativeTime, spanInWords } from './time.js';

export interface Warning {
  code: string;
  message: string;
}

const LONG_LIFETIME_SECONDS = 24 * 3600;
/** Names that suggest what a claim holds, each worded by what it suggests. */
const SENSITIVE_NAMES: Array<[RegExp, string]> = [
  [/(card|cvv|cvc|pan_?number)/i, 'is named like payment card data'],
  [/(ssn|aadhaar)/i, 'is named like a national identity number'],
  [/(pass(word|wd)?|pwd|secret|private|\bpin\b|api_?key|credential)/i, 'is named like a secret'],
];

export function tokenWarnings(
  header: Record<string, unknown>,
  payload: Record<string, unknown> | null,
  now: number,
): Warning[] {
  const warnings: Warning[] = [];
  if (typeof header.alg === 'string' && header.alg.toLowerCase() === 'none') {
    warnings.push({
      code: 'alg-none',
      message: 'alg is "none": an Unsecured JWT (RFC 7519 §6) with no signature, so anyone could have written it. Never accept it (RFC 8725 §3.2).',
    });
  }
  if (!payload) return warnings;

  // A DPoP proof has no exp or aud on purpose: iat keeps it short-lived and jti single-use (RFC 9449 §4.3 point 11).
  const dpopProof = isDpopProof(header);
  if (dpopProof) warnings.push(...missingProofParts(header, payload));
  const exp = numericClaim(payload.exp);
  const nbf = numericClaim(payload.nbf);
  const iat = numericClaim(payload.iat);
  if (exp === undefined) {
    if (!dpopProof) warnings.push({
      code: 'no-exp',
      message: 'No exp claim: this token never expires, so if it leaks it works forever. Set a short expiry.',
    });
  } else if (exp <= now) {
    warnings.push({ code: 'expired', message: `Expired ${relativeTime(exp, now)}: a verifier must reject it.` });
  }
  if (nbf !== undefined && nbf > now) {
    warnings.push({ code: 'not-yet-valid', message: `Not valid until ${relativeTime(nbf, now)} (nbf): a verifier must reject it until then.` });
  }
  // An exp in milliseconds is one mistake: said once, as milliseconds, not also as a long lifetime.
  if (exp !== undefined && !looksLikeMilliseconds(exp)) {
    const lifetime = exp - (iat ?? now);
    if (lifetime > LONG_LIFETIME_SECONDS) {
      warnings.push({
        code: 'long-lifetime',
        message: `Lives ${spanInWords(lifetime)}${iat === undefined ? ' from now' : ''}: over 24 hours. A stolen bearer token works until it expires; keep access tokens to minutes.`,
      });
    }
  }
  for (const name of ['exp', 'nbf', 'iat']) {
    const value = numericClaim(payload[name]);
    if (value !== undefined && looksLikeMilliseconds(value)) warnings.push(millisecondsWarning(name, value));
  }
  if (payload.aud === undefined && !dpopProof) {
    warnings.push({
      code: 'no-aud',
      message: 'No aud claim: any service that trusts this issuer would accept it, not only the one it was meant for.',
    });
  }
  for (const [name, value] of Object.entries(payload)) {
    const reason = sensitiveReason(name, value);
    if (reason) {
      warnings.push({
        code: 'sensitive-claim',
        message: `Claim "${name}" ${reason}. Anyone holding the token can read the payload: signed is not encrypted.`,
      });
    }
  }
  if (typeof header.alg === 'string' && describeAlgorithm(header.alg).family === 'none' && header.alg.toLowerCase() !== 'none') {
    warnings.push({ code: 'unknown-alg', message: `alg "${header.alg}" is not a known JWS algorithm.` });
  }
  return warnings;
}

/** What RFC 9449 §4.2 requires of every proof and a server rejects one without (§4.3 point 3). */
function missingProofParts(header: Record<string, unknown>, payload: Record<string, unknown>): Warning[] {
  const missing: Warning[] = ['jti', 'htm', 'htu', 'iat']
    .filter((name) => payload[name] === undefined)
    .map((name) => ({ code: 'dpop-missing-claim', message: `No ${name} claim: a DPoP proof must carry jti, htm, htu and iat, and a server rejects one without (RFC 9449 §4.3 point 3).` }));
  if (typeof header.jwk !== 'object' || header.jwk === null) {
    missing.unshift({ code: 'dpop-no-jwk', message: 'No jwk in the header: a DPoP proof carries the public key it is signed with, and a server rejects one without (RFC 9449 §4.2, §4.3 point 3).' });
  }
  return missing;
}

/** Past 1e11 seconds (the year 5138) a NumericDate is almost surely milliseconds by mistake. */
export function looksLikeMilliseconds(seconds: number): boolean {
  return seconds > 1e11;
}

function millisecondsWarning(name: string, value: number): Warning {
  const year = new Date(value * 1000).getUTCFullYear();
  return {
    code: 'time-in-milliseconds',
    message: `${name} looks like milliseconds; JWT times are seconds since 1970 (RFC 7519 §2)${Number.isNaN(year) ? '' : `, so this one means the year ${year}`}. Divide by 1000.`,
  };
}

export function numericClaim(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Says what matched: the value itself (a private key, a card number) before the claim's name. */
function sensitiveReason(name: string, value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return 'holds a private key (a PEM "PRIVATE KEY" block)';
    const digits = value.replace(/[ -]/g, '');
    if (/^\d{13,19}$/.test(digits) && passesLuhn(digits)) return 'holds a value that looks like a card number (13 to 19 digits passing the Luhn check)';
  }
  for (const [pattern, reason] of SENSITIVE_NAMES) if (pattern.test(name)) return reason;
  return undefined;
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
