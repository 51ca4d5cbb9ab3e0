// `decode` reads a DPoP proof (RFC 9449 §4.2) as a proof: its claims have meanings, its header key
// is the one it is checked with, no exp/aud warnings, and the closing words say who checks it.

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { decodeToken } from '../../src/jwt/decode.js';
import { createDpopProof, jwkThumbprint } from '../../src/protocol/dpop.js';
import { rawToken, runCli } from '../helpers/cli.js';

const NOW = 1_800_000_000;
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicJwk = publicKey.export({ format: 'jwk' });
const proof = await createDpopProof({ privateKey, publicJwk, alg: 'ES256', htm: 'GET', htu: 'https://api.example/orders?page=2', accessToken: 'the-access-token', nonce: 'server-nonce-1', jti: 'proof-1', iat: NOW });
const jkt = await jwkThumbprint(publicJwk);
const RFC_8725_JWK = 'An embedded public key; trusting it would let anyone sign (RFC 8725 §3.10)';

const meaningOf = (fields: { name: string; meaning?: string }[], name: string) => fields.find((field) => field.name === name)?.meaning;
/** The view with its line breaks undone, so a check does not depend on where a sentence wraps. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('decode of a DPoP proof', () => {
  test('each claim has its meaning, and no exp or aud warning', () => {
    const decoded = decodeToken(proof, NOW);
    expect(decoded.dpopProof).toBe(true);
    expect(meaningOf(decoded.payloadFields, 'htm')).toBe('HTTP method of the request this DPoP proof is for (RFC 9449 §4.2)');
    expect(meaningOf(decoded.payloadFields, 'htu')).toBe('HTTP URI of the request this DPoP proof is for, without its query and fragment (RFC 9449 §4.2)');
    expect(meaningOf(decoded.payloadFields, 'ath')).toBe('Access token hash: base64url SHA-256 of the access token this DPoP proof is sent with (RFC 9449 §4.2)');
    expect(meaningOf(decoded.payloadFields, 'jti')).toMatch(/a server may remember the jti values it has seen and refuse a repeat, so a copied proof fails \(RFC 9449 §4\.2, §11\.1\)$/);
    expect(meaningOf(decoded.payloadFields, 'iat')).toMatch(/accepts it only within a window of minutes \(RFC 9449 §4\.3 point 11\)$/);
    expect(meaningOf(decoded.payloadFields, 'nonce')).toBe('Nonce: the value the server gave in its DPoP-Nonce header, so the proof cannot be made in advance (RFC 9449 §8)');
    expect(decoded.warnings).toEqual([]);
  });

  test('the header: typ names a proof, jwk is the key it is checked with, not the RFC 8725 warning', () => {
    const decoded = decodeToken(proof, NOW);
    expect(meaningOf(decoded.headerFields, 'typ')).toBe('Type of token: dpop+jwt, a DPoP proof (RFC 9449 §4.2)');
    const jwk = meaningOf(decoded.headerFields, 'jwk');
    expect(jwk).toMatch(/^The public key this proof is signed with: the server checks the signature with it \(RFC 9449 §4\.3 point 6\)\./);
    expect(jwk).toContain('the access token is bound to this key\'s thumbprint (cnf.jkt, §6.1)');
    expect(jwk).not.toContain('RFC 8725');
  });

  test('the view: the typ and jwk lines, no warnings, and a closing that says who checks a proof, with its thumbprint', async () => {
    const result = await runCli(['decode', proof], { now: NOW });
    expect(result.code).toBe(0);
    const view = flat(result.stdout);
    expect(view).toContain('typ "dpop+jwt" Type of token: dpop+jwt, a DPoP proof (RFC 9449 §4.2)');
    expect(view).toMatch(/jwk \{"kty":"EC".*The public key this proof is signed with/);
    expect(view).not.toContain('not a registered claim');
    expect(view).toContain('✓ No warnings.');
    expect(view).toContain('The server that receives it checks it (RFC 9449 §4.3): htm and htu against the request, iat within a window of minutes, ath against the access token sent with it, and the key\'s thumbprint against that token\'s cnf.jkt; it may also refuse a jti it has seen before (§11.1).');
    expect(view).toContain('jwt-vs-oauth verify checks tokens an issuer signed (access tokens, ID tokens), not proofs.');
    expect(view).toContain(`what a token bound to it carries as cnf.jkt: ${jkt}`);
    // The thumbprint is a sentence of its own, on its own line, even unwrapped (a pipe without COLUMNS).
    expect(result.stdout.split('\n')).toContain(`  Its key's thumbprint, what a token bound to it carries as cnf.jkt: ${jkt}`);
    expect(view).not.toContain('verify "$TOKEN"');
  });

  test('--json: the claims\' meanings, no warnings, and dpopProof with the thumbprint and who checks it', async () => {
    const result = await runCli(['decode', '--json', proof], { now: NOW });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { warnings: unknown[]; claims: { name: string; meaning: string | null }[]; dpopProof: { jkt: string; key: string; checkedBy: string } };
    expect(json.warnings).toEqual([]);
    expect(Object.fromEntries(json.claims.map(({ name, meaning }) => [name, meaning?.split(':')[0]]))).toEqual({ htm: 'HTTP method of the request this DPoP proof is for (RFC 9449 §4.2)', htu: 'HTTP URI of the request this DPoP proof is for, without its query and fragment (RFC 9449 §4.2)', ath: 'Access token hash', nonce: 'Nonce', jti: 'JWT ID', iat: 'Issued at' });
    expect(json.dpopProof.jkt).toBe(jkt);
    expect(json.dpopProof.key).toContain('the server checks the signature with it (RFC 9449 §4.3 point 6)');
    expect(json.dpopProof.checkedBy).toContain('The server that receives it checks it (RFC 9449 §4.3)');
    expect(json.dpopProof.checkedBy).toContain('not proofs');
  });

  test('a proof without htm, or without its jwk, gets a warning naming what is missing (RFC 9449 §4.3 point 3)', () => {
    const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk };
    const noHtm = decodeToken(rawToken(header, { jti: 'j', htu: 'https://api.example/orders', iat: NOW }), NOW);
    expect(noHtm.warnings).toEqual([{ code: 'dpop-missing-claim', message: 'No htm claim: a DPoP proof must carry jti, htm, htu and iat, and a server rejects one without (RFC 9449 §4.3 point 3).' }]);
    const noJwk = decodeToken(rawToken({ typ: 'dpop+jwt', alg: 'ES256' }, { jti: 'j', htm: 'GET', htu: 'https://api.example/orders', iat: NOW }), NOW);
    expect(noJwk.warnings.map((warning) => warning.code)).toEqual(['dpop-no-jwk']);
  });
});

describe('decode of other tokens', () => {
  test('an access token bound with cnf.jkt: cnf is explained as the binding to a DPoP key', () => {
    const decoded = decodeToken(rawToken({ typ: 'at+jwt', alg: 'ES256' }, { iss: 'https://issuer.example', aud: 'api', exp: NOW + 60, cnf: { jkt } }), NOW);
    expect(meaningOf(decoded.payloadFields, 'cnf')).toBe('Confirmation (RFC 7800): the key this token is bound to. Its jkt is the SHA-256 thumbprint of the client\'s DPoP key (RFC 9449 §6.1): the token is accepted only with a DPoP proof signed by that key');
  });

  test('an ordinary token with the same jwk header keeps the RFC 8725 §3.10 warning, no-exp, no-aud and the verify hint', async () => {
    const token = rawToken({ typ: 'JWT', alg: 'ES256', jwk: publicJwk }, { sub: 'asha' });
    const decoded = decodeToken(token, NOW);
    expect(decoded.dpopProof).toBe(false);
    expect(meaningOf(decoded.headerFields, 'jwk')).toBe(RFC_8725_JWK);
    expect(meaningOf(decodeToken(proof, NOW).headerFields, 'jwk')).not.toBe(RFC_8725_JWK);
    expect(decoded.warnings.map((warning) => warning.code)).toEqual(['no-exp', 'no-aud']);
    const result = await runCli(['decode', token], { now: NOW });
    expect(flat(result.stdout)).toContain('jwt-vs-oauth verify "$TOKEN" --key <public key file>');
    expect(result.stdout).not.toContain('DPoP proof');
  });
});
