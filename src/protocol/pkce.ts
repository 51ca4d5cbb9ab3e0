// PKCE (RFC 7636), the pieces both sides compute: the client makes a verifier and its S256
// challenge, the provider checks their form and recomputes the challenge. It lives beside the
// layers, importing none, so the client need not borrow the provider's code, nor the provider the client's.

import { createHash, randomBytes } from 'node:crypto';

/** code_verifier and code_challenge: 43 to 128 unreserved characters (RFC 7636 §4.1, §4.2). */
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

/** Whether a code_verifier or code_challenge has the form RFC 7636 §4.1/§4.2 allows; says nothing of a match. */
export function isWellFormedPkceValue(value: string): boolean {
  return PKCE_VALUE.test(value);
}

/** SHA256(ASCII(code_verifier)): the 32 bytes that S256 base64url-encodes (RFC 7636 §4.2). */
export function codeVerifierHash(verifier: string): Buffer {
  return createHash('sha256').update(verifier, 'ascii').digest();
}

/** BASE64URL(SHA256(ASCII(code_verifier))), RFC 7636 §4.2. */
export function s256Challenge(verifier: string): string {
  return codeVerifierHash(verifier).toString('base64url');
}

/** A fresh code_verifier: 32 random bytes in base64url, 43 characters (what RFC 7636 §4.1 recommends). */
export function newCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}
