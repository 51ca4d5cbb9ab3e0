// The one HTML escaper that the provider's pages and the demo app's pages share.

import { describe, expect, test } from 'vitest';
import { escapeHtml } from '../../src/text/html.js';

describe('escapeHtml', () => {
  test.each([
    ['&', '&#38;'],
    ['<', '&#60;'],
    ['>', '&#62;'],
    ['"', '&#34;'],
    ["'", '&#39;'],
    ['<script>alert("x")</script>', '&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;'],
    ['" onfocus=\'x\' a="', '&#34; onfocus=&#39;x&#39; a=&#34;'],
    ['&amp;', '&#38;amp;'],
  ])('%j → %j', (input, shown) => {
    expect(escapeHtml(input)).toBe(shown);
  });

  test.each([
    ['a\u202eb', 'a\\u202Eb'],
    ['tab\u0009and newline\u000a stay', 'tab\u0009and newline\u000a stay'],
    ['bell\u0007 escape\u001b', 'bell\\u0007 escape\\u001B'],
    ['c1\u009b isolate\u2066', 'c1\\u009B isolate\\u2066'],
  ])('control and bidi characters are shown, not obeyed: %j', (input, shown) => {
    expect(escapeHtml(input)).toBe(shown);
  });

  test('text without markup is unchanged, and any value becomes text', () => {
    expect(escapeHtml('Āsha Rāo ✓ 日本語')).toBe('Āsha Rāo ✓ 日本語');
    expect(escapeHtml(42)).toBe('42');
    expect(escapeHtml(undefined)).toBe('undefined');
  });
});
