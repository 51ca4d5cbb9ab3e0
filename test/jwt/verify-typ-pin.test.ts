// verifyToken's typ check, called as a library: a pin that names no type matches nothing (the CLI
// refuses it earlier with ERR_EMPTY_TYP), and only ASCII letters fold (RFC 6838 §4.2).

import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { secretKey } from '../../src/jwt/keys.js';
import { verifyToken } from '../../src/jwt/verify.js';
import { base64url } from '../helpers/cli.js';

const NOW = 1_800_000_000;
const SECRET = '8tJRQt9v9rJkKjTQMqut0S-M2DnMknOehQNtNRzAws-UuEfzwPVc3FJLGo2Dbkfo';

function signed(typ: string): string {
  const input = `${base64url({ alg: 'HS256', typ })}.${base64url({ sub: 'asha', exp: NOW + 600 })}`;
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

const typCheck = async (typ: string, tokenType: string) => {
  const result = await verifyToken(signed(typ), { keys: [secretKey(SECRET)], algorithms: ['HS256'], tokenType, clockTolerance: 0, now: NOW });
  return { valid: result.valid, check: result.checks.find((check) => check.name === 'typ') };
};

describe('verifyToken: the typ pin', () => {
  test.each(['application/', 'APPLICATION/', 'text/'])('a pin of %j names no type and matches nothing, not even an empty typ', async (pin) => {
    for (const typ of ['', 'application/', pin]) {
      const { valid, check } = await typCheck(typ, pin);
      expect(valid).toBe(false);
      expect(check).toMatchObject({ ok: false, detail: expect.stringMatching(/: the pin names no type$/) });
    }
  });

  test('only A-Z fold: the Kelvin sign is not k; exact and ASCII-case matches pass', async () => {
    expect((await typCheck('\u212Ab+jwt', 'kb+jwt')).valid).toBe(false);
    expect((await typCheck('application/KB+JWT', 'kb+jwt')).valid).toBe(true);
    expect((await typCheck('\u212Ab+jwt', '\u212Ab+jwt')).check).toEqual({ name: 'typ', ok: true, detail: '"\\u212Ab+jwt" as expected' });
    const unpinned = await verifyToken(signed('\u212Ab+jwt'), { keys: [secretKey(SECRET)], algorithms: ['HS256'], clockTolerance: 0, now: NOW });
    expect(unpinned.checks.find((check) => check.name === 'typ')?.detail).toBe('not checked (pass --typ to pin it); the header says "\\u212Ab+jwt"');
  });
});
