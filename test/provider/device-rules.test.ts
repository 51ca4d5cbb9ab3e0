// Two device-flow rules (RFC 8628): the polling interval counts from the device authorization
// response, so a first poll at once is told why it is slow_down; and wrong user codes are counted
// per IPv4 address (IPv4-mapped IPv6 included) and per IPv6 /64 (§5.1).

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { guessingAddress } from '../../src/provider/device.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { startTestProvider } from '../helpers/provider.js';
import { deviceAuthorization, poll } from './device-helpers.js';

let provider: RunningProvider;
let clock = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  provider = await startTestProvider({ nowMs: () => clock });
});
afterAll(() => provider.close());

describe('the first poll (§3.2, §3.5)', () => {
  test('at once: slow_down that says the interval is waited before the first poll too; after it, the next poll on time is pending', async () => {
    const device = await deviceAuthorization(provider);
    const first = await poll(provider, device.device_code);
    expect(first.body).toEqual({ error: 'slow_down', error_description: 'Polling too fast: wait the interval (now 10 seconds) after the device authorization response before the first poll, and between polls (RFC 8628 section 3.5).' });
    clock += 10_000;
    expect((await poll(provider, device.device_code)).body.error).toBe('authorization_pending');
  });

  test('after the interval: pending', async () => {
    const device = await deviceAuthorization(provider);
    clock += 5_000;
    expect((await poll(provider, device.device_code)).body.error).toBe('authorization_pending');
  });
});

describe('whom wrong codes are counted against (§5.1)', () => {
  test('IPv4, and IPv4-mapped IPv6, are one address', () => {
    expect(guessingAddress('10.0.0.7')).toBe('10.0.0.7');
    expect(guessingAddress('::FFFF:10.0.0.7')).toBe('10.0.0.7');
  });

  test('loopback, 127.0.0.0/8 and ::1, is one address: it is all this machine', () => {
    expect(guessingAddress('127.0.0.1')).toBe('loopback (127.0.0.0/8 and ::1)');
    expect(guessingAddress('127.0.0.2')).toBe('loopback (127.0.0.0/8 and ::1)');
    expect(guessingAddress('::ffff:127.255.1.9')).toBe('loopback (127.0.0.0/8 and ::1)');
    expect(guessingAddress('::1')).toBe('loopback (127.0.0.0/8 and ::1)');
    expect(guessingAddress('0:0:0:0:0:0:0:1')).toBe('loopback (127.0.0.0/8 and ::1)');
  });

  test('IPv6 by its /64: the addresses of one host\'s block count together', () => {
    expect(guessingAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(guessingAddress('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(guessingAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(guessingAddress('::2')).toBe('0:0:0:0::/64');
    expect(guessingAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(guessingAddress(undefined)).toBe('unknown');
  });
});
