// Issue #13's review, B: `jwt-vs-oauth exercises` on a terminal (tmux). An answer the check
// refuses (not one of the flaw names) shows the check's error and the exercise's actions come
// back (re-review G3; Esc on them, the list), where the
// whole menu used to end with exit 2; q and Esc quit (exit 0), and Esc on "Now?" goes back to the
// list; on a 24-row terminal the list scrolls under its message, a line saying how many entries
// are above and below; and the menu exits 0 on Quit after a failed check.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';

const hasTmux = tmuxAvailable();
if (!hasTmux) console.warn('Skipping the exercises menu tests: tmux is not installed (.ci/run installs it).');

const LIST = '? Pick an exercise';
const KEYS = '[↑↓] choose  [Enter] open  [q/Esc] quit';

function openMenu(height = 40): TerminalSession {
  const home = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-exercise-menu-')), 'home');
  return new TerminalSession(`node ${BIN} exercises`, { width: 100, height, env: { JWT_VS_OAUTH_HOME: home } });
}

/** Waits until `text` has been drawn at least `count` times (in the scrollback too). */
async function waitForCount(session: TerminalSession, text: string, count: number): Promise<string> {
  const deadline = Date.now() + 15_000;
  let screen = '';
  while (Date.now() < deadline) {
    screen = session.screen();
    if (screen.split(text).length - 1 >= count) return screen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for "${text}" ×${count}. The screen:\n${screen}`);
}

/** From the list: the exercise `downs` entries below the first, then "Answer it" with `answer`. */
async function answer(session: TerminalSession, downs: number, text: string): Promise<void> {
  for (let index = 0; index < downs; index++) session.press('Down');
  session.press('Enter');
  await session.waitFor('Now?');
  session.press('Enter');
  await session.waitFor('Your answer');
  session.type(text, true);
}

describe.skipIf(!hasTmux)('the exercises menu on a terminal', () => {
  let session: TerminalSession | undefined;
  afterEach(() => session?.close());

  test('flaw-two answered "wrong": the check\'s error, then flaw-two\'s actions again; back to the list on flaw-two; q quits with exit 0', async () => {
    session = openMenu();
    await session.waitFor(LIST);
    await answer(session, 7, 'wrong');
    await session.waitFor('error: "wrong" is not one of the flaw names of flaw-two; this try was not counted.');
    // The same exercise's actions, to answer again.
    await waitForCount(session, 'Now?', 2);
    session.press('Escape');
    const screen = await waitForCount(session, 'Pick an exercise', 2);
    // Back on the exercise just tried.
    expect(screen.slice(screen.lastIndexOf(LIST))).toMatch(/❯ +Find the flaw: a signature that lies/);
    session.type('q');
    expect(await session.exitCode()).toBe(0);
  }, 60_000);

  test('Esc on "Now?" goes back to the list; Esc on the list quits with exit 0', async () => {
    session = openMenu();
    await session.waitFor(LIST);
    session.press('Enter');
    await session.waitFor('Now?');
    session.press('Escape');
    await waitForCount(session, 'Pick an exercise', 2);
    expect(session.screen()).toContain('› Now? Back to the list');
    session.press('Escape');
    expect(await session.exitCode()).toBe(0);
    expect(session.screen()).toContain('› Pick an exercise Quit');
  }, 60_000);

  test('on a 24-row terminal the list scrolls and says what is hidden and where you are; the message and the keys stay on screen; Up from the first shows the last exercise and Quit', async () => {
    session = openMenu(24);
    // The screen and its scrollback: nothing scrolled off when it is all in 24 rows, the message first.
    const rows = (screen: string) => screen.replace(/\n+$/, '').split('\n');
    let screen = await session.waitFor(KEYS);
    expect(rows(screen)[0]).toBe(LIST);
    expect(rows(screen).length).toBeLessThanOrEqual(24);
    expect(screen).toMatch(/^❯ +Who is this token about\?/m);
    expect(screen).toMatch(/^ {2}↓ 7 more {2}\(1 of 27\)$/m);
    session.press('Up');
    screen = await session.waitFor('(27 of 27)');
    expect(rows(screen)[0]).toBe(LIST);
    expect(rows(screen).length).toBeLessThanOrEqual(24);
    expect(screen).toMatch(/^❯ Quit$/m);
    expect(screen).toContain('Find the flaw: a refresh log');
    expect(screen).toMatch(/^ {2}↑ 7 more {2}\(27 of 27\)$/m);
    expect(screen).toContain(KEYS);
    session.type('q');
    expect(await session.exitCode()).toBe(0);
  }, 60_000);

  test('a failed check, then Quit: exit 0 (the check\'s 1 was the check\'s)', async () => {
    session = openMenu();
    await session.waitFor(LIST);
    await answer(session, 0, 'bob');
    await session.waitFor('✗ Not yet.');
    await waitForCount(session, 'Now?', 2);
    session.press('Escape');
    await waitForCount(session, 'Pick an exercise', 2);
    // Up from the first entry goes round to the last: Quit.
    session.press('Up');
    session.press('Enter');
    expect(await session.exitCode()).toBe(0);
    expect(session.screen()).toContain('› Your answer bob');
  }, 60_000);
});
