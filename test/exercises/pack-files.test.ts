// A pack's files are read as data and nothing more (issue #10): a file that is a symbolic link is
// refused, so a pack cannot show a learner's file (or /proc/self/environ) in an error; a file that
// is not JSON is told by line and column, never quoted; a check.pattern cannot hang `check` or
// `selftest`, since every match runs under a time limit.

import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { jsonErrorOffset, lineAndColumn } from '../../src/text/json-error-position.js';
import { loadLessons } from '../../src/lessons/loader.js';
import { runCli } from '../helpers/cli.js';

const SLOW_PACK = fileURLToPath(new URL('../fixtures/packs/slow-pattern/', import.meta.url));
const EXAMPLE = JSON.parse(readFileSync(new URL('../../lessons/example-pack/01-pack-read-issuer.json', import.meta.url), 'utf8'));
const temporary = (prefix: string) => mkdtempSync(join(tmpdir(), `jwt-vs-oauth-${prefix}-`));
const home = () => ({ JWT_VS_OAUTH_HOME: temporary('home') });

/** A pack folder holding the example exercise, plus whatever `extra` adds. */
function packWith(extra: (pack: string) => void): string {
  const pack = temporary('pack');
  writeFileSync(join(pack, '01-read-issuer.json'), JSON.stringify(EXAMPLE));
  extra(pack);
  return pack;
}

describe('a pack file that is a symbolic link is refused, and nothing of its target is shown', () => {
  const secretFolder = temporary('secrets');
  const secret = join(secretFolder, 'secret.txt');
  writeFileSync(secret, 'TOPSECRET-1234\n');
  const environ = join(secretFolder, 'environ');
  writeFileSync(environ, 'SHELL=/bin/bash\u0000TOKEN=TOPSECRET-5678\u0000');

  test.each([
    ['to a secret file outside the pack', secret],
    ['to an environment dump (like /proc/self/environ)', environ],
    ['to a valid exercise outside the pack', fileURLToPath(new URL('../../lessons/example-pack/02-pack-choose-storage.json', import.meta.url))],
    ['to nothing', join(secretFolder, 'missing.json')],
  ])('a link %s: exit 2 naming the file, for list, show and selftest', async (_what, target) => {
    const pack = packWith((folder) => symlinkSync(target, join(folder, '06.json')));
    for (const args of [['list'], ['show', 'pack-read-issuer'], ['selftest']]) {
      const result = await runCli(['exercises', '--pack', pack, ...args], { env: home() });
      expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: ${join(pack, '06.json')}: a symbolic link, which is not followed (it could lead to any file); a lesson or exercise file must be a plain file in its folder.\nCopy the file into the folder instead of linking to it.\n`,
      });
    }
  });

  test('a lessons folder with a link in it is refused the same way', () => {
    const folder = temporary('lessons');
    symlinkSync(secret, join(folder, '01-lesson.json'));
    expect(() => loadLessons(folder)).toThrow(expect.objectContaining({ code: 'ERR_LESSON_FILE', message: `${join(folder, '01-lesson.json')}: a symbolic link, which is not followed (it could lead to any file); a lesson or exercise file must be a plain file in its folder.` }));
  });
});

describe('a pack file that is not JSON is told by line and column, never quoted', () => {
  test.each([
    ['SHELL=/bin/bash\nTOKEN=TOPSECRET', 'line 1, column 1'],
    ['{\n  "id": TOPSECRET\n}', 'line 2, column 9'],
    ['{\n  "id": "pack-x",\n  "title": "TOPSECRET\n"}', 'line 3, column 22'],
    ['{"id": "TOPSECRET"', 'line 1, column 19'],
    ['', 'line 1, column 1'],
  ])('%j: not valid JSON at %s', async (content, where) => {
    const pack = packWith((folder) => writeFileSync(join(folder, '02.json'), content));
    const result = await runCli(['exercises', '--pack', pack, 'list'], { env: home() });
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 2, stdout: '', stderr: `error: ${join(pack, '02.json')}: not valid JSON at ${where}.\n` });
  });

  // The position matches JSON.parse's own wherever JSON.parse gives one.
  test.each([
    ['{"a":1,}', 7],
    ['{"a" 1}', 5],
    ['{"a":1}x', 7],
    ['[1,,2]', 3],
    ['{"a":tru}', 8],
    ['"\\q"', 2],
    ['"a\tb"', 2],
    ['-', 1],
    ['1.e', 2],
    ['[1,2', 4],
    ['{"a": [1, {"b": null}], "c": "\\u00e9"}', undefined],
    [' 0 ', undefined],
  ])('jsonErrorOffset(%j) is %s', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    const native = /at position (\d+)/.exec((() => {
      try {
        JSON.parse(text);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })());
    if (native) expect(offset).toBe(Number(native[1]));
  });

  test('deep nesting neither overflows the scanner nor slows it', () => {
    const deep = '['.repeat(200_000);
    expect(jsonErrorOffset(deep)).toBe(200_000);
    expect(lineAndColumn(`${'\n'.repeat(3)}ab`, 4)).toEqual({ line: 4, column: 2 });
  });
});

describe('a check.pattern cannot hang check or selftest', () => {
  test('a learner\'s near miss on ^(a|a)+$ fails at once, saying the check took too long', async () => {
    const env = { ...home(), JWT_VS_OAUTH_PACK: SLOW_PACK };
    const result = await runCli(['exercises', 'check', 'pack-slow-pattern', `${'a'.repeat(50)}!`], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('  ✗ answer\n      expected: the value the task asks for\n      got:      the check took too long (over 100 ms): tell your teacher, the exercise\'s pattern needs fixing\n');
    const json = JSON.parse((await runCli(['exercises', 'check', 'pack-slow-pattern', `${'a'.repeat(50)}!`, '--json'], { env })).stdout);
    expect(json).toMatchObject({ passed: false, checks: [{ label: 'answer', ok: false }] });
    expect((await runCli(['exercises', 'check', 'pack-slow-pattern', 'aaa'], { env })).code).toBe(0);
  });

  test('selftest reports the exercise as broken: exit 1, naming it', async () => {
    const result = await runCli(['exercises', '--pack', SLOW_PACK, 'selftest'], { env: home() });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      '✗ pack-slow-pattern  its check.pattern takes longer than 100 ms on an answer such as "aaaaaa…aa!" (1024 characters), so a learner\'s check would stall: avoid nested or overlapping repeats such as (a|a)+ or (a+)+\n'
      + '✗ 1 of 1 do not check out.\n',
    );
    const json = JSON.parse((await runCli(['exercises', '--pack', SLOW_PACK, 'selftest', '--json'], { env: home() })).stdout);
    expect(json.exercises).toMatchObject([{ id: 'pack-slow-pattern', ok: false, solutionPasses: true, emptyAnswerFails: true }]);
  });

  test('a pattern that is slow on the solution\'s own answer is named too', async () => {
    const pack = temporary('pack');
    const exercise = JSON.parse(readFileSync(join(SLOW_PACK, '01-slow-pattern.json'), 'utf8'));
    writeFileSync(join(pack, '01.json'), JSON.stringify({ ...exercise, solution: { ...exercise.solution, answers: [`${'a'.repeat(40)}!`] } }));
    const result = await runCli(['exercises', '--pack', pack, 'selftest'], { env: home() });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ pack-slow-pattern  its check.pattern takes longer than 100 ms on the solution\'s answer, so a learner\'s check would stall');
  });

  test('a sound pattern passes selftest, and an answer over 1024 characters fails without being matched', async () => {
    const pack = temporary('pack');
    writeFileSync(join(pack, '01.json'), JSON.stringify({ ...EXAMPLE, id: 'pack-callback', material: undefined, task: ['Send the callback URL.'], check: { kind: 'answer', pattern: '^https://app\\.example/(cb|callback)$' }, solution: { explain: ['exactly'], answers: ['https://app.example/callback'] } }));
    const env = { ...home(), JWT_VS_OAUTH_PACK: pack };
    expect((await runCli(['exercises', 'selftest'], { env })).code).toBe(0);
    const long = await runCli(['exercises', 'check', 'pack-callback', 'a'.repeat(1025)], { env });
    expect(long.code).toBe(1);
    expect(long.stdout).toContain('      expected: the value the task asks for, in at most 1024 characters\n      got:      1025 characters\n      why:      that is far longer than the answer\n');
    expect(long.stdout).not.toContain('app\\.example');
  });

  test('a pattern longer than 512 characters is refused when the pack loads', async () => {
    const pack = temporary('pack');
    writeFileSync(join(pack, '01.json'), JSON.stringify({ ...EXAMPLE, check: { kind: 'answer', pattern: `^(${'x'.repeat(600)})$` } }));
    const result = await runCli(['exercises', '--pack', pack, 'list'], { env: home() });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: `error: ${join(pack, '01.json')}: "check.pattern": is 604 characters long; a pattern may have at most 512\n` });
  });
});
