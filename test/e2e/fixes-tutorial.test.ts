// What a new user's review of the tutorial and the OAuth demo found (issue #13), as that user
// meets it: lesson 8's assignment pasted into bash as shown (60 columns, tmux and --plain); a
// resume on a question whose token is gone (no verdict before an answer, the step that makes it
// named and run again); the quit line laid out to the terminal; commands in lesson prose kept
// whole or broken with " \"; JSON bodies and lesson 9's script laid out to read; and the demo's
// pause prompt answering q and Esc.

import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { BIN, runBin } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';
import { displayWidth } from '../../src/text/layout.js';

const home = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-fixes-'));
/** The lines of a screen capture, the pane's "[exit N]" and what follows left out. */
const linesOf = (screen: string) => screen.replace(/\n*\[exit \d+\][\s\S]*$/, '').split('\n');

/** The lines from the one starting `first` through the last of those ending in "\" (a broken line goes on). */
function brokenRun(lines: string[], first: string): string[] {
  const start = lines.findIndex((line) => line.startsWith(first));
  expect(start, lines.join('\n').slice(0, 3000)).toBeGreaterThanOrEqual(0);
  const taken: string[] = [];
  for (let index = start; !taken.length || taken.at(-1)!.endsWith('\\'); index++) taken.push(lines[index]!);
  return taken;
}

/** Runs what a user pasted into bash, then decode on $ACCESS_TOKEN (no start-up files read). */
function pasteThenDecode(pasted: string[]) {
  const script = `${pasted.join('\n')}\n"${process.execPath}" "${BIN}" decode "$ACCESS_TOKEN"\n`;
  return spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home(), JWT_VS_OAUTH_HOME: home() } });
}

describe('commands in lesson prose and bodies in hands-on output, as plain text', () => {
  const plain = (lesson: number, width: number) => {
    const result = runBin(['tutorial', String(lesson), '--plain'], { env: { JWT_VS_OAUTH_HOME: home(), COLUMNS: String(width) } });
    expect(result.code, result.stderr).toBe(0);
    return result.stdout.split('\n');
  };

  test('60 columns: a short command in prose is on one line, whole; a long one broken with " \\" between its arguments', () => {
    const lesson3 = plain(3, 60);
    expect(lesson3.some((line) => line.startsWith('openssl rand -base64 32'))).toBe(true);
    const weak = brokenRun(lesson3, 'jwt-vs-oauth mint --secret');
    expect(weak.length).toBeGreaterThan(1);
    expect(weak.slice(0, -1).every((line) => line.endsWith(' \\'))).toBe(true);
    expect(weak.join('\n').replace(/ \\\n/g, ' ')).toBe('jwt-vs-oauth mint --secret my-very-long-and-very-secret-signing-key --sub asha');
    // Lesson 2 names it at the end of a sentence that fits the line with it: whole, at the line's end.
    expect(plain(2, 60).some((line) => line.endsWith(' openssl rand -base64 32') && !/openssl\s*$/.test(line.slice(0, -' rand -base64 32'.length - 1)))).toBe(true);
    expect(plain(5, 60)).toContain('jwt-vs-oauth oauth --attack csrf');
    expect(plain(10, 60).some((line) => line.endsWith('jwt-vs-oauth oauth --attack <name>'))).toBe(true);
  }, 30_000);

  test('a JSON body that does not fit is pretty-printed, a member a line, never broken with "\\"', () => {
    const lesson2 = plain(2, 60);
    const answer = lesson2.findIndex((line) => line.startsWith('  ← 200 {') && line.trimEnd().endsWith('{'));
    expect(answer, lesson2.join('\n')).toBeGreaterThan(0);
    expect(lesson2.slice(answer + 1, answer + 5)).toEqual(['      "token": "eyJhbGciOiJIUzI1…",', '      "token_type": "Bearer",', '      "expires_in": 900', '    }']);
    const lesson9 = plain(9, 100);
    expect(lesson9.filter((line) => /^ {2}← \d{3} \{/.test(line) && line.endsWith('\\'))).toEqual([]);
    expect(lesson9).toContain('      "email_verified": true');
  }, 30_000);

  test('100 columns: lesson 9\'s script is shown in lines of code, no string cut', () => {
    const lines = plain(9, 100);
    const start = lines.indexOf('  the page\'s script:');
    expect(lines.slice(start + 1, start + 6)).toEqual([
      '    localStorage.setItem(\'access_token\', \'eyJhbGciOi…\');',
      '    const token = localStorage.getItem(\'access_token\');',
      '    const cookies = JSON.stringify(document.cookie);',
      '    document.body.textContent = \'localStorage: \' + token',
      '      + \' | document.cookie: \' + cookies;',
    ]);
  }, 30_000);

  test('--plain at 60 columns: the assignment is printed with no "$ " and runs in bash as shown', () => {
    const lines = plain(8, 60);
    const pasted = brokenRun(lines, 'ACCESS_TOKEN=eyJ');
    expect(lines.some((line) => line.startsWith('$ ACCESS_TOKEN'))).toBe(false);
    const shell = pasteThenDecode(pasted);
    expect(shell.stderr).toBe('');
    expect(shell.stdout).toContain('"at+jwt"');
  }, 30_000);
});

describe.skipIf(!tmuxAvailable())('on a real terminal (tmux)', () => {
  let session: TerminalSession | undefined;
  afterEach(() => session?.close());

  test('lesson 8 at 60 columns: the assignment on screen, pasted into bash as it is, sets $ACCESS_TOKEN', async () => {
    session = new TerminalSession(`node ${BIN} tutorial 8`, { width: 60, height: 60, historyLimit: 5000, env: { JWT_VS_OAUTH_HOME: home(), NO_COLOR: '1' }, unset: ['COLUMNS'] });
    await session.waitFor(/screen 1 of \d+\)[\s\S]*\[Enter\] continue/);
    session.press('Enter');
    await session.waitFor(/ACCESS_TOKEN=eyJ[\s\S]*\[Enter\] continue/, 30_000);
    const lines = linesOf(session.screen());
    const pasted = brokenRun(lines, 'ACCESS_TOKEN=eyJ');
    expect(pasted.length).toBeGreaterThan(3);
    expect(pasted.every((line) => displayWidth(line) <= 60)).toBe(true);
    const shell = pasteThenDecode(pasted);
    expect(shell.stderr).toBe('');
    expect(shell.status).toBe(0);
    expect(shell.stdout).toContain('"at+jwt"');
    session.press('q');
    expect(await session.exitCode()).toBe(0);
  }, 60_000);

  test('100 columns: tutorial 3, to screen 4, quit, tutorial again: no ✗ before an answer; screens 2 and 3 named and run again; the answer is checked', async () => {
    const folder = home();
    session = new TerminalSession(`sh -c 'node ${BIN} tutorial 3 && echo "[second run]" && node ${BIN} tutorial'`, { width: 100, height: 60, historyLimit: 5000, env: { JWT_VS_OAUTH_HOME: folder, NO_COLOR: '1' }, unset: ['COLUMNS'] });
    for (const screen of [1, 2, 3]) {
      await session.waitFor(new RegExp(`screen ${screen} of 7\\)[\\s\\S]*\\[Enter\\] continue[^›]*$`), 30_000);
      session.press('Enter');
    }
    await session.waitFor(/screen 4 of 7\)[\s\S]*\[Enter\] answer/);
    session.press('Escape');
    await session.waitFor('[second run]');
    await session.waitFor(/\[second run\][\s\S]*screen 4 of 7\)[\s\S]*\[Enter\] answer/, 30_000);
    const resumed = session.screen().split('[second run]')[1]!;
    expect(resumed).not.toContain('✗');
    expect(resumed).not.toContain('Not quite');
    expect(resumed.replace(/\s+/g, ' ')).toContain('! Tokens are kept only while the tutorial runs, so these screens were run again: screen 2 (Mint one): made $TOKEN anew screen 3 (Decode it): its output, which the question is about, is below');
    session.type('asha', true);
    await session.waitFor(/\[second run\][\s\S]*✓ Right\./);
    session.press('q');
    expect(await session.exitCode()).toBe(0);
  }, 90_000);

  test('60 columns: the quit line is laid out to the terminal, the command in it whole', async () => {
    session = new TerminalSession(`node ${BIN} tutorial 3`, { width: 60, height: 40, env: { JWT_VS_OAUTH_HOME: home(), NO_COLOR: '1' }, unset: ['COLUMNS'] });
    await session.waitFor(/screen 1 of 7\)[\s\S]*\[Enter\] continue/);
    session.press('q');
    expect(await session.exitCode()).toBe(0);
    const lines = linesOf(session.screen());
    // capture-pane -J joins what the terminal wrapped: a line it had to wrap is wider than 60 here.
    expect(lines.filter((line) => displayWidth(line) > 60)).toEqual([]);
    const saved = lines.findIndex((line) => line.startsWith('Progress saved: lesson 3, screen 1.'));
    expect(lines.slice(saved, saved + 2)).toEqual(['Progress saved: lesson 3, screen 1. Run', 'jwt-vs-oauth tutorial to continue.']);
  }, 30_000);

  test.each([['q'], ['Escape']])('oauth --no-browser at 60 columns: %s at a pause stops the demo (exit 0, "Stopped after step 1 of 8."), and the footer names the keys', async (key) => {
    session = new TerminalSession(`node ${BIN} oauth --no-browser`, { width: 60, height: 50, historyLimit: 5000, env: { NO_COLOR: '1' }, unset: ['COLUMNS', 'DISPLAY', 'WAYLAND_DISPLAY', 'CI', 'SSH_CONNECTION', 'SSH_TTY'] });
    await session.waitFor(/Step 1 of 8[\s\S]*\[q\/Esc\] stop the demo\s+⏎ Press Enter for the next step\s*$/, 30_000);
    session.press(key);
    expect(await session.exitCode()).toBe(0);
    const screen = session.screen();
    expect(screen).toContain('Stopped after step 1 of 8.');
    expect(screen).not.toContain('Step 2 of 8');
  }, 60_000);
});
if (!tmuxAvailable()) console.log('fixes-tutorial.test.ts: tmux is not installed, so the terminal tests are skipped (the --plain tests ran)');
