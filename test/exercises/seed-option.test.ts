// --seed is printed on the terminal and into a worksheet's Markdown: one that is empty, only
// spaces, too long, or holds a control or invisible formatting character is refused (exit 2,
// before anything is read or written), naming the rule; never echoed raw.

import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const RULE = 'A seed is 1 to 256 characters, not only spaces and not starting or ending with one, with no control or invisible formatting characters (it is printed on terminals and in worksheets). Example: --seed asha-rao';
const home = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-seed-'));

describe('--seed that cannot be a seed', () => {
  test('the review\'s seed (a terminal title escape, then a paragraph of HTML) for worksheet: exit 2, nothing on stdout, no ESC or BEL anywhere, no progress file made', async () => {
    const learner = home();
    const result = await runCli(['ex', '--seed', 'x\u001b]0;PWNED\u0007\n\n<script>alert(1)</script>\n\n', 'worksheet', 'read-subject'], { env: { JWT_VS_OAUTH_HOME: learner } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`error: --seed holds a control character, U+001B, at character 2.\n${RULE}\n`);
    expect(readdirSync(learner)).toEqual([]);
  });

  test.each([
    ['empty', '', 'was empty'],
    ['only spaces', '   ', 'was only spaces'],
    ['a space first', ' asha', 'starts with a space, which makes another seed than the same text without it'],
    ['a space last', 'asha ', 'ends with a space, which makes another seed than the same text without it'],
    ['a no-break space only', '\u00a0', 'was only spaces'],
    ['a newline', 'asha\nrao', 'holds a control character, U+000A, at character 5'],
    ['a tab', '\t', 'holds a control character, U+0009, at character 1'],
    ['a C1 control (CSI)', 'a\u009b2J', 'holds a control character, U+009B, at character 2'],
    ['a right-to-left override', 'asha\u202erao', 'holds an invisible formatting character, U+202E, at character 5'],
    ['a zero-width space', 'asha\u200b', 'holds an invisible formatting character, U+200B, at character 5'],
    ['a soft hyphen', 'as\u00adha', 'holds an invisible formatting character, U+00AD, at character 3'],
    ['a line separator', 'asha\u2028', 'holds an invisible formatting character, U+2028, at character 5'],
    ['257 characters', 'a'.repeat(257), 'has 257 characters, more than 256'],
  ])('%s: exit 2 with the rule, for show, check, worksheet and selftest; with --json the error is JSON on stdout, and no progress', async (_name, seed, problem) => {
    const expected = `error: --seed ${problem}.\n${RULE}\n`;
    // With --json, stdout holds only the error as one JSON line, never the seed as given.
    const expectedJson = `${JSON.stringify({ error: { code: 'ERR_BAD_SEED', message: `--seed ${problem}.`, hint: RULE, exitCode: 2 } })}\n`;
    for (const words of [['show', 'read-subject'], ['check', 'read-subject', 'asha'], ['worksheet'], ['selftest', 'read-subject'], ['progress', '--json']]) {
      const learner = home();
      const result = await runCli(['ex', '--seed', seed, ...words], { env: { JWT_VS_OAUTH_HOME: learner } });
      expect({ words, code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ words, code: 2, stdout: words.includes('--json') ? expectedJson : '', stderr: expected });
      expect(readdirSync(learner)).toEqual([]);
    }
  });
});

describe('--seed that is a seed', () => {
  test.each([
    ['a word', 'asha-rao'],
    ['letters beyond ASCII and an emoji', 'Zoë 🦊'],
    ['spaces inside', 'week 3 asha'],
    ['256 characters', 'é'.repeat(256)],
    ['a seed this tool makes', '0f1e2d3c4b5a6978'],
  ])('%s: accepted; the worksheet names it', async (_name, seed) => {
    const result = await runCli(['ex', '--seed', seed, 'worksheet', 'read-subject', '--json'], { env: { JWT_VS_OAUTH_HOME: home() } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).seed).toBe(seed);
  });

  test('selftest with a seed of its own still passes and says the seed', async () => {
    const result = await runCli(['ex', '--seed', 'Zoë 🦊', 'selftest', 'read-subject', '--json'], { env: { JWT_VS_OAUTH_HOME: home() } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, seed: 'Zoë 🦊' });
  });
});

test('exercises --help states the seed rule', async () => {
  const help = (await runCli(['ex', '--help'])).stdout;
  expect(help.replace(/\s+/g, ' ')).toContain('--seed <seed> generate tokens from this seed instead of your own (each learner has one): 1 to 256 characters, no control characters');
});
