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

  test('a short secret with one leet word is weak for lack of entropy, not called human-made (one word could be chance)', () => {
    // xkcd 936 puts Tr0ub4dor&3 at about 28 bits; read as the word "Troubador" in leet, it is 33 here.
    expect(assessSecret('Tr0ub4dor&3')).toEqual({ bytes: 11, estimatedBits: 33, famous: false, humanMade: false, weak: true, reason: 'too little entropy: about 33 bits by our estimate' });
  });

  test('bytes that are printable text are judged as text; patterned bytes are weak', () => {
    expect(assessSecret(Buffer.from('your-256-bit-secret'))).toMatchObject({ famous: true, weak: true });
    expect(assessSecret(new Uint8Array(32))).toMatchObject({ bytes: 32, weak: true, humanMade: true });
  });

  test('stays cheap: a 1 KiB secret in well under a millisecond of CPU, once warm', () => {
    const secret = randomBytes(768).toString('base64');
    for (let index = 0; index < 400; index++) assessSecret(secret);
    // CPU time, not the clock: a busy machine must not fail this.
    const started = process.cpuUsage();
    for (let index = 0; index < 100; index++) assessSecret(secret);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000 / 100).toBeLessThan(1);
  });
});

describe('assessSecret reads only the start of a long secret', () => {
  // 64 MB once took seconds and gigabytes (every character spread into an array); 150 MB ran out of memory.
  const size = 64 * 1024 * 1024;
  const letters = 'abcdefghijklmnopqrstuvwxyz'.repeat(Math.ceil(size / 26)).slice(0, size);

  test.each([
    ['a string', () => letters],
    ['bytes of UTF-8 text (a JWK "oct" key that holds text)', () => Buffer.from(letters)],
  ])('64 MB as %s: judged by its first 256 characters, in well under the seconds it once took', (_kind, make) => {
    const secret = make();
    const started = performance.now();
    const assessment = assessSecret(secret);
    expect(performance.now() - started).toBeLessThan(500);
    expect(assessment).toEqual({ ...assessSecret(letters.slice(0, 256)), bytes: size });
    expect(assessment).toMatchObject({ humanMade: true, weak: true, reason: expect.stringMatching(/^a pattern/) });
  });

  test('text that is not valid UTF-8 only past its start is judged by its start, as text', () => {
    const start = 'your-256-bit-secret'.padEnd(2048, ' ');
    const assessment = assessSecret(Buffer.concat([Buffer.from(start), Buffer.from([0xff, 0xfe])]));
    expect(assessment).toEqual({ ...assessSecret(start), bytes: 2050 });
    expect(assessment).toMatchObject({ famous: false, weak: true, humanMade: true });
  });

  test('a famous secret counts only when it is the whole secret', () => {
    expect(assessSecret('secret')).toMatchObject({ famous: true });
    expect(assessSecret(`secret${' '.repeat(600)}x`)).toMatchObject({ famous: false });
  });
});

describe('text with whitespace or control characters is text: one reading for a string and its bytes', () => {
  test.each([
    ['your-256-bit-secret\r', 'famous', 'a famous example secret (jwt.io\'s)'],
    ['your-256-bit-secret\r\n', 'famous', 'a famous example secret (jwt.io\'s)'],
    ['\tsecret\u0000', 'famous', 'a famous example secret (from tutorials and leaked configs)'],
    ['my super secret password for jwt\t', 'words', /^looks made of words/],
    ['correct\thorse\tbattery\tstaple', 'words', /^looks made of words/],
    ['correct\u0001horse\u0001battery\u0001staple\u0001', 'words', /^looks made of words/],
  ])('%j, as bytes too', (secret, _kind, reason) => {
    const asText = assessSecret(secret);
    expect(assessSecret(Buffer.from(secret))).toEqual(asText);
    expect(asText).toMatchObject({ weak: true, humanMade: true, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) });
  });

  test('random bytes (not UTF-8) stay bytes, with a pool of 256', () => {
    const bytes = Buffer.from('8f3a9c0e51d2b7f64a1e9d3c7b20f58e6c1a4d9b3e7f0a2c5d8e1b4f7a0c3e6d', 'hex');
    expect(assessSecret(bytes)).toEqual({ bytes: 32, estimatedBits: 256, famous: false, humanMade: false, weak: false });
  });
});

/** Secrets a person made, each once called random by the estimate; every one must be weak or human-made. */
const HUMAN_MADE = [
  'ThisIsMyVerySecureJwtSecretKeyForProduction2024',
  'Supercalifragilisticexpialidocious',
  'qwertyuiopasdfghjklzxcvbnmQWERTYUIOPASDFGHJKLZXCVBNM',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/',
  'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6',
  'deadbeefcafebabe8badf00dfeedface0ddba11b16b00b5facefeed',
  'strengths-rhythms-twelfths-lengths-angsts',
  '!QAZ@WSX#EDC$RFV%TGB^YHN&UJM*IK<(OL>)P:?',
  'P@55w0rd_F0r_Pr0duct10n_JWT_S1gn1ng_K3y',
  'pneumonoultramicroscopicsilicovolcanoconiosis',
  'To be, or not to be, that is the question: Whether \'tis nobler in the mind to suffer the slings and arrows of outrageous fortune',
  'It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness',
  'the-quick-brown-fox-jumps-over-the-lazy-dog and then strengths rhythms',
  '床前明月光疑是地上霜举头望明月低头思故乡',
  'пароль для моего приложения очень секретный',
  'mot de passe très très secret pour mon jwt ça',
  'ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ ｓｔａｐｌｅ',
  '𝐩𝐚𝐬𝐬𝐰𝐨𝐫𝐝𝐩𝐚𝐬𝐬𝐰𝐨𝐫𝐝𝐬𝐞𝐜𝐫𝐞𝐭𝐤𝐞𝐲𝐟𝐨𝐫𝐣𝐰𝐭',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AKIAIOSFODNN7EXAMPLE',
];

/** Random 32-byte secrets (openssl rand) that an earlier estimate called "made of words". */
const RANDOM = [
  'ynohtimiakpe3dnyqdadkAFVEVME1M0FoxJYBDsYs04',
  'rXXW4fa8XEMMYD46yr94TSIYLYXQJICBE2hSpe9iLwo',
  'rez_r5limPKHBdNTPYTXQOYBQGA1RCEEJCMI92paZDY',
  'qiijmlRPFAXPLOV5eJre3QDUAQBAAKV0NGSVvYgxoe4',
  'LvxoISYAIUIYHOLD6Rb0Aguyamtro8PIE1VKUHR8wjQ=',
];

describe('the estimate sees how people make secrets', () => {
  test.each(HUMAN_MADE)('%j is weak or human-made', (secret) => {
    const assessment = assessSecret(secret);
    expect(assessment.weak || assessment.humanMade).toBe(true);
    expect(assessment.reason).toBeDefined();
    expect(assessSecret(Buffer.from(secret))).toEqual(assessment);
  });

  test.each(RANDOM)('%j (random) is neither weak nor human-made', (secret) => {
    const assessment = assessSecret(secret);
    expect(assessment).toMatchObject({ famous: false, humanMade: false, weak: false });
    expect(assessment.estimatedBits).toBeGreaterThanOrEqual(MIN_SECRET_BITS);
  });

  test.each([
    ['qwertyuiopasdfghjklzxcvbnmQWERTYUIOPASDFGHJKLZXCVBNM', /^a pattern/],
    ['1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/', /^a pattern/],
    ['!QAZ@WSX#EDC$RFV%TGB^YHN&UJM*IK<(OL>)P:?', /^a pattern/],
    ['a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6', /^a pattern/],
    ['P@55w0rd_F0r_Pr0duct10n_JWT_S1gn1ng_K3y', /^looks made of words/],
    ['deadbeefcafebabe8badf00dfeedface0ddba11b16b00b5facefeed', /^looks made of words/],
    ['床前明月光疑是地上霜举头望明月低头思故乡', /^looks made of words/],
    ['пароль для моего приложения очень секретный', /^looks made of words/],
    ['ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ ｓｔａｐｌｅ', /^looks made of words/],
    ['It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness', /^looks made of words/],
    ['pneumonoultramicroscopicsilicovolcanoconiosis', /^looks made of words/],
    ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', /^a famous example secret \(AWS's documentation example\)$/],
  ])('%j: %s', (secret, reason) => {
    expect(assessSecret(secret).reason).toMatch(reason);
  });

  test('full-width and mathematical letters read as the plain ones (NFKC)', () => {
    expect(assessSecret('ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ ｓｔａｐｌｅ').estimatedBits).toBe(assessSecret('correct horse battery staple').estimatedBits);
    expect(assessSecret('ｓｅｃｒｅｔ')).toMatchObject({ famous: true, bytes: 18 });
  });

  test('a long repeat costs a few bits more than one copy, not a bit a character', () => {
    const repeat = 'ab'.repeat(65_500);
    const assessment = assessSecret(repeat);
    expect(assessment).toMatchObject({ bytes: 131_000, humanMade: true, weak: true, reason: expect.stringMatching(/^a pattern/) });
    expect(assessment.estimatedBits).toBeLessThan(32);
    expect(assessSecret('a'.repeat(256)).estimatedBits).toBeLessThan(assessSecret('a'.repeat(32)).estimatedBits + 4);
  });
});
