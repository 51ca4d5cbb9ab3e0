// A token copied from our own laid-out output comes back broken with "\" at its line ends (decode's
// coloured token, mint's token on a terminal, a command laid out to the width). Pasted back, as an
// argument or on stdin, it decodes and verifies as the token itself.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { RFC7515_ES256_TOKEN, RFC7515_HS256_JWK, RFC7515_HS256_TOKEN, RFC_EXAMPLE_NOW, runCli } from '../helpers/cli.js';
import { extractToken } from '../../src/jwt/pasted-input.js';
import { BREAK_MARK } from '../../src/text/layout.js';

const SGR = /\x1b\[[0-9;]*m/g;

/** The coloured token lines of decode's human view (FORCE_COLOR, `width` columns), as a terminal shows them: colour codes gone. */
async function tokenLinesFromDecode(token: string, width: number): Promise<string> {
  const result = await runCli(['decode', token], { env: { FORCE_COLOR: '1', COLUMNS: String(width) }, now: RFC_EXAMPLE_NOW });
  const lines = result.stdout.replace(SGR, '').split('\n');
  const from = lines.findIndex((line) => line.startsWith('  eyJ'));
  const to = lines.findIndex((line, index) => index > from && line === '');
  return lines.slice(from, to).join('\n');
}

describe('a token broken with "\\" at 40 columns pastes back', () => {
  test.each([['HS256', RFC7515_HS256_TOKEN], ['ES256', RFC7515_ES256_TOKEN]])('decode\'s %s token at 40 columns: argument and stdin decode as the token', async (_name, token) => {
    const copied = await tokenLinesFromDecode(token, 40);
    expect(copied.split('\n').length).toBeGreaterThan(2);
    for (const line of copied.split('\n').slice(0, -1)) expect(line.endsWith(BREAK_MARK), line).toBe(true);
    const expected = await runCli(['decode', '--json', token], { now: RFC_EXAMPLE_NOW });
    const fromArgument = await runCli(['decode', '--json', copied], { now: RFC_EXAMPLE_NOW });
    const fromStdin = await runCli(['decode', '--json'], { stdin: `${copied}\n`, now: RFC_EXAMPLE_NOW });
    expect(fromArgument.stderr).toBe('');
    expect(fromArgument.code).toBe(0);
    expect(fromArgument.stdout).toBe(expected.stdout);
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(expected.stdout);
  });

  test('verify takes the broken token too, from the argument and from stdin', async () => {
    const copied = await tokenLinesFromDecode(RFC7515_HS256_TOKEN, 40);
    expect(copied).toContain(`${BREAK_MARK}\n`);
    const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'pasted-')), 'hs256.json');
    writeFileSync(keyFile, JSON.stringify(RFC7515_HS256_JWK));
    const secret = ['--key', keyFile, '--alg', 'HS256'];
    const expected = await runCli(['verify', '--json', RFC7515_HS256_TOKEN, ...secret], { now: RFC_EXAMPLE_NOW });
    const fromArgument = await runCli(['verify', '--json', copied, ...secret], { now: RFC_EXAMPLE_NOW });
    const fromStdin = await runCli(['verify', '--json', '-', ...secret], { stdin: copied, now: RFC_EXAMPLE_NOW });
    expect(JSON.parse(expected.stdout).valid).toBe(true);
    expect(fromArgument.stdout).toBe(expected.stdout);
    expect(fromArgument.code).toBe(0);
    expect(fromStdin.stdout).toBe(expected.stdout);
  });

  test('decode\'s token lines as a terminal may copy them: indented, trailing spaces, CRLF', async () => {
    const copied = (await tokenLinesFromDecode(RFC7515_ES256_TOKEN, 40)).split('\n').map((line) => `    ${line}   `).join('\r\n');
    expect(copied).toContain(`${BREAK_MARK}   \r\n`);
    expect(extractToken(copied)).toBe(RFC7515_ES256_TOKEN);
    // The same by hand: pieces that are not whole segments, so only the "\\" joining can make the token.
    const byHand = [RFC7515_ES256_TOKEN.slice(0, 17), RFC7515_ES256_TOKEN.slice(17, 95), RFC7515_ES256_TOKEN.slice(95)].map((piece) => `  ${piece}`).join(`${BREAK_MARK}  \r\n`);
    expect(extractToken(byHand)).toBe(RFC7515_ES256_TOKEN);
  });

  test('a "Bearer" header broken the same way still gives the token', () => {
    const broken = `Authorization: Bearer ${RFC7515_HS256_TOKEN.slice(0, 30)}\\\n  ${RFC7515_HS256_TOKEN.slice(30, 90)}\\\n  ${RFC7515_HS256_TOKEN.slice(90)}`;
    expect(extractToken(broken)).toBe(RFC7515_HS256_TOKEN);
  });
});
