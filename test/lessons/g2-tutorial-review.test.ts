// The tutorial re-review: a mint step's warning laid out once; every "$NAME" a shown command uses
// set by lines a learner can paste; `tutorial --reset` asks first; a lesson error keeps its command whole.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { BIN, runBin } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';
import { displayWidth } from '../../src/text/layout.js';

const home = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-g2-'));
const lessonAt = (lesson: number, width: number) => {
  const result = runBin(['tutorial', String(lesson), '--plain'], { env: { JWT_VS_OAUTH_HOME: home(), COLUMNS: String(width), NO_COLOR: '1' } });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.split('\n');
};

/** A paragraph wrapped once, greedily: no line could have taken the next line's first word. */
function wrappedOnce(lines: string[], width: number): boolean {
  return lines.slice(0, -1).every((line, index) => displayWidth(`${line} ${lines[index + 1]!.trim().split(' ')[0]}`) > width);
}

/** The lines that set `name`, from its "NAME=" line through its last "\"-continued line. */
function assignment(lines: string[], name: string, from = 0): { start: number; pasted: string[] } {
  const start = lines.findIndex((line, index) => index >= from && line.startsWith(`${name}=`));
  const pasted: string[] = [];
  for (let index = start; start >= 0 && (!pasted.length || pasted.at(-1)!.endsWith('\\')); index++) pasted.push(lines[index]!);
  return { start, pasted };
}

describe('lesson 9 at 60 columns: the mint step\'s warning is laid out once, at the lesson\'s indent', () => {
  test('its lines wrap greedily under "! " and none is wider than 60', () => {
    const lines = lessonAt(9, 60);
    const start = lines.findIndex((line) => line.startsWith('  ! warning (no-exp):'));
    expect(start).toBeGreaterThan(0);
    const end = lines.findIndex((line, index) => index > start && line.startsWith('  (saved as $FOREVER'));
    const warning = lines.slice(start, end);
    expect(warning.slice(1).every((line) => /^ {4}\S/.test(line))).toBe(true);
    expect(warning.every((line) => displayWidth(line) <= 60)).toBe(true);
    expect(wrappedOnce(warning, 60), warning.join('\n')).toBe(true);
    expect(warning.join(' ').replace(/\s+/g, ' ')).toContain('Keep access tokens short-lived: minutes rather than days (RFC 9068 §2.2 makes exp mandatory).');
  }, 30_000);
});

describe('every "$NAME" a shown command uses is set by lines the learner can paste, once per lesson', () => {
  // Every name is set just before the command that uses it (issue #14): a token an earlier step
  // saved is offered for pasting; a value a step's own Mock Google made is shown as what the step
  // ran with, after how to run the command against your own Mock Google ("own").
  test.each([
    [3, { TOKEN: 'paste', TAMPERED: 'paste' }],
    [9, { ID_TOKEN: 'own', ISSUER: 'own', API: 'own', FOREVER: 'paste' }],
    [10, { FOOD_TOKEN: 'paste' }],
  ])('lesson %i at 60 columns sets %j, each once, at the step that first uses it', (lesson, names) => {
    const lines = lessonAt(lesson, 60);
    for (const [name, how] of Object.entries(names)) {
      const tryIt = lines.findIndex((line, index) => line.startsWith('Runs:') && lines.slice(index, index + 4).join(' ').includes(`"$${name}"`));
      const { start, pasted } = assignment(lines, name);
      expect(tryIt, name).toBeGreaterThan(0);
      expect(start, `${name}:\n${lines.join('\n')}`).toBeGreaterThan(0);
      const intro = lines.slice(0, start).findLastIndex((line) => line.startsWith('To run the command '));
      expect(lines[intro], name).toMatch(how === 'paste' ? /^To run the command below yourself, first paste these lines/ : /^To run the command below yourself, start your own Mock/);
      expect(tryIt - (start + pasted.length), name).toBeGreaterThanOrEqual(0);
      expect(tryIt - (start + pasted.length), name).toBeLessThanOrEqual(12);
      expect(lines.filter((line) => line.startsWith(`${name}=`)), name).toHaveLength(1);
      expect(pasted.every((line) => displayWidth(line) <= 60)).toBe(true);
    }
  }, 60_000);

  test('lesson 3: the lines that set $TOKEN, pasted into a shell, make its decode command work', () => {
    const lines = lessonAt(3, 60);
    const { pasted } = assignment(lines, 'TOKEN');
    const script = `${pasted.join('\n')}\n"${process.execPath}" "${BIN}" decode "$TOKEN"\n`;
    const shell = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home(), JWT_VS_OAUTH_HOME: home(), NO_COLOR: '1' } });
    expect(shell.stderr).toBe('');
    expect(shell.status).toBe(0);
    expect(shell.stdout).toMatch(/^ {2}sub {2}"asha"/m);
  }, 30_000);

  test('lesson 8: $ISSUER and $API are assignments a shell takes, each note on a "# " line of its own', () => {
    const lines = lessonAt(8, 60);
    for (const name of ['ISSUER', 'API']) {
      const { start, pasted } = assignment(lines, name);
      expect(pasted).toHaveLength(1);
      expect(pasted[0]).toMatch(new RegExp(`^${name}=http://127\\.0\\.0\\.1:\\d+\\S*$`));
      expect(lines[start + 1]).toMatch(/^# \S/);
      const shell = spawnSync('bash', ['-c', `${pasted[0]}\nprintf %s "$${name}"`], { encoding: 'utf8' });
      expect(shell.stdout).toBe(pasted[0]!.slice(name.length + 1));
    }
  }, 60_000);
});

describe('a lesson that does not exist', () => {
  test('at 60 columns, the command to list them stays on one line', () => {
    const result = runBin(['tutorial', '42'], { env: { JWT_VS_OAUTH_HOME: home(), COLUMNS: '60' } });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n').some((line) => line.endsWith('jwt-vs-oauth tutorial --list'))).toBe(true);
    expect(result.stderr.replace(/\s+/g, ' ')).toContain('Lessons: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15; list them with: jwt-vs-oauth tutorial --list');
  });
});

const PROGRESS = { version: 1, tutorial: { completed: [1, 2], position: { lesson: 3, screen: 1 } } };
const withProgress = () => {
  const folder = home();
  writeFileSync(join(folder, 'progress.json'), JSON.stringify(PROGRESS));
  return folder;
};
const tutorialOf = (folder: string) => JSON.parse(readFileSync(join(folder, 'progress.json'), 'utf8')).tutorial;

describe('tutorial --reset of all', () => {
  test('without a terminal it refuses with exit 2 and names --yes; nothing is forgotten', () => {
    const folder = withProgress();
    const result = runBin(['tutorial', '--reset'], { env: { JWT_VS_OAUTH_HOME: folder } });
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 2, stdout: '', stderr: 'error: tutorial --reset forgets your progress in every lesson; without a terminal to ask, add --yes.\n' });
    expect(tutorialOf(folder)).toEqual(PROGRESS.tutorial);
  });

  test('with --yes it resets without asking', () => {
    const folder = withProgress();
    const result = runBin(['tutorial', '--reset', '--yes'], { env: { JWT_VS_OAUTH_HOME: folder } });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: 'Tutorial progress reset: you start from lesson 1.\n' });
    expect(tutorialOf(folder)).toEqual({ completed: [] });
  });

  test('one lesson is still reset without a question', () => {
    const folder = withProgress();
    expect(runBin(['tutorial', '--reset', '2'], { env: { JWT_VS_OAUTH_HOME: folder } }).stderr).toBe('Lesson 2 reset.\n');
  });
});

describe.skipIf(!tmuxAvailable())('tutorial --reset on a real terminal (tmux)', () => {
  let session: TerminalSession | undefined;
  afterEach(() => session?.close());

  test.each([
    ['Enter (the default, no)', '', 'Nothing was reset.', PROGRESS.tutorial],
    ['y', 'y', 'Tutorial progress reset: you start from lesson 1.', { completed: [] }],
  ])('asks "(y/N)" first; %s', async (_name, keys, said, left) => {
    const folder = withProgress();
    session = new TerminalSession(`node ${BIN} tutorial --reset`, { width: 80, env: { JWT_VS_OAUTH_HOME: folder, NO_COLOR: '1' } });
    await session.waitFor('Forget your progress in all 15 lessons? (y/N)');
    if (keys) session.type(keys);
    session.press('Enter');
    expect(await session.exitCode()).toBe(0);
    const screen = session.screen();
    expect(screen).toContain(said);
    expect(screen).not.toContain('✔');
    expect(tutorialOf(folder)).toEqual(left);
  }, 30_000);
});

describe.skipIf(!tmuxAvailable())('lesson 3 on a real terminal (tmux), 60 columns', () => {
  let session: TerminalSession | undefined;
  afterEach(() => session?.close());

  test('$TOKEN is set once, just before the decode step\'s command, and not again when the step runs again', async () => {
    session = new TerminalSession(`node ${BIN} tutorial 3`, { width: 60, height: 50, historyLimit: 5000, env: { JWT_VS_OAUTH_HOME: home(), NO_COLOR: '1' }, unset: ['COLUMNS', 'CI'] });
    await session.waitFor(/screen 1 of \d+\)[\s\S]*\[Enter\] continue/);
    session.press('Enter');
    await session.waitFor(/screen 2 of \d+\)[\s\S]*saved as \$TOKEN[\s\S]*\[Enter\] continue/);
    session.press('Enter');
    await session.waitFor(/screen 3 of \d+\)[\s\S]*A signed JWT[\s\S]*\[Enter\] continue/);
    const lines = session.screen().split('\n');
    const { start, pasted } = assignment(lines, 'TOKEN');
    const command = lines.findIndex((line) => line.startsWith('Runs: jwt-vs-oauth decode'));
    expect(start).toBeGreaterThan(0);
    expect(command - (start + pasted.length)).toBe(1);
    expect(pasted.every((line) => displayWidth(line) <= 60)).toBe(true);
    // Back to screen 3 from screen 4 (a question: b alone, then Enter): the same token, so it is not set again.
    session.press('Enter');
    await session.waitFor(/screen 4 of \d+\)[\s\S]*\[b\] alone: back/);
    session.type('b', true);
    await session.waitFor(/(?:screen 3 of \d+\)[\s\S]*){2}A signed JWT[\s\S]*\[Enter\] continue[^›]*$/);
    expect(session.screen().split('\n').filter((line) => line.startsWith('TOKEN='))).toHaveLength(1);
    session.press('q');
    expect(await session.exitCode()).toBe(0);
  }, 60_000);
});
