// The shared layout checker catches each kind of bad layout the layout tests look for, and lets
// the good ones through: a "\" break joined back, a value shortened with "…", a list item's text
// wrapped under itself.

import { describe, expect, test } from 'vitest';
import { continuationIndents, layoutProblems, misindentedRows } from './layout-checks.js';

const ITEM = /^( *(?:[•✓✗]|\d{1,2}[.)]) +)\S/;
const WIDE = [
  'Decoding is not verifying.',
  '  • short-lived tokens: a leaked bearer token works for whoever holds it until it expires',
  'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhc2hhIn0.c2lnbmF0dXJl',
].join('\n');
const GOOD = [
  'Decoding is not',
  'verifying.',
  '  • short-lived tokens: a leaked bearer token works',
  '    for whoever holds it until it expires',
  'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJh\\',
  'c2hhIn0.c2lnbmF0dXJl',
].join('\n');

describe('layoutProblems', () => {
  test('a good layout at 52 columns: no problem (a word broken with "\\" joins back)', () => {
    expect(layoutProblems(GOOD, WIDE, 52, { item: ITEM })).toEqual([]);
  });

  test('a line one column too wide', () => {
    const tooWide = GOOD.replace('Decoding is not', `Decoding is not${' '.repeat(52 - 15 + 1)}`);
    expect(layoutProblems(tooWide, WIDE, 52, { item: ITEM })).toEqual([`line 1 is 53 columns: Decoding is not${' '.repeat(38)}`]);
  });

  test('a word split with no "\\" mark', () => {
    expect(layoutProblems(GOOD.replace('verifying.', 'verify\ning.'), WIDE, 52, { item: ITEM })).toEqual(['words not in the run that is not laid out (split or changed): verify | ing.']);
  });

  test('a list item\'s later line not under its text', () => {
    expect(layoutProblems(GOOD.replace('    for whoever', '  for whoever'), WIDE, 52, { item: ITEM })).toEqual([
      'a list item\'s later line is not under its text:\n  • short-lived tokens: a leaked bearer token works\n  for whoever holds it until it expires',
    ]);
  });

  test('a word broken with "\\" that goes on under an indent (a shell pasting it would keep the spaces)', () => {
    const broken = GOOD.replace('  • short-lived tokens: a leaked bearer token works\n    for whoever', '  • short-lived tokens: a leaked bearer to\\\n    ken works for whoever');
    expect(layoutProblems(broken, WIDE, 52, { item: ITEM })).toEqual(['a broken word goes on under an indent, which a shell would keep:\n  • short-lived tokens: a leaked bearer to\\\n    ken works for whoever holds it until it expires']);
  });

  test('a list item cut off after its first line by a blank line', () => {
    const cut = GOOD.replace('    for whoever holds it until it expires', '\nfor whoever holds it until it expires');
    expect(layoutProblems(cut, WIDE, 52, { item: ITEM })).toContain('a list item stops after its first line:\n  • short-lived tokens: a leaked bearer token works');
  });

  test('hang: a marker whose later lines start elsewhere than under its text', () => {
    const hint = { item: /^(Hint \d+ of \d+: )\S/, hang: () => 2 };
    const wide = 'Hint 1 of 2: Decoding needs no key at all, only the token';
    expect(layoutProblems('Hint 1 of 2: Decoding needs no key\n  at all, only the token', wide, 40, hint)).toEqual([]);
    expect(layoutProblems('Hint 1 of 2: Decoding needs no key\n at all, only the token', wide, 40, hint)).toEqual(['a list item\'s later line is not under its text:\nHint 1 of 2: Decoding needs no key\n at all, only the token']);
  });

  test('a value shortened in the middle to fit a column is not a split word', () => {
    expect(layoutProblems(GOOD.replace('verifying.', 'veri…ng.'), WIDE, 52)).toEqual([]);
  });
});

test('continuationIndents and misindentedRows: a table row\'s later line one column off', () => {
  const table = ['  iss  https://auth.example', '       the issuer', '  sub  asha', '      who it is about'];
  expect(misindentedRows(continuationIndents(table, (line) => /^ {2}\S/.test(line), () => false))).toEqual(['starts at column 6, not 7:       who it is about']);
});
