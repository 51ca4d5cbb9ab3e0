// Which hosts count as this computer: plain http is allowed for them alone (--jwks, --discover),
// and the provider warns when it listens anywhere else.

import { describe, expect, test } from 'vitest';
import { isLoopbackHost } from '../../src/protocol/loopback.js';
import { checkedUrl } from '../../src/jwt/remote-keys.js';

describe('isLoopbackHost', () => {
  test.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['127.1', false],
    ['127.0.0.1.evil.example', false],
    ['evil.example', false],
    ['0.0.0.0', false],
    ['128.0.0.1', false],
    ['::', false],
    ['[::ffff:127.0.0.1]', false],
    ['localhost.evil.example', false],
    ['', false],
  ])('%j → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  test('a URL\'s own hostname: WHATWG URL turns 127.1 into 127.0.0.1, and keeps [::1] bracketed', () => {
    expect(new URL('http://127.1:9400/').hostname).toBe('127.0.0.1');
    expect(isLoopbackHost(new URL('http://127.1:9400/').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://[::1]:9400/').hostname)).toBe(true);
  });

  test('the key fetcher allows plain http to loopback hosts only', () => {
    expect(checkedUrl('http://[::1]:9400/jwks', '--jwks').href).toBe('http://[::1]:9400/jwks');
    expect(() => checkedUrl('http://keys.example/jwks', '--jwks')).toThrow('--jwks: plain http is allowed only for loopback hosts (127.0.0.1, localhost, ::1).');
  });
});
