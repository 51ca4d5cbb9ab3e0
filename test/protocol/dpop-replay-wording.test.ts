// A replayed jti: RFC 9449 §11.1 requires only the time window and leaves remembering jti values
// to the server, so the refusal says what this server does, not that a proof is good for one request.

import { generateKeyPair, exportJWK } from 'jose';
import { expect, test } from 'vitest';
import { checkDpopProof, createDpopProof } from '../../src/protocol/dpop.js';

test('a jti the server saw before: "this server takes each proof once (§11.1)"', async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const now = Math.floor(Date.now() / 1000);
  const proof = await createDpopProof({ privateKey, publicJwk: await exportJWK(publicKey), alg: 'ES256', htm: 'POST', htu: 'https://auth.example/token', iat: now });
  const check = await checkDpopProof(proof, { htm: 'POST', htu: 'https://auth.example/token', now, isReplay: () => true });
  expect(check).toEqual({ ok: false, error: 'invalid_dpop_proof', reason: 'the proof\'s jti was used before: this server takes each proof once (§11.1)' });
});
