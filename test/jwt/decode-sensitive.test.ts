// The sensitive-claim warning says what matched: the claim's name, or its value (a card number,
// a private key), so a card number is not called "named like a secret".

import { describe, expect, test } from 'vitest';
import { decodeToken } from '../../src/jwt/decode.js';
import { rawToken } from '../helpers/cli.js';

const NOW = 1_800_000_000;

function sensitiveMessages(claims: Record<string, unknown>): string[] {
  const token = rawToken({ alg: 'HS256' }, { aud: 'a', exp: NOW + 60, ...claims });
  return decodeToken(token, NOW).warnings.filter((warning) => warning.code === 'sensitive-claim').map((warning) => warning.message);
}

const READABLE = ' Anyone holding the token can read the payload: signed is not encrypted.';

describe('sensitive-claim: worded by what matched', () => {
  test.each([
    ['a card number under a card-like name', { card_number: '4111 1111 1111 1111' }, 'Claim "card_number" holds a value that looks like a card number (13 to 19 digits passing the Luhn check).'],
    ['a card number under a plain name', { note: '4111-1111-1111-1111' }, 'Claim "note" holds a value that looks like a card number (13 to 19 digits passing the Luhn check).'],
    ['a private key under a secret-like name', { private_key: '-----BEGIN PRIVATE KEY-----\nMC4CAQ\n-----END PRIVATE KEY-----' }, 'Claim "private_key" holds a private key (a PEM "PRIVATE KEY" block).'],
    ['a password', { password: 'hunter2' }, 'Claim "password" is named like a secret.'],
    ['a cvv', { cvv: '123' }, 'Claim "cvv" is named like payment card data.'],
    ['an ssn', { ssn: '078-05-1120' }, 'Claim "ssn" is named like a national identity number.'],
  ])('%s', (_name, claims, message) => {
    expect(sensitiveMessages(claims)).toEqual([message + READABLE]);
  });

  test('an ordinary claim is not flagged', () => {
    expect(sensitiveMessages({ name: 'Asha', count: 4111111111111111 })).toEqual([]);
  });
});
