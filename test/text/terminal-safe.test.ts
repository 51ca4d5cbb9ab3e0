import { describe, expect, test } from 'vitest';
import { hasControlCharacters, terminalSafe } from '../../src/text/terminal-safe.js';

describe('terminalSafe', () => {
  test.each([
    ['\u001b[8mhidden\u001b[0m', '\\x1b[8mhidden\\x1b[0m'],
    ['line\r\nfake 200 ok', 'line\\r\\nfake 200 ok'],
    ['tab\there', 'tab\\there'],
    ['bell\u0007', 'bell\\x07'],
    ['del\u007f c1\u009b', 'del\\x7f c1\\x9b'],
    ['abc\u202edcba', 'abc\\u202edcba'],
    ['isolate\u2066x\u2069', 'isolate\\u2066x\\u2069'],
    ['sep\u2028x', 'sep\\u2028x'],
  ])('escapes %j', (input, shown) => {
    expect(terminalSafe(input)).toBe(shown);
    expect(hasControlCharacters(input)).toBe(true);
  });

  test.each(['plain text', 'Āsha Rāo ✓ 日本語 🙂', 'https://a.example/?x=1&y=2', ''])('leaves %j unchanged', (input) => {
    expect(terminalSafe(input)).toBe(input);
    expect(hasControlCharacters(input)).toBe(false);
  });

  test('the result never holds a control character', () => {
    let all = '';
    for (let code = 0; code < 0x3000; code++) all += String.fromCharCode(code);
    expect(hasControlCharacters(terminalSafe(all))).toBe(false);
  });
});
