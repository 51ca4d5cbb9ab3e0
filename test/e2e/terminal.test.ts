// The interactive paths on a real terminal (tmux): the menu, the paste prompt, Ctrl-C, the demo,
// the tutorial (its hands-on commands included) and the exercises.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { BIN, RFC7515_HS256_TOKEN } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';

const hasTmux = tmuxAvailable();
if (!hasTmux) console.warn('Skipping the real-terminal tests: tmux is not installed (.ci/run installs it).');

/** Waits until `marker` has been drawn `count` times and `expected` follows its last drawing (a screen shown again). */
async function waitForNth(terminal: TerminalSession, marker: string, count: number, expected: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let screen = '';
  while (Date.now() < deadline) {
    screen = terminal.screen();
    const parts = screen.split(marker);
    if (parts.length - 1 >= count && parts[count]!.includes(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${marker} drawn ${count} times, then ${expected}. The screen:\n${screen}`);
}

describe.skipIf(!hasTmux)('on a real terminal', () => {
  let session: TerminalSession | undefined;
  afterEach(() => session?.close());

  test('no command opens the menu; Decode a token asks for a paste and decodes it', async () => {
    session = new TerminalSession(`node ${BIN}`);
    await session.waitFor('What would you like to do?');
    const menu = session.screen();
    for (const entry of ['Tutorial', 'Decode a token', 'Mint a token', 'Verify a token', 'OAuth demo', 'Exercises', 'Start the provider', 'Quit']) expect(menu).toContain(entry);
    session.press('Down');
    session.press('Enter');
    await session.waitFor('Paste a token');
    session.type(`Bearer ${RFC7515_HS256_TOKEN}`, true);
    const screen = await session.waitFor('Decoding is not verifying.');
    expect(screen).toContain('Issuer: who made and signed this token');
    // The menu comes back after an action (test/e2e/menu.test.ts): q quits it.
    await session.waitFor('Press Enter to go back to the menu, q to quit.');
    session.type('q');
    expect(await session.exitCode()).toBe(0);
  });

  test('Ctrl-C in the menu exits 130 with no stack trace', async () => {
    session = new TerminalSession(`node ${BIN}`);
    await session.waitFor('What would you like to do?');
    session.press('C-c');
    expect(await session.exitCode()).toBe(130);
    expect(session.screen()).not.toMatch(/\n\s+at /);
  });

  test('decode with no argument on a terminal prompts for the token', async () => {
    session = new TerminalSession(`node ${BIN} decode --json`);
    await session.waitFor('Paste a token');
    session.type(`  "${RFC7515_HS256_TOKEN}"  `, true);
    await session.waitFor('"verified": false');
    expect(await session.exitCode()).toBe(0);
  });

  /** Answers the demo's prompts on the real terminal until it exits; returns what was answered. */
  async function playDemo(terminal: TerminalSession) {
    const answered = { email: false, password: false, consent: false, pauses: 0 };
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      const lastLines = terminal.screen().trimEnd().split('\n').slice(-6).join('\n');
      if (/\[exit \d+\]/.test(lastLines)) break;
      if (/\? Email/.test(lastLines) && !answered.email) {
        answered.email = true;
        terminal.press('Enter');
      } else if (/\? Password/.test(lastLines) && !answered.password) {
        answered.password = true;
        terminal.type('mango-lassi-42', true);
      } else if (/Allow\?/.test(lastLines) && !answered.consent) {
        answered.consent = true;
        terminal.press('Enter');
      } else if (/Press Enter for the next step\s*$/.test(lastLines)) {
        answered.pauses++;
        terminal.press('Enter');
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    return answered;
  }

  const noDisplay = ['CI', 'DISPLAY', 'WAYLAND_DISPLAY', 'SSH_CONNECTION', 'SSH_TTY'];

  test('oauth on a terminal with no display: falls back to the terminal playing the browser, asks, pauses, signs in', async () => {
    session = new TerminalSession(`node ${BIN} oauth`, { unset: noDisplay, height: 50, width: 120 });
    await session.waitFor('No browser: no display (DISPLAY is not set). The terminal plays the browser instead (--no-browser).');
    const answered = await playDemo(session);
    expect(await session.exitCode(20_000)).toBe(0);
    expect(answered).toMatchObject({ email: true, password: true, consent: true });
    expect(answered.pauses).toBeGreaterThanOrEqual(6);
    const screen = session.screen();
    expect(screen).toContain('They go to the provider, never to the app.');
    expect(screen).toContain('✓ Signed in to Swaad as Asha Rao (asha@example.com).');
    expect(screen).not.toContain('mango-lassi-42\n');
    // Answered prompts show the neutral marker, never inquirer's green ✔.
    expect(screen).toMatch(/› Password/);
    expect(screen).not.toContain('✔');
  }, 60_000);

  test('oauth --no-browser --deny: asks for the password, not for consent, and the app handles the refusal', async () => {
    session = new TerminalSession(`node ${BIN} oauth --no-browser --deny`, { unset: noDisplay, height: 50, width: 120 });
    const answered = await playDemo(session);
    expect(await session.exitCode(20_000)).toBe(0);
    expect(answered).toMatchObject({ email: true, password: true, consent: false });
    const screen = session.screen();
    expect(screen).not.toContain('No browser:');
    expect(screen).toContain('✓ Denied: the app received access_denied and showed "not signed in".');
  }, 60_000);

  test('tutorial: a wrong answer shows no ✔; q and b work on a question screen; resume lands on the screen that was on view', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    session = new TerminalSession(`node ${BIN} tutorial`, { env: { JWT_VS_OAUTH_HOME: home } });
    await session.waitFor('(screen 1 of 5)');
    session.press('Enter');
    await session.waitFor('(screen 2 of 5)');
    session.press('Enter');
    await session.waitFor('403 means "we know who you are');
    session.press('Enter');
    await session.waitFor('[↑↓ or 1–3] choose  [Enter] answer  [b] back  [q/Esc] quit (progress is kept)');
    session.press('Enter'); // the first choice: wrong
    const wrong = await session.waitFor('✗ Not quite. Have another go.');
    const answered = wrong.split('\n').find((line) => line.includes('Your answer'))!;
    expect(answered).toMatch(/^› Your answer \S/);
    expect(answered).not.toContain('✔');
    expect(wrong).not.toContain('✔');
    // b on the question screen goes back to screen 3 (shown a second time, its step run again).
    await session.waitFor(/Have another go\.[\s\S]*\[↑↓ or 1–3\] choose/);
    session.type('b');
    await waitForNth(session, '(screen 3 of 5)', 2, '[Enter] continue  [b] back');
    session.press('Enter');
    await waitForNth(session, '(screen 4 of 5)', 2, '[↑↓ or 1–3] choose');
    // q on the question screen quits, keeping that screen.
    session.type('q');
    expect(await session.exitCode()).toBe(0);
    expect(session.screen()).toContain('Progress saved: lesson 1, screen 4. Run jwt-vs-oauth tutorial to continue.');
    session.close();

    session = new TerminalSession(`node ${BIN} tutorial`, { env: { JWT_VS_OAUTH_HOME: home } });
    await session.waitFor(/\(screen 4 of 5\)[\s\S]*\[↑↓ or 1–3\] choose/);
    session.press('Down');
    session.press('Enter');
    await session.waitFor('✓ Right.');
    session.press('Enter');
    await session.waitFor('(screen 5 of 5)');
    expect(session.screen()).toContain('Where JWT and OAuth fit');
    // q on a text screen: resume shows that same screen.
    session.type('q');
    expect(await session.exitCode()).toBe(0);
    expect(session.screen()).toContain('Progress saved: lesson 1, screen 5.');
    session.close();

    session = new TerminalSession(`node ${BIN} tutorial`, { env: { JWT_VS_OAUTH_HOME: home } });
    await session.waitFor('(screen 5 of 5)');
    expect(session.screen()).toContain('Where JWT and OAuth fit');
    session.press('C-c');
    expect(await session.exitCode()).toBe(130);
    expect(session.screen()).not.toContain('Press Enter');
  }, 60_000);

  test('tutorial 3: its mint, decode and verify steps run the commands they show, and the prompts keep working after each', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    session = new TerminalSession(`node ${BIN} tutorial 3`, { env: { JWT_VS_OAUTH_HOME: home }, height: 50, width: 120 });
    await session.waitFor('(screen 1 of 7)');
    session.press('Enter');
    // 123 columns: in a 120-column pane it is broken between two arguments, with " \", as a shell reads it back.
    await session.waitFor(/Runs: jwt-vs-oauth mint --secret \S+( \\\n\s+| )--sub( \\\n\s+| )asha( \\\n\s+| )--aud( \\\n\s+| )practice-api\n\s+eyJ/);
    session.press('Enter');
    await session.waitFor('Decoding is not verifying.');
    session.press('Enter');
    await session.waitFor('? Your answer');
    session.type('ASHA', true);
    const slip = await session.waitFor('✗ Not quite. Right letters, wrong case: JWT values are compared exactly. Have another go.');
    expect(slip).toContain('› Your answer ASHA');
    expect(slip).not.toContain('✔');
    session.type('asha', true);
    await session.waitFor('✓ Right.');
    session.press('Enter');
    await session.waitFor('kept the old signature');
    session.press('Enter');
    const screen = await session.waitFor('✗ INVALID the signature does not match');
    expect(screen).toContain('Runs: jwt-vs-oauth verify "$TAMPERED" --secret');
    expect(screen).toContain('– sub        not checked (pass --sub to pin it); the token says "admin"');
    session.type('q');
    expect(await session.exitCode()).toBe(0);
    expect(session.screen()).toContain('Progress saved: lesson 3, screen 6.');
  }, 60_000);

  test('exercises on a terminal: a menu, a task, a hint, and Ctrl-C', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    session = new TerminalSession(`node ${BIN} exercises`, { env: { JWT_VS_OAUTH_HOME: home }, height: 50, width: 120 });
    await session.waitFor('Pick an exercise');
    expect(session.screen()).toContain('Who is this token about? (read-a-token)');
    session.press('Enter');
    await session.waitFor('Now?');
    expect(session.screen()).toContain('Who is the token about? Send the value of its sub claim.');
    session.press('Down');
    session.press('Enter');
    await session.waitFor('Hint 1 of 2: Decoding needs no key');
    const menu = await session.waitFor(/Hint 1 of 2[\s\S]*\? Now\?/);
    expect(menu).toContain('› Now? A hint');
    expect(menu).toMatch(/› Pick an exercise +Who is this token about\?/);
    expect(menu).not.toContain('✔');
    session.press('C-c');
    expect(await session.exitCode()).toBe(130);
  }, 60_000);
});
