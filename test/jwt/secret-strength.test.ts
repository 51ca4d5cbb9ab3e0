// The secret-strength estimate: random secrets pass, patterned, word-made and famous ones are weak.

import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { assessSecret, MIN_SECRET_BITS } from '../../src/jwt/secret-strength.js';

describe('assessSecret', () => {
  test.each([
    ['base64', (bytes: Buffer) => bytes.toString('base64')],
    ['base64url', (bytes: Buffer) => bytes.toString('base64url')],
    ['hex', (bytes: Buffer) => bytes.toString('hex')],
  ])('200 random 32-byte secrets in %s: never weak, never human-made', (_name, encode) => {
    for (let index = 0; index < 200; index++) {
      const secret = encode(randomBytes(32));
      const assessment = assessSecret(secret);
      expect({ secret, ...assessment }).toMatchObject({ secret, weak: false, humanMade: false, famous: false });
      expect(assessment.estimatedBits).toBeGreaterThanOrEqual(MIN_SECRET_BITS);
      expect(assessment.reason).toBeUndefined();
    }
  });

  test('32 random bytes given as bytes (a JWK "oct" key) are not weak', () => {
    for (let index = 0; index < 50; index++) expect(assessSecret(randomBytes(32))).toMatchObject({ bytes: 32, weak: false, humanMade: false });
  });

  test.each([
    ['a-32-byte-secret-for-the-lessons!', 33, 86, 'looks made of words: about 86 bits by our estimate'],
    ['correct horse battery staple', 28, 67, 'looks made of words: about 67 bits by our estimate'],
    ['CorrectHorseBatteryStaple', 25, 64, 'looks made of words: about 64 bits by our estimate'],
    ['practice-api-secret-0123456789ab', 32, 65, 'looks made of words: about 65 bits by our estimate'],
    ['exercise-secret-for-the-classroom-0123456789abcdef', 50, 96, 'looks made of words: about 96 bits by our estimate'],
    ['0123456789abcdef0123456789abcdef-classroom', 42, 57, 'a pattern (sequence or repeat): about 57 bits by our estimate'],
    ['a'.repeat(32), 32, 35, 'a pattern (sequence or repeat): about 35 bits by our estimate'],
    ['abcdefghijklmnopqrstuvwxyz012345', 32, 38, 'a pattern (sequence or repeat): about 38 bits by our estimate'],
  ])('%j is weak and human-made', (secret, bytes, _documentedBits, reason) => {
    // The estimate's exact bits move when the method is tuned; its kind and the verdict must not.
    const assessment = assessSecret(secret);
    expect(assessment).toMatchObject({ bytes, famous: false, humanMade: true, weak: true });
    expect(assessment.estimatedBits).toBeLessThan(MIN_SECRET_BITS);
    expect(assessment.reason).toBe(String(reason).replace(/about \d+ bits/, `about ${assessment.estimatedBits} bits`));
  });

  test.each([
    ['your-256-bit-secret', 'a famous example secret (jwt.io\'s)'],
    ['your-512-bit-secret', 'a famous example secret (jwt.io\'s)'],
    ['  Your-256-Bit-Secret ', 'a famous example secret (jwt.io\'s)'],
    ['secret', 'a famous example secret (from tutorials and leaked configs)'],
    ['keyboard cat', 'a famous example secret (from tutorials and leaked configs)'],
    ['shhhhh', 'a famous example secret (from tutorials and leaked configs)'],
  ])('%j is famous', (secret, reason) => {
    expect(assessSecret(secret)).toMatchObject({ famous: true, humanMade: true, weak: true, reason });
  });

  test.each([
    ['MySwaadAppSecretKeyForJwtTokens2024!', 'camelCase words, an acronym without a vowel and a year'],
    ['the-quick-brown-fox-jumps-over-the-lazy-dog', 'short common words and one used twice'],
    ['prod_db_password_2019', 'technical words and a year'],
  ])('%j is weak and made of words (%s)', (secret) => {
    expect(assessSecret(secret)).toMatchObject({ famous: false, humanMade: true, weak: true, reason: expect.stringMatching(/^looks made of words: about \d+ bits/) });
  });

  test('a long passphrase is human-made even above the threshold', () => {
    expect(assessSecret('my-super-secret-key-that-nobody-will-ever-guess-2024')).toEqual({
      bytes: 52, estimatedBits: 135, famous: false, humanMade: true, weak: false, reason: 'looks made of words: about 135 bits by our estimate',
    });
  });

  test('a short random-looking secret is weak for lack of entropy, not called human-made', () => {
    expect(assessSecret('Tr0ub4dor&3')).toEqual({ bytes: 11, estimatedBits: 46, famous: false, humanMade: false, weak: true, reason: 'too little entropy: about 46 bits by our estimate' });
  });

  test('bytes that are printable text are judged as text; patterned bytes are weak', () => {
    expect(assessSecret(Buffer.from('your-256-bit-secret'))).toMatchObject({ famous: true, weak: true });
    expect(assessSecret(new Uint8Array(32))).toMatchObject({ bytes: 32, weak: true, humanMade: true });
  });

  test('stays cheap: a 1 KiB secret in well under a millisecond', () => {
    const secret = randomBytes(768).toString('base64');
    assessSecret(secret);
    const started = performance.now();
    for (let index = 0; index < 100; index++) assessSecret(secret);
    expect((performance.now() - started) / 100).toBeLessThan(1);
  });
});
