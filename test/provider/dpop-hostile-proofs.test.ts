// Hostile DPoP proofs at Mock Google's /token (RFC 9449 §4.3, RFC 6749 §5.2): a header nested
// thousands of levels deep is a clean 400, and no refusal repeats more than a short, escaped
// excerpt of what was sent, in the answer or in the log.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SignJWT } from 'jose';
import type { RunningProvider } from '../../src/provider/server.js';
import { startTestProvider } from '../helpers/provider.js';
import { clientKey, tokenRequest, type ClientKey } from './dpop-helpers.js';

let provider: RunningProvider;
let key: ClientKey;
const log: string[] = [];
// RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E; the provider's texts keep " and \.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

beforeAll(async () => {
  [provider, key] = await Promise.all([startTestProvider({ onRequest: (event) => log.push(event.message) }), clientKey()]);
});
afterAll(() => provider.close());

const encode = (text: string) => Buffer.from(text).toString('base64url');
const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
/** The attacker review's proof (gen7.mjs): a header as given, real claims, a dummy signature. */
const proofWithHeaderText = (headerText: string) => `${encode(headerText)}.${encode(JSON.stringify({ jti: 'a', htm: 'POST', htu: `${provider.issuer}/token`, iat: Math.floor(Date.now() / 1000) }))}.AAAA`;
const devicePoll = (proof: string) => tokenRequest(provider, 'demo-app', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'x' }, proof);

describe('a proof header nested deep', () => {
  test.each([
    ['typ', (value: string) => `{"typ":${value},"alg":"ES256","jwk":{"kty":"EC"}}`],
    ['alg', (value: string) => `{"typ":"dpop+jwt","alg":${value},"jwk":{"kty":"EC"}}`],
    ['jwk.kty', (value: string) => `{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":${value}}}`],
  ])('%s 5000 levels deep: 400 invalid_dpop_proof, not 500', async (_name, header) => {
    const answer = await devicePoll(proofWithHeaderText(header(deep(5000))));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'The DPoP proof is not valid: the proof\'s header nests arrays or objects more than 16 levels deep (section 4.3 point 2).' });
  });

  test('typ 3000 levels deep: neither the answer nor the log repeats it', async () => {
    const answer = await devicePoll(proofWithHeaderText(`{"typ":${deep(3000)},"alg":"ES256","jwk":{"kty":"EC"}}`));
    expect(answer.status).toBe(400);
    expect(answer.body.error_description.length).toBeLessThan(200);
    expect(log.at(-1)!.length).toBeLessThan(200);
    expect(log.at(-1)).not.toContain('[[');
  });

  test('typ 10 levels deep is named, not printed', async () => {
    const answer = await devicePoll(proofWithHeaderText(`{"typ":${deep(10)},"alg":"ES256","jwk":{"kty":"EC"}}`));
    expect(answer.body.error_description).toBe("The DPoP proof is not valid: the proof's typ is an array, not 'dpop+jwt' (section 4.3 point 4).");
  });
});

describe('values from the proof in error_description: printable ASCII, escaped, short', () => {
  test('an htm with U+009B and U+202E', async () => {
    const proof = await new SignJWT({ htm: 'PO\u009bST\u202e', htu: `${provider.issuer}/token` }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.publicJwk as never }).setJti('b').setIssuedAt().sign(key.privateKey);
    const answer = await devicePoll(proof);
    expect(answer.body.error_description).toBe("The DPoP proof is not valid: the proof's htm is 'POU+009BSTU+202E', but the request is POST (section 4.3 point 8).");
    expect(answer.body.error_description).toMatch(PRINTABLE_ASCII);
    expect(log.at(-1)).not.toMatch(/[\u009b\u202e]/);
  });

  test('an htu with a newline in it (WHATWG URL parsing would drop it): refused, quoted escaped and cut short', async () => {
    const htu = `${provider.issuer}/to\nken?${'x'.repeat(5000)}`;
    const proof = await new SignJWT({ htm: 'POST', htu }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.publicJwk as never }).setJti('c').setIssuedAt().sign(key.privateKey);
    const answer = await devicePoll(proof);
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toContain(`the proof's htu '${`${provider.issuer}/toU+000Aken?`.slice(0, 40 + 5)}`);
    expect(answer.body.error_description).toContain('is not an http(s) URI as RFC 3986 writes one');
    expect(answer.body.error_description).toMatch(PRINTABLE_ASCII);
    expect(answer.body.error_description.length).toBeLessThan(400);
  });
});
