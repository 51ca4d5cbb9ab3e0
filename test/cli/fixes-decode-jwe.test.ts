// decode of a JWE ends with what holds for a JWE (RFC 7516): its protected header can be read by
// anyone, its claims cannot without the key, and its recipient decrypts (and so checks) it. The
// signed-token closing ("read its payload: signed is not encrypted") would contradict the
// "Content  encrypted" section above it. A JWS keeps its closing.

import { expect, test } from 'vitest';
import { RFC7515_HS256_TOKEN, base64url, runCli } from '../helpers/cli.js';

const JWE = `${base64url({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'encryption-key-1' })}.ZW5jcnlwdGVkLWtleQ.aXYxMjM0NTY3ODkw.Y2lwaGVydGV4dA.dGFnMTIzNDU2Nzg5MDEy`;

test('a JWE: the closing says its header is readable, its claims are not, and its recipient decrypts it', async () => {
  const { code, stdout } = await runCli(['decode', JWE]);
  expect(code).toBe(0);
  expect(stdout).toContain('Content  encrypted');
  const closing = stdout.slice(stdout.indexOf('Decoding a JWE reads only its header.'));
  expect(closing).toContain('The protected header above is only base64url: anyone can read it. The claims are encrypted: they cannot be read without the recipient\'s key.');
  expect(closing).toContain('The recipient decrypts the token, and that checks it too');
  expect(closing).toContain('Encrypted is not signed');
  expect(closing).toContain('a JWE is decrypted, and so checked, by its recipient with its key.');
  // Nothing that says the payload can be read.
  expect(stdout).not.toContain('read its payload');
  expect(stdout).not.toContain('signed is not encrypted');
  expect(stdout).not.toContain('Decoding is not verifying.');
});

test('a JWE at 60 columns: the closing laid out, no line wider', async () => {
  const { stdout } = await runCli(['decode', JWE], { env: { COLUMNS: '60' } });
  expect(stdout.split('\n').filter((line) => line.length > 60)).toEqual([]);
  expect(stdout.replace(/\n +/g, ' ')).toContain('they cannot be read without the recipient\'s key.');
});

test('a JWS keeps "Decoding is not verifying." and that anyone can read its payload', async () => {
  const { stdout } = await runCli(['decode', RFC7515_HS256_TOKEN]);
  expect(stdout).toContain('Decoding is not verifying.\n  Anyone can decode a token and read its payload: signed is not encrypted.');
  expect(stdout).not.toContain('Decoding a JWE');
});
