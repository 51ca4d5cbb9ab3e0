import { describe, expect, test } from 'vitest';
import { hasControlCharacters, hasInvisibleCharacters, pathOfControlCharacter, terminalSafe } from '../../src/text/terminal-safe.js';

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

describe('hasInvisibleCharacters and pathOfControlCharacter (issue #14: invisible characters in pack text)', () => {
  test.each([['\u200b'], ['\u00ad'], ['\u{e0041}'], ['\u{e007f}'], ['\ufff9'], ['\ufffb'], ['\u115f'], ['\u1160'], ['\u3164'], ['\u2060']])('%j is invisible, and its path is found like a control character\'s', (character) => {
    expect(hasInvisibleCharacters(`a${character}b`)).toBe(true);
    expect(pathOfControlCharacter({ task: ['fine', `a${character}b`] })).toBe('task[1]');
    expect(pathOfControlCharacter({ [`key${character}`]: 'fine' })).toBe(`key${character}`);
  });

  test.each([['an emoji ZWJ sequence', '👩‍💻'], ['a subdivision flag with tags', '🏴󠁧󠁢󠁥󠁮󠁧󠁿'], ['Hindi with ZWJ and ZWNJ', 'क्‍ष क्‌ष'], ['plain text', 'Āsha Rāo ✓ 日本語']])('%s is not', (_name, text) => {
    expect(hasInvisibleCharacters(text)).toBe(false);
    expect(pathOfControlCharacter({ task: [text] })).toBeUndefined();
  });
});
