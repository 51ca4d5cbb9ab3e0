// Errors and hints are laid out to stderr's width (COLUMNS here; a terminal's own columns in
// test/e2e/fixes-terminal.test.ts): no line wider than the width and no word split, a command
// in a hint broken only between its arguments; a pipe without COLUMNS keeps each line whole.

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { layoutMessage } from '../../src/cli/main.js';
import { displayWidth, joinBrokenLines } from '../../src/text/layout.js';
import { runCli } from '../helpers/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-fixes-errors-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

const secp256k1 = file('k1.pem', generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
const encrypted = file('encrypted.pem', generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'correct horse' },
  publicKeyEncoding: { format: 'pem', type: 'spki' },
}).privateKey);
const emptyJwks = file('empty-jwks.json', '{"keys": []}');

/** The words of a text laid out or not: breaks with "\" joined, any run of spaces and newlines one space. */
const words = (text: string) => joinBrokenLines(text).split(/\s+/).filter(Boolean);

const CASES: Array<[name: string, argv: string[], expected: RegExp]> = [
  ['a URL holding a code', ['decode', 'https://app.example.com/cb?code=UH3abc&state=abc'], /authorization code/],
  ['a secp256k1 key', ['verify', 'a.b.c', '--key', secp256k1], /secp256k1/],
  ['an encrypted PEM', ['verify', 'a.b.c', '--key', encrypted], /encrypted with a passphrase/],
  ['a JWK Set with no keys', ['verify', 'a.b.c', '--key', emptyJwks], /"keys" is empty/],
  ['an empty stdin', ['decode'], /stdin was empty/],
];

describe.each(CASES)('%s', (_name, argv, expected) => {
  test.each([60, 80])('at COLUMNS=%i: every line fits, the same words as on a pipe, exit 2', async (width) => {
    const piped = await runCli(argv);
    const laidOut = await runCli(argv, { env: { COLUMNS: String(width) } });
    expect(laidOut.code).toBe(2);
    expect(laidOut.stderr).toMatch(expected);
    const lines = laidOut.stderr.trimEnd().split('\n');
    expect(lines.filter((line) => displayWidth(line) > width), laidOut.stderr).toEqual([]);
    expect(words(laidOut.stderr)).toEqual(words(piped.stderr));
  });
});

test('at 60 columns the code URL message wraps between words; on a pipe it stays two whole lines', async () => {
  const argv = ['decode', 'https://app.example.com/cb?code=UH3abc&state=abc'];
  const piped = await runCli(argv);
  expect(piped.stderr.split('\n')).toHaveLength(3);
  const { stderr } = await runCli(argv, { env: { COLUMNS: '60' } });
  expect(stderr.split('\n').length).toBeGreaterThan(4);
  expect(stderr.startsWith('error: This URL carries an authorization code (code=…), not\na token:')).toBe(true);
});

test('a hint ending in a command: the command on lines of its own, broken between arguments with " \\"', async () => {
  const { stderr } = await runCli(['verify', 'a.b.c', '--key', secp256k1], { env: { COLUMNS: '60' } });
  expect(stderr).toContain('Use a P-256 key instead, for example:\n  openssl genpkey -algorithm EC -pkeyopt \\\n    ec_paramgen_curve:P-256 -out key.pem\n');
  // Joined as a shell joins it, it is the command the hint names.
  expect(joinBrokenLines(stderr)).toContain('  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem');
});

test('layoutMessage: what fits and a pipe (Infinity) are left as they are; a short command stays in the prose', () => {
  const text = 'Pass the token as an argument or pipe it in: echo "$TOKEN" | jwt-vs-oauth decode';
  expect(layoutMessage(text, Infinity)).toBe(text);
  expect(layoutMessage(text, 100)).toBe(text);
  expect(layoutMessage(text, 60)).toBe('Pass the token as an argument or pipe it in:\n  echo "$TOKEN" | jwt-vs-oauth decode');
  expect(layoutMessage('The app redeems codes for tokens; decode those. See: jwt-vs-oauth oauth', 60)).toBe('The app redeems codes for tokens; decode those. See:\njwt-vs-oauth oauth');
});
