// A JWE's header means something else than a JWS's: alg is the key-management algorithm and enc
// the content encryption (RFC 7516 §4.1.1, §4.1.2). Neither is "used to sign".

import { describe, expect, test } from 'vitest';
import { base64url, runCli } from '../helpers/cli.js';

const DIR_JWE = `${base64url({ alg: 'dir', enc: 'A256GCM' })}..aXYxMjM0NTY3ODkw.Y2lwaGVy.dGFnMTIzNDU2Nzg5MDEy`;
const RSA_JWE = `${base64url({ alg: 'RSA-OAEP-256', enc: 'A128CBC-HS256', kid: 'k1' })}.ZW5j.aXY.Y2lwaGVy.dGFn`;

describe('decode: a JWE labels alg as key management and enc as content encryption', () => {
  test('alg dir, human view', async () => {
    const result = await runCli(['decode', DIR_JWE]);
    expect(result.code).toBe(0);
    const algLine = result.stdout.split('\n').find((line) => /^\s+alg\s/.test(line));
    expect(algLine).toContain('Key-management algorithm: how the content key is wrapped or agreed; dir: a shared key used directly');
    expect(result.stdout).not.toContain('Algorithm used to sign');
    const encLine = result.stdout.split('\n').find((line) => /^\s+enc\s/.test(line));
    expect(encLine).toContain('Content encryption algorithm');
    expect(result.stdout).toContain('dir: a shared symmetric key is used directly as the content key');
    expect(result.stdout).toContain('enc A256GCM: the content is encrypted with AES-GCM and a 256-bit key');
    expect(result.stdout).not.toContain('how the token was signed');
  });

  test.each([
    ['dir', DIR_JWE, 'dir: a shared symmetric key'],
    ['RSA-OAEP-256', RSA_JWE, "RSA-OAEP-256: the content key is encrypted to the recipient's RSA public key"],
  ])('alg %s, --json: family "key-management", not "none"', async (_name, token, description) => {
    const result = await runCli(['decode', '--json', token]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.type).toBe('JWE');
    expect(json.algorithm.family).toBe('key-management');
    expect(json.algorithm.description).toContain(description);
    expect(json.warnings.map((warning: { code: string }) => warning.code)).not.toContain('unknown-alg');
  });

  test('an unknown JWE alg is named as such, still not family "none"', async () => {
    const result = await runCli(['decode', '--json', `${base64url({ alg: 'XYZ', enc: 'A256GCM' })}.ZW5j.aXY.Y2lwaGVy.dGFn`]);
    const json = JSON.parse(result.stdout);
    expect(json.algorithm.family).toBe('unknown');
    expect(json.algorithm.description).toContain('"XYZ" is not a JWE key-management algorithm this tool knows');
  });

  test('a signed JWT keeps "Algorithm used to sign"', async () => {
    const result = await runCli(['decode', `${base64url({ alg: 'HS256' })}.${base64url({ sub: 'a' })}.c2ln`]);
    expect(result.stdout).toContain('Algorithm used to sign');
  });
});
