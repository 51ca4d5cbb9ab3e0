// Proofs made to hurt the checker (RFC 9449 §4.3): headers nested thousands of levels deep, values
// with invisible or reordering characters, and htu values that WHATWG URL parsing would repair
// but that are no RFC 3986 URI. Each is refused with a short reason in printable ASCII.

import { generateKeyPair, exportJWK, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { checkDpopProof, createDpopProof, type ProofExpectations } from '../../src/protocol/dpop.js';
import { quoteUntrusted } from '../../src/protocol/untrusted-quote.js';

const NOW = 1_800_000_000;
const HTU = 'https://auth.example/oauth/token';
let pair: Awaited<ReturnType<typeof generateKeyPair>>;
let publicJwk: JWK;

beforeAll(async () => {
  pair = await generateKeyPair('ES256', { extractable: true });
  publicJwk = await exportJWK(pair.publicKey);
});

const expecting = (overrides: Partial<ProofExpectations> = {}): ProofExpectations => ({ htm: 'POST', htu: HTU, now: NOW, isReplay: () => false, ...overrides });
const encode = (text: string) => Buffer.from(text).toString('base64url');
const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
/** A proof whose header is the given JSON text, unsigned (the header is refused before the signature). */
const withHeaderText = (headerText: string) => `${encode(headerText)}.${encode(JSON.stringify({ jti: 'a', htm: 'POST', htu: HTU, iat: NOW }))}.AAAA`;
/** A signed proof with these claims (jti, iat filled in). */
const signedWith = (claims: Record<string, unknown>) => new SignJWT({ jti: 'a', iat: NOW, ...claims }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk as never }).sign(pair.privateKey);

async function reasonFor(proof: string, overrides: Partial<ProofExpectations> = {}): Promise<string> {
  const checked = await checkDpopProof(proof, expecting(overrides));
  if (checked.ok) throw new Error('the proof was accepted');
  return checked.reason;
}

describe('a header nested thousands of levels deep', () => {
  test.each([
    ['typ', (value: string) => `{"typ":${value},"alg":"ES256","jwk":{"kty":"EC"}}`],
    ['alg', (value: string) => `{"typ":"dpop+jwt","alg":${value},"jwk":{"kty":"EC"}}`],
    ['jwk.kty', (value: string) => `{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":${value}}}`],
  ])('%s 5000 levels deep: refused as too deep, not a stack overflow', async (_name, header) => {
    const reason = await reasonFor(withHeaderText(header(deep(5000))));
    expect(reason).toBe('the proof\'s header nests arrays or objects more than 16 levels deep (§4.3 point 2)');
  });

  test('a payload claim 5000 levels deep: refused as too deep', async () => {
    const proof = `${encode('{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC"}}')}.${encode(`{"jti":"a","htm":"POST","htu":"${HTU}","x":${deep(5000)}}`)}.AAAA`;
    expect(await reasonFor(proof)).toBe('the proof\'s payload nests arrays or objects more than 16 levels deep (§4.3 point 2)');
  });

  test('brackets inside a string are not nesting', async () => {
    const proof = await new SignJWT({ jti: 'a', iat: NOW, htm: 'POST', htu: HTU, note: '[{'.repeat(100) }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk as never }).sign(pair.privateKey);
    expect((await checkDpopProof(proof, expecting())).ok).toBe(true);
  });

  test('a typ or alg that is an array or object is named, not printed', async () => {
    expect(await reasonFor(withHeaderText(`{"typ":${deep(10)},"alg":"ES256","jwk":{"kty":"EC"}}`))).toBe('the proof\'s typ is an array, not "dpop+jwt" (§4.3 point 4)');
    expect(await reasonFor(withHeaderText('{"typ":"dpop+jwt","alg":{"a":1},"jwk":{"kty":"EC"}}'))).toMatch(/^the proof's alg an object is not an asymmetric algorithm/);
  });
});

describe('values quoted in a reason: short, escaped, printable ASCII', () => {
  test('an htm with U+009B and U+202E is quoted with \\u escapes', async () => {
    const reason = await reasonFor(await signedWith({ htm: 'PO\u009bST\u202e', htu: HTU }));
    expect(reason).toBe('the proof\'s htm is "PO\\u009bST\\u202e", but the request is POST (§4.3 point 8)');
  });

  test('a 6000-character typ is cut to 40 characters', async () => {
    const reason = await reasonFor(withHeaderText(JSON.stringify({ typ: 'x'.repeat(6000), alg: 'ES256', jwk: { kty: 'EC' } })));
    expect(reason).toBe(`the proof's typ is "${'x'.repeat(40)}"..., not "dpop+jwt" (§4.3 point 4)`);
  });

  test('quoteUntrusted: quotes and backslashes escaped, controls as \\u, missing as null', () => {
    expect(quoteUntrusted('a"b\\c\u0000\u{1f600}')).toBe('"a\\"b\\\\c\\u0000\\ud83d\\ude00"');
    expect(quoteUntrusted(undefined)).toBe('null');
    expect(quoteUntrusted(5)).toBe('5');
    expect(quoteUntrusted([1])).toBe('an array');
    expect(quoteUntrusted('abcdef', 3)).toBe('"abc"...');
  });
});

describe('htu must be an RFC 3986 URI before it is compared (§4.3 point 9)', () => {
  test.each([
    ['a tab and a newline inside', 'https://auth.ex\tample/oauth/to\nken'],
    ['leading spaces', '  https://auth.example/oauth/token'],
    ['a leading \\x01', '\u0001https://auth.example/oauth/token'],
    ['a trailing \\x00', 'https://auth.example/oauth/token\u0000'],
    ['backslashes', 'https:\\\\auth.example\\oauth\\token'],
    ['no // before the host', 'https:auth.example/oauth/token'],
    ['full-width host letters', 'https://\uff41uth.example/oauth/token'],
    ['a bad %-escape', 'https://auth.example/oauth/t%zzoken'],
    ['no host', 'https:///oauth/token'],
  ])('%s: refused', async (_name, htu) => {
    const reason = await reasonFor(await signedWith({ htm: 'POST', htu }));
    expect(reason).toMatch(/^the proof's htu ".*"(\.\.\.)? is not an http\(s\) URI as RFC 3986 writes one: "http:\/\/" or "https:\/\/" and a host, no spaces, control characters, backslashes or non-ASCII letters \(§4\.3 point 9\)$/);
    // Printable ASCII but for the "§" the reasons cite rules with (the provider writes it "section").
    expect(reason).toMatch(/^[\x20-\x7e§]*$/);
  });

  test.each([
    ['the host in capitals', 'https://AUTH.EXAMPLE/oauth/token'],
    ['the scheme in capitals', 'HTTPS://auth.example/oauth/token'],
    ['the default port', 'https://auth.example:443/oauth/token'],
    ['an unreserved character %-encoded, in either case', 'https://auth.example/oauth/%74oken'],
    ['dot segments', 'https://auth.example/oauth/x/../token'],
    ['a query and a fragment', 'https://auth.example/oauth/token?a=1#b'],
  ])('%s: still accepted (RFC 3986 §6.2.2, §6.2.3)', async (_name, htu) => {
    expect(await checkDpopProof(await signedWith({ htm: 'POST', htu }), expecting())).toMatchObject({ ok: true });
  });

  test('a proof made by createDpopProof still passes', async () => {
    const made = await createDpopProof({ privateKey: pair.privateKey, publicJwk, alg: 'ES256', htm: 'POST', htu: HTU, iat: NOW });
    expect((await checkDpopProof(made, expecting())).ok).toBe(true);
  });
});
