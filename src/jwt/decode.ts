// Decodes a pasted token into everything a learner needs to read it: parts, header and claims
// with meanings, times in words, and warnings. It does NOT verify the signature.

import { describeAlgorithm } from './algorithms.js';
import { isDpopProof, meaningOfClaim, meaningOfHeader, TIME_CLAIMS } from './claims.js';
import { parseCompact, type TokenType } from './compact.js';
import { extractToken } from './pasted-input.js';
import { isoFromSeconds, relativeTime } from './time.js';
import { tokenWarnings, type Warning } from './warnings.js';

export interface ExplainedField {
  name: string;
  value: unknown;
  meaning?: string;
  /** For NumericDate claims: ISO 8601 and a relative phrase. */
  time?: { iso: string; relative: string };
}

export interface DecodedToken {
  type: TokenType;
  token: string;
  segments: string[];
  header: Record<string, unknown>;
  /** Claims for a JWT, the payload text for a JWS that is not a JWT, null for a JWE. */
  payload: Record<string, unknown> | string | null;
  signature: string;
  signatureBytes: number;
  algorithm: { name: unknown; family: string; description: string };
  headerFields: ExplainedField[];
  payloadFields: ExplainedField[];
  warnings: Warning[];
  /** A DPoP proof (typ dpop+jwt, RFC 9449 §4.2): its key is in its header, and it has no exp or aud on purpose. */
  dpopProof: boolean;
}

/** Decodes what a user pasted. Throws InputError for input that is not a compact token. */
export function decodeToken(pasted: string, now: number): DecodedToken {
  const token = extractToken(pasted);
  const parsed = parseCompact(token);
  const dpopProof = parsed.type === 'JWT' && isDpopProof(parsed.header);
  const algorithm = parsed.type === 'JWE' ? describeJweAlgorithm(parsed.header.alg, parsed.header.enc) : describeAlgorithm(parsed.header.alg);
  return {
    type: parsed.type,
    token,
    segments: parsed.segments,
    header: parsed.header,
    payload: parsed.payload ?? parsed.payloadText,
    signature: parsed.signature,
    signatureBytes: parsed.signatureBytes,
    algorithm: { name: parsed.header.alg, family: algorithm.family, description: algorithm.description },
    headerFields: Object.entries(parsed.header).map(([name, value]) => ({ name, value, meaning: meaningOfHeader(name, parsed.type, dpopProof) })),
    payloadFields: parsed.payload ? explainClaims(parsed.payload, now, dpopProof) : [],
    warnings: tokenWarnings(parsed.header, parsed.payload, now),
    dpopProof,
  };
}

/**
 * A DPoP proof's key thumbprint (RFC 7638), what a token bound to it carries as cnf.jkt (RFC 9449
 * §6.1); undefined for any other token, or a header jwk that is not a usable public key.
 */
export async function dpopProofThumbprint(decoded: DecodedToken): Promise<string | undefined> {
  const jwk = decoded.header.jwk;
  if (!decoded.dpopProof || typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return undefined;
  // Loaded here only: it brings all of jose, which reading any other token does not need.
  const { jwkThumbprint } = await import('../protocol/dpop.js');
  return jwkThumbprint(jwk as Parameters<typeof jwkThumbprint>[0]).catch(() => undefined);
}

export function explainClaims(payload: Record<string, unknown>, now: number, dpopProof = false): ExplainedField[] {
  return Object.entries(payload).map(([name, value]) => {
    const field: ExplainedField = { name, value, meaning: meaningOfClaim(name, dpopProof) };
    if (TIME_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value)) {
      field.time = { iso: isoFromSeconds(value), relative: relativeTime(value, now) };
    }
    return field;
  });
}

/**
 * A JWE's alg is a key-management algorithm, not a signing one (RFC 7516 §4.1.1, RFC 7518 §4),
 * and its enc the content encryption (RFC 7518 §5). Family "key-management" says so in --json.
 */
export function describeJweAlgorithm(alg: unknown, enc: unknown): { family: string; description: string } {
  const encryption = typeof enc === 'string' ? describeContentEncryption(enc) : 'enc is missing: a recipient must reject this JWE';
  const keyManagement = typeof alg === 'string' ? describeKeyManagement(alg) : undefined;
  if (keyManagement === undefined) {
    const shown = typeof alg === 'string' ? `"${alg}" is not a JWE key-management algorithm this tool knows` : 'alg is missing or not a string: a recipient must reject this JWE';
    return { family: 'unknown', description: `${shown}; ${encryption}` };
  }
  return { family: 'key-management', description: `${keyManagement}; ${encryption}` };
}

/**
 * Which key decrypts a JWE, by its alg's family (RFC 7518 §4): the recipient's private key for
 * RSA and ECDH, a key both sides share for dir and AES key wrap, a shared password for PBES2.
 */
export function keyThatDecrypts(alg: unknown): string {
  if (typeof alg === 'string') {
    if (alg === 'RSA1_5' || /^RSA-OAEP(-256|-384|-512)?$/.test(alg) || /^ECDH-ES(\+A(128|192|256)KW)?$/.test(alg)) return `the recipient's private key (alg ${alg})`;
    if (alg === 'dir' || /^A(128|192|256)(GCM)?KW$/.test(alg)) return `the shared key (alg ${alg}: a symmetric key the sender and the recipient both hold)`;
    if (/^PBES2-HS(256|384|512)\+A(128|192|256)KW$/.test(alg)) return `the shared password (alg ${alg}: the key is derived from it)`;
  }
  return "the recipient's private key (or the shared key)";
}

function describeKeyManagement(alg: string): string | undefined {
  if (alg === 'dir') return 'dir: a shared symmetric key is used directly as the content key, nothing is wrapped (RFC 7518 §4.5)';
  if (alg === 'RSA1_5' || /^RSA-OAEP(-256|-384|-512)?$/.test(alg)) return `${alg}: the content key is encrypted to the recipient's RSA public key (RFC 7518 §4.2, §4.3)`;
  if (/^A(128|192|256)KW$/.test(alg)) return `${alg}: the content key is wrapped with a shared AES key (AES Key Wrap, RFC 7518 §4.4)`;
  if (alg === 'ECDH-ES') return 'ECDH-ES: the content key is agreed by ECDH between the sender\'s ephemeral key (epk) and the recipient\'s key (RFC 7518 §4.6)';
  if (/^ECDH-ES\+A(128|192|256)KW$/.test(alg)) return `${alg}: a key agreed by ECDH with the recipient's key wraps the content key (RFC 7518 §4.6)`;
  if (/^A(128|192|256)GCMKW$/.test(alg)) return `${alg}: the content key is wrapped with a shared AES key using AES-GCM (RFC 7518 §4.7)`;
  if (/^PBES2-HS(256|384|512)\+A(128|192|256)KW$/.test(alg)) return `${alg}: the content key is wrapped with a key derived from a password (PBES2, RFC 7518 §4.8)`;
  return undefined;
}

function describeContentEncryption(enc: string): string {
  const gcm = /^A(128|192|256)GCM$/.exec(enc);
  if (gcm) return `enc ${enc}: the content is encrypted with AES-GCM and a ${gcm[1]}-bit key (RFC 7518 §5.3)`;
  if (/^A(128|192|256)CBC-HS(256|384|512)$/.test(enc)) return `enc ${enc}: the content is encrypted with AES-CBC and protected by HMAC (RFC 7518 §5.2)`;
  return `enc "${enc}" is not a content encryption algorithm this tool knows`;
}
