// Issue #13's review, A: an answered prompt in the exercises commands shows our "›", never
// inquirer's green ✔, which read as "right" next to a wrong answer ("✔ Your answer bob", then
// "✗ Not yet."). On a real terminal (tmux): check's answer, reset's confirmation, and the teacher
// passphrase prompts of teacher-key and solution --teacher.

import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { BIN, runBin } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';

const hasTmux = tmuxAvailable();
if (!hasTmux) console.warn('Skipping the exercises prompt tests: tmux is not installed (.ci/run installs it).');

const PASSPHRASE = 'correct-horse-battery-staple';
const newHome = () => join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-prompts-')), 'home');

/** In a fresh home folder, on a terminal. */
function start(command: string, home = newHome()): TerminalSession {
  return new TerminalSession(`node ${BIN} ${command}`, { width: 100, height: 40, env: { JWT_VS_OAUTH_HOME: home } });
}

describe.skipIf(!hasTmux)('answered prompts in exercises show ›, not ✔', () => {
  let session: TerminalSession | undefined;
  afterEach(() => session?.close());

  test('check with no answer: "› Your answer bob", then "✗ Not yet.", exit 1', async () => {
    session = start('exercises check read-subject');
    await session.waitFor('Your answer');
    session.type('bob', true);
    expect(await session.exitCode()).toBe(1);
    const screen = session.screen();
    expect(screen).toContain('› Your answer bob');
    expect(screen).toContain('✗ Not yet.');
    expect(screen).not.toContain('✔');
  }, 30_000);

  test('reset\'s confirmation: "› Forget your progress on read-subject? No"', async () => {
    session = start('exercises reset read-subject');
    await session.waitFor('Forget your progress on read-subject?');
    session.type('n', true);
    expect(await session.exitCode()).toBe(0);
    const screen = session.screen();
    expect(screen).toMatch(/› Forget your progress on read-subject\? No/);
    expect(screen).toContain('Nothing was reset.');
    expect(screen).not.toContain('✔');
  }, 30_000);

  test('teacher-key\'s two passphrase prompts', async () => {
    session = start('exercises teacher-key');
    await session.waitFor('New teacher passphrase');
    session.type(PASSPHRASE, true);
    await session.waitFor('The same again');
    session.type(PASSPHRASE, true);
    expect(await session.exitCode(30_000)).toBe(0);
    const screen = session.screen();
    expect(screen).toContain('› New teacher passphrase');
    expect(screen).toContain('› The same again');
    expect(screen).toContain('"teacherKey"');
    expect(screen).not.toContain('✔');
  }, 60_000);

  test('solution --teacher\'s passphrase prompt, for a pack with a teacher key', async () => {
    const pack = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-prompts-pack-')), 'pack');
    cpSync(fileURLToPath(new URL('../../lessons/example-pack/', import.meta.url)), pack, { recursive: true });
    const made = runBin(['exercises', '--pack', pack, 'teacher-key', '--write'], { env: { JWT_VS_OAUTH_HOME: newHome(), JWT_VS_OAUTH_TEACHER_KEY: PASSPHRASE } });
    expect(made.code, made.stderr).toBe(0);
    session = start(`exercises --pack ${pack} solution read-subject --teacher`);
    await session.waitFor('Teacher passphrase');
    session.type(PASSPHRASE, true);
    expect(await session.exitCode(30_000)).toBe(0);
    const screen = session.screen();
    expect(screen).toContain('› Teacher passphrase');
    expect(screen).toContain('Solution:');
    expect(screen).not.toContain('✔');
  }, 60_000);
});
