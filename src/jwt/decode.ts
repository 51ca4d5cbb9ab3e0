// Decodes a pasted token into everything a learner needs to read it: parts, header and claims
// with meanings, times in words, and warnings. It does NOT verify the signature.

import { describeAlgorithm } from './algorithms.js';
import { meaningOfClaim, meaningOfHeader, TIME_CLAIMS } from './claims.js';
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
}

/** Decodes what a user pasted. Throws InputError for input that is not a compact token. */
export function decodeToken(pasted: string, now: number): DecodedToken {
  const token = extractToken(pasted);
  const parsed = parseCompact(token);
  const algorithm = describeAlgorithm(parsed.header.alg);
  return {
    type: parsed.type,
    token,
    segments: parsed.segments,
    header: parsed.header,
    payload: parsed.payload ?? parsed.payloadText,
    signature: parsed.signature,
    signatureBytes: parsed.signatureBytes,
    algorithm: { name: parsed.header.alg, family: algorithm.family, description: algorithm.description },
    headerFields: Object.entries(parsed.header).map(([name, value]) => ({ name, value, meaning: meaningOfHeader(name) })),
    payloadFields: parsed.payload ? explainClaims(parsed.payload, now) : [],
    warnings: tokenWarnings(parsed.header, parsed.payload, now),
  };
}

export function explainClaims(payload: Record<string, unknown>, now: number): ExplainedField[] {
  return Object.entries(payload).map(([name, value]) => {
    const field: ExplainedField = { name, value, meaning: meaningOfClaim(name) };
    if (TIME_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value)) {
      field.time = { iso: isoFromSeconds(value), relative: relativeTime(value, now) };
    }
    return field;
  });
}
