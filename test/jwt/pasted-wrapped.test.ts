// What people paste that is not one clean token: a token wrapped across lines (fold -w60), a
// redirect URL holding only an authorization code, and two tokens side by side.

import { describe, expect, test } from 'vitest';
import { RFC7515_ES256_TOKEN, RFC7515_HS256_TOKEN, runCli } from '../helpers/cli.js';

/** What `fold -w60` makes of a token. */
function fold(text: string, width = 60): string {
  return text.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n');
}

describe('decode: a token wrapped across lines is joined', () => {
  test('fold -w60 piped in decodes like the token itself', async () => {
    const folded = `${fold(RFC7515_ES256_TOKEN)}\n`;
    expect(folded.split('\n').length).toBeGreaterThan(3);
    const result = await runCli(['decode', '--json'], { stdin: folded });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).header).toEqual({ alg: 'ES256' });
  });

  test('an argument with newlines and indentation (copied from a wrapped terminal or an email) decodes', async () => {
    const wrapped = fold(RFC7515_HS256_TOKEN, 50).split('\n').join('\n    ');
    const result = await runCli(['decode', '--json', `Bearer ${wrapped}`]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).payload.iss).toBe('joe');
  });

  test('words on two lines are not joined into a token', async () => {
    const result = await runCli(['decode', 'hello\nworld']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('The token contains a control character (U+000a) at position 6.');
  });
});

describe('decode: a redirect URL with only ?code= holds an authorization code, not a token', () => {
  test.each([
    'http://127.0.0.1:8080/callback?code=abc&state=xyz',
    'https://app.example/cb?state=xyz&code=SplxlOBeZQQYbYS6WxSbIA',
    '?code=abc&state=xyz',
  ])('%s', async (url) => {
    const result = await runCli(['decode', url]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('This URL carries an authorization code (code=…), not a token');
    expect(result.stderr).toContain('token endpoint');
    expect(result.stderr).toContain('jwt-vs-oauth oauth');
    expect(result.stderr).not.toMatch(/segments/);
  });

  test('a URL holding both a code and an id_token decodes the token', async () => {
    const result = await runCli(['decode', '--json', `https://app.example/cb#code=abc&id_token=${RFC7515_HS256_TOKEN}`]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).payload.iss).toBe('joe');
  });
});

describe('decode: two tokens side by side', () => {
  test.each([
    ['a space', `${RFC7515_HS256_TOKEN} ${RFC7515_ES256_TOKEN}`],
    ['a newline, piped', `${RFC7515_HS256_TOKEN}\n${RFC7515_ES256_TOKEN}\n`],
  ])('separated by %s: says two tokens were given, exit 2', async (_name, pasted) => {
    const result = await runCli(['decode'], { stdin: pasted });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Two tokens were given, separated by whitespace; pass one token at a time.');
    expect(result.stderr).not.toMatch(/initialization vector/);
  });
});

describe('decode --help says what it accepts', () => {
  test('wrapped tokens are offered in the help', async () => {
    const result = await runCli(['decode', '--help']);
    expect(result.stdout).toContain('or a token wrapped across lines');
    expect(result.stdout).toContain('fold -w60 t.txt | jwt-vs-oauth decode');
  });
});
