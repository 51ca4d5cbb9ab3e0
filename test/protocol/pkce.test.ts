// The one PKCE computation that the client, the provider and the exercises share (RFC 7636).

import { describe, expect, test } from 'vitest';
import { codeVerifierHash, isWellFormedPkceValue, newCodeVerifier, s256Challenge } from '../../src/protocol/pkce.js';

/** RFC 7636 Appendix B: the example verifier and the S256 challenge the RFC gives for it. */
const APPENDIX_B = { verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' };

describe('S256 (RFC 7636 §4.2)', () => {
  test('RFC 7636 Appendix B: the example verifier gives the example challenge', () => {
    expect(s256Challenge(APPENDIX_B.verifier)).toBe(APPENDIX_B.challenge);
  });

  test('the hash is the 32 bytes Appendix B lists, and the challenge is them in base64url', () => {
    const hash = codeVerifierHash(APPENDIX_B.verifier);
    expect([...hash]).toEqual([19, 211, 30, 150, 26, 26, 216, 236, 47, 22, 177, 12, 76, 152, 46, 8, 118, 168, 120, 173, 109, 241, 68, 86, 110, 225, 137, 74, 203, 112, 249, 195]);
    expect(hash.toString('base64url')).toBe(APPENDIX_B.challenge);
  });
});

describe('code_verifier and code_challenge form (RFC 7636 §4.1)', () => {
  test.each([
    ['43 unreserved characters', 'a'.repeat(43), true],
    ['128 characters', 'a'.repeat(128), true],
    ['all four unreserved marks', `${'A'.repeat(39)}-._~`, true],
    ['42 characters', 'a'.repeat(42), false],
    ['129 characters', 'a'.repeat(129), false],
    ['base64 padding', `${'a'.repeat(42)}=`, false],
    ['a plus sign', `${'a'.repeat(42)}+`, false],
    ['a space', `${'a'.repeat(42)} `, false],
  ])('%s: %s', (_name, value, wellFormed) => {
    expect(isWellFormedPkceValue(value)).toBe(wellFormed);
  });

  test('a new verifier is 43 well-formed characters, different every time', () => {
    const verifiers = Array.from({ length: 20 }, () => newCodeVerifier());
    for (const verifier of verifiers) {
      expect(verifier).toHaveLength(43);
      expect(isWellFormedPkceValue(verifier)).toBe(true);
      expect(isWellFormedPkceValue(s256Challenge(verifier))).toBe(true);
    }
    expect(new Set(verifiers).size).toBe(verifiers.length);
  });
});
