// The second attack review's findings: a provider-wide guessing ceiling a dozen addresses cannot
// reach, ::1 counted with the loopback block, hostile text cut short, userinfo refused in a DPoP htu.

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { countWrongUserCode, guessingAddress, MAX_WRONG_USER_CODES, MAX_WRONG_USER_CODES_EVERYWHERE } from '../../src/provider/device.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { startTestProvider } from '../helpers/provider.js';
import { deviceAuthorization, typeCodeFrom } from './device-helpers.js';

const START = Date.UTC(2026, 0, 1);
let clock = START;
let provider: RunningProvider;

beforeEach(async () => {
  clock = START;
  provider = await startTestProvider({ nowMs: () => clock });
});
afterEach(() => provider.close());

describe('wrong user codes (RFC 8628 §5.1)', () => {
  test('the provider-wide ceiling is 1 000 a minute: twelve addresses at their limit do not lock the real user out', async () => {
    expect(MAX_WRONG_USER_CODES_EVERYWHERE).toBe(1_000);
    const device = await deviceAuthorization(provider);
    for (let other = 1; other <= 12; other++) for (let wrong = 0; wrong < MAX_WRONG_USER_CODES; wrong++) countWrongUserCode(provider.state, `2001:db8:${other}::/64`);
    const right = await typeCodeFrom(provider, '127.0.0.1', device.user_code);
    expect(right.status).toBe(200);
  });

  test('::1 is the same machine as 127.0.0.1: 5 wrong codes a minute between them, not 10', async () => {
    for (let wrong = 0; wrong < MAX_WRONG_USER_CODES; wrong++) countWrongUserCode(provider.state, guessingAddress('::1'));
    const fromIpv4 = await typeCodeFrom(provider, '127.0.0.1', 'BCDF-GHJK');
    expect(fromIpv4.status).toBe(429);
    expect(fromIpv4.body).toContain(`${MAX_WRONG_USER_CODES} codes typed here in the last minute were not right.`);
  });
});
