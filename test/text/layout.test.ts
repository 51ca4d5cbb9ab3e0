// The layout every view uses: no line wider than the width, no word split, breaks inside long
// tokens marked and joinable, list and table indents kept, colours reopened after a break.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import stringWidth from 'string-width';
import { BREAK_MARK, NARROW_ONLY_PATTERN, wrapProse, breakLongWord, displayWidth, joinBrokenLines, layoutCommand, layoutTable, layoutText, outputWidth, shellWords, wrapParagraph } from '../../src/text/layout.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhc2hhIiwiaWF0IjoxNzk1OTM3MDE3LCJleHAiOjE3OTU5Mzc5MTd9.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const widest = (lines: string[]) => Math.max(...lines.map(displayWidth));

describe('wrapParagraph', () => {
  test('never splits a word that fits a line, and keeps every word in order', () => {
    fc.assert(fc.property(fc.array(fc.stringMatching(/^[a-z]{1,15}$/), { minLength: 1, maxLength: 60 }), fc.integer({ min: 20, max: 120 }), (words, width) => {
      const lines = wrapParagraph(words.join(' '), width);
      expect(widest(lines)).toBeLessThanOrEqual(width);
      expect(lines.join(' ').split(' ')).toEqual(words);
    }));
  });

  test('a token wider than the line breaks at its dots first, each break marked, and joins back', () => {
    const lines = wrapParagraph(`Paste ${TOKEN} into decode.`, 40);
    expect(widest(lines)).toBeLessThanOrEqual(40);
    expect(lines.some((line) => /\.\\$/.test(line))).toBe(true);
    expect(lines.slice(0, -1).every((line) => line.endsWith(BREAK_MARK))).toBe(true);
    expect(joinBrokenLines(lines.join('\n'))).toBe(`Paste ${TOKEN} into decode.`);
  });

  test('text that fits is left exactly as written', () => {
    expect(wrapParagraph('two  spaces kept', 40, { lead: '  ' })).toEqual(['  two  spaces kept']);
  });

  test('a broken token\'s later pieces start at column 0, so a shell paste joins them whole', () => {
    const lines = wrapParagraph(TOKEN, 40, { lead: '  ' });
    expect(lines[0]!.startsWith('  eyJ')).toBe(true);
    for (const line of lines.slice(1)) expect(line[0]).not.toBe(' ');
    expect(lines.join('\n').trimStart().replace(/\\\n/g, '')).toBe(TOKEN);
  });

  test('a token of a megabyte is broken in linear time, coloured or not', () => {
    const huge = `\x1b[35m${'y'.repeat(1_000_000)}\x1b[39m`;
    // Summing the rest again for every piece took minutes here (past the test's time limit).
    const pieces = breakLongWord(huge, 20, 20);
    expect(pieces.length).toBe(Math.ceil(1_000_000 / 19));
    expect(pieces.every((piece) => piece.startsWith('\x1b[35m'))).toBe(true);
  });

  test('a URL is never broken inside "://"', () => {
    for (let room = 5; room < 30; room++) {
      const pieces = breakLongWord('https://accounts.example.com/o/oauth2/v2/auth?client_id=abc&redirect_uri=http://127.0.0.1/cb', room, room);
      for (const piece of pieces) expect(piece, `room ${room}`).not.toMatch(/:\\$|:\/\\$/);
    }
  });

  test('a word that does not fit after a wide lead but fits after the hang moves down whole', () => {
    expect(wrapParagraph('/.well-known/openid-configuration', 40, { lead: '09:00:00 200 GET ', hang: '  ' })).toEqual(['09:00:00 200 GET', '  /.well-known/openid-configuration']);
  });

  test('a hanging indent: later lines start under the text, not under the marker', () => {
    expect(layoutText('  • a list item that is rather long and needs to wrap under its own text', 30).split('\n')).toEqual([
      '  • a list item that is rather',
      '    long and needs to wrap',
      '    under its own text',
    ]);
    expect(layoutText('(b) the second choice of a question, which is long', 24).split('\n')[1]).toMatch(/^ {4}\S/);
  });

  test('wide characters count two columns; colour codes none', () => {
    const lines = wrapParagraph('日本語の テキスト は 二列 を 使う ので 早く 折り返す', 12);
    expect(widest(lines)).toBeLessThanOrEqual(12);
    const coloured = wrapParagraph(`\x1b[1mbold\x1b[22m ${'word '.repeat(10)}`, 20);
    expect(widest(coloured)).toBeLessThanOrEqual(20);
    expect(coloured[0]).toContain('\x1b[1mbold\x1b[22m');
  });

  test('a colour open across a break is closed before the mark and reopened on the next line', () => {
    const pieces = breakLongWord(`\x1b[31m${'a'.repeat(50)}\x1b[39m`, 20, 20);
    expect(pieces[0]).toBe(`\x1b[31m${'a'.repeat(19)}\x1b[0m\\`);
    expect(pieces[1]!.startsWith('\x1b[31m')).toBe(true);
    expect(widest(pieces)).toBeLessThanOrEqual(20);
  });
});

describe('wrapProse', () => {
  test('a command in prose breaks only between its arguments, with " \\", and pastes back whole', () => {
    const text = 'Save the issuer\'s key with: jwt-vs-oauth exercises show flaw-two --material issuerKey --seed abc > issuer.pem; then verify the token.';
    const lines = wrapProse(text, 40, { lead: '  ' });
    expect(widest(lines)).toBeLessThanOrEqual(40);
    const joined = lines.join('\n').replace(/ \\\n\s*/g, ' ');
    expect(joined.replace(/\s+/g, ' ').trim()).toBe(text);
    const inCommand = lines.filter((line) => line.endsWith(' \\'));
    expect(inCommand.length).toBeGreaterThan(0);
  });

  test('prose with no command is laid out as wrapParagraph lays it out', () => {
    const text = 'A signed JWT is three base64url strings joined by dots: header, payload and signature.';
    expect(wrapProse(text, 30)).toEqual(wrapParagraph(text, 30));
  });
});

describe('layoutCommand', () => {
  test('breaks between arguments with " \\" and never inside a quoted argument that fits', () => {
    const lines = layoutCommand('jwt-vs-oauth verify "$ACCESS_TOKEN" --discover http://127.0.0.1:4000 --typ at+jwt --aud food-api', 44, { lead: '$ ' });
    expect(widest(lines)).toBeLessThanOrEqual(44);
    expect(lines.slice(0, -1).every((line) => line.endsWith(' \\'))).toBe(true);
    const words = lines.join(' ').replace(/ \\/g, '').slice(2).split(/ +/).filter(Boolean);
    expect(words).toEqual(shellWords('jwt-vs-oauth verify "$ACCESS_TOKEN" --discover http://127.0.0.1:4000 --typ at+jwt --aud food-api'));
  });

  test('an argument wider than a line is broken with the mark, its pieces at column 0, so a shell joins it back', () => {
    const lines = layoutCommand(`jwt-vs-oauth decode ${TOKEN} --json`, 50, { lead: '  $ ' });
    expect(widest(lines)).toBeLessThanOrEqual(50);
    expect(joinBrokenLines(lines.join('\n')).replace(/ \\\n\s*/g, ' ')).toBe(`  $ jwt-vs-oauth decode ${TOKEN} --json`);
    // What a shell does with it: backslash-newline removed, nothing else.
    const pasted = lines.join('\n').slice(4).replace(/\\\n/g, '');
    expect(pasted.split(/\s+/)).toEqual(['jwt-vs-oauth', 'decode', TOKEN, '--json']);
  });

  test('shellWords keeps quotes and escaped spaces inside one argument', () => {
    expect(shellWords(`a "b c" 'd e' f\\ g`)).toEqual(['a', '"b c"', "'d e'", 'f\\ g']);
    expect(shellWords('verify "$TOKEN" --secret <the shared secret> --alg HS256')).toEqual(['verify', '"$TOKEN"', '--secret', '<the shared secret>', '--alg', 'HS256']);
    expect(shellWords('a < b')).toEqual(['a', '<', 'b']);
  });
});

describe('layoutTable', () => {
  const rows = [['iss', '"http://127.0.0.1:4000"', 'Issuer: who made the token and signed it'], ['sub', '"asha"', 'Subject: who the token is about']];

  test('aligned when it fits, the last column wrapping under itself', () => {
    const lines = layoutTable(rows, 60, { indent: '  ' });
    expect(widest(lines)).toBeLessThanOrEqual(60);
    expect(lines[0]).toMatch(/^ {2}iss {2}"http:\/\/127\.0\.0\.1:4000" {2}Issuer/);
    const column = lines[0]!.indexOf('Issuer');
    expect(lines[1]!.length - lines[1]!.trimStart().length).toBe(column);
  });

  test('stacked when the last column would be too narrow, with headings as labels', () => {
    const lines = layoutTable(rows, 36, { indent: '  ', headings: ['claim', 'value', 'meaning'] });
    expect(widest(lines)).toBeLessThanOrEqual(36);
    expect(lines[0]).toBe('  iss');
    expect(lines[1]).toBe('    value: "http://127.0.0.1:4000"');
    expect(lines[2]).toMatch(/^ {4}meaning: Issuer/);
  });

  test('stacked, a cell that is a list item hangs its later lines after its marker', () => {
    const lines = layoutTable([['PKCE', '→ the code is bound to the one request that made the verifier, so a stolen code is useless']], 30, { indent: '  ' });
    expect(lines[1]).toMatch(/^ {4}→ the code/);
    expect(lines.slice(2).every((line) => line.startsWith('      ') && line[6] !== ' ')).toBe(true);
  });

  test('stacked, a row with no first cell continues the row above without a blank line', () => {
    const lines = layoutTable([['iss', 'a long value that takes room', 'meaning'], ['', '', 'a second line of meaning']], 30, { indent: '  ' });
    expect(lines.filter((line) => line.trim() === '')).toEqual([]);
    expect(lines.at(-1)).toContain('a second line of meaning');
  });
});

test('every character measured without string-width is one column to string-width too', () => {
  const disagree: string[] = [];
  for (let code = 0x20; code < 0x10000; code++) {
    const character = String.fromCharCode(code);
    if (NARROW_ONLY_PATTERN.test(character) && stringWidth(character) !== 1) disagree.push(code.toString(16));
  }
  expect(disagree).toEqual([]);
  expect(displayWidth('\x1b[31m→ ✓ naïve Ωμέγα\x1b[39m')).toBe(15);
  expect(displayWidth('山田 🍜')).toBe(7);
});

describe('outputWidth', () => {
  test('a terminal\'s columns; COLUMNS otherwise; 80 for an unknown terminal; no limit for a pipe', () => {
    expect(outputWidth({ isTTY: true, columns: 100 }, { COLUMNS: '60' })).toBe(100);
    expect(outputWidth({ isTTY: true }, {})).toBe(80);
    expect(outputWidth({}, { COLUMNS: '60' })).toBe(60);
    expect(outputWidth({}, {})).toBe(Infinity);
    expect(outputWidth({}, { COLUMNS: 'abc' })).toBe(Infinity);
    expect(outputWidth({ isTTY: true, columns: 5 }, {})).toBe(20);
  });
});
