// PKCE (RFC 7636) as the provider checks it: /authorize the challenge's form, /token the verifier
// against it. The computation is shared with the client, so it lives in src/protocol/pkce.ts.

export { isWellFormedPkceValue, s256Challenge } from '../protocol/pkce.js';
