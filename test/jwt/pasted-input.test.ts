import { describe, expect, test } from 'vitest';
import { extractToken } from '../../src/jwt/pasted-input.js';
import { InputError } from '../../src/errors.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhc2hhIn0.c2ln';

describe('extractToken: accepts what people paste', () => {
  test.each([
    ['bare', TOKEN],
    ['whitespace and newlines', `\n  ${TOKEN} \r\n`],
    ['double quotes', `"${TOKEN}"`],
    ['single quotes', `'${TOKEN}'`],
    ['Bearer prefix', `Bearer ${TOKEN}`],
    ['lower-case bearer', `bearer ${TOKEN}`],
    ['a whole Authorization line', `Authorization: Bearer ${TOKEN}`],
    ['a quoted Authorization line', `"Authorization: Bearer ${TOKEN}"`],
    ['a URL with id_token in the fragment', `http://127.0.0.1:3000/callback#id_token=${TOKEN}&state=xyz`],
    ['a URL with access_token in the query', `https://app.example/cb?state=1&access_token=${TOKEN}`],
    ['a URL with token=', `https://api.example/?token=${TOKEN}`],
    ['a JSON token response', `{"access_token":"${TOKEN}","token_type":"Bearer"}`],
  ])('%s', (_name, pasted) => {
    expect(extractToken(pasted)).toBe(TOKEN);
  });

  test.each([
    ['empty', '   ', 'ERR_TOKEN_EMPTY', 'No token was given.'],
    ['a NUL in the middle', `eyJh\u0000bGc`, 'ERR_TOKEN_CONTROL_CHARACTER', 'The token contains a control character (U+0000) at position 5.'],
    ['an escape character', `\u001b[31m${TOKEN}`, 'ERR_TOKEN_CONTROL_CHARACTER', 'The token contains a control character (U+001b) at position 1.'],
    ['over 1 MB', 'a'.repeat(1024 * 1024 + 1), 'ERR_TOKEN_TOO_LARGE', 'The input is larger than 1 MB; no real token is that big.'],
  ])('rejects %s', (_name, pasted, code, message) => {
    const attempt = () => extractToken(pasted);
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as InputError).code).toBe(code);
    }
  });
});
