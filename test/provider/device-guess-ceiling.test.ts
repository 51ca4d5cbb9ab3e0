// Guessing user codes from many addresses (RFC 8628 §5.1): loopback (127.0.0.0/8 and ::1) counts as
// one address, and a provider-wide ceiling holds wrong codes from all addresses together.

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { countWrongUserCode, MAX_WRONG_USER_CODES, MAX_WRONG_USER_CODES_EVERYWHERE } from '../../src/provider/device.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { startTestProvider } from '../helpers/provider.js';
import { deviceAuthorization, typeCodeFrom } from './device-helpers.js';

const START = Date.UTC(2026, 0, 1);
let clock = START;
let provider: RunningProvider;
const log: string[] = [];

beforeEach(async () => {
  clock = START;
  provider = await startTestProvider({ nowMs: () => clock, onRequest: (event) => log.push(event.message) });
});
afterEach(() => provider.close());

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('loopback is one address', () => {
  test(`after ${MAX_WRONG_USER_CODES} wrong codes from 127.0.0.1, 127.0.0.2 is refused too (429)`, async () => {
    for (let attempt = 1; attempt <= MAX_WRONG_USER_CODES; attempt++) expect((await typeCodeFrom(provider, '127.0.0.1', 'BCDF-GHJK')).status).toBe(400);
    const fromAnother = await typeCodeFrom(provider, '127.0.0.2', 'BCDF-GHJK');
    expect(fromAnother.status).toBe(429);
    expect(textOf(fromAnother.body)).toContain(`${MAX_WRONG_USER_CODES} codes typed here in the last minute were not right.`);
    expect(log.at(-1)).toContain('wrong codes from loopback (127.0.0.0/8 and ::1) this minute');
  });
});

describe(`a provider-wide ceiling: ${MAX_WRONG_USER_CODES_EVERYWHERE} wrong codes a minute from all addresses together`, () => {
  test('then every code is refused unchecked, from any address, the right one too, until the minute ends', async () => {
    const device = await deviceAuthorization(provider);
    // Other computers on the network, which a test cannot be: one wrong code each, under their own limit.
    for (let other = 1; other < MAX_WRONG_USER_CODES_EVERYWHERE; other++) countWrongUserCode(provider.state, `10.0.${Math.floor(other / 256)}.${other % 256}`);
    const last = await typeCodeFrom(provider, '127.0.0.1', 'BCDF-GHJK');
    expect(last.status).toBe(400);
    expect(textOf(last.body)).toContain('(4 more tries this minute)');
    clock += 15_000;
    const refused = await typeCodeFrom(provider, '127.0.0.1', device.user_code);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('45');
    expect(textOf(refused.body)).toContain(`Too many wrong codes ${MAX_WRONG_USER_CODES_EVERYWHERE} codes typed at Mock Google in the last minute, from every computer together, were not right: that is its provider-wide limit. So that nobody can find a code by guessing, Mock Google checks no more codes from anyone for 45 seconds.`);
    expect(log.at(-1)).toBe(`user code refused unchecked: ${MAX_WRONG_USER_CODES_EVERYWHERE} wrong codes from all addresses this minute, the provider-wide limit (429, retry after 45 s)`);
    clock += 45_000;
    expect((await typeCodeFrom(provider, '127.0.0.1', device.user_code)).status).toBe(200);
  });
});
