// Re-review G3, items 4 and 5: the main menu on a real terminal (tmux, 60 and 80 columns).
// Mint's "See inside: jwt-vs-oauth decode "$TOKEN"" comes after a line that sets $TOKEN, which a
// shell reads as the one assignment of the whole token (no "$ " prompt; broken with "\", its
// later pieces at column 0). Verify's "Which token?" choice fits a 60-column line, and its keys
// are said as the other menus say them.

import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';
import { displayWidth } from '../../src/text/layout.js';

const hasTmux = tmuxAvailable();
if (!hasTmux) console.warn('Skipping the G3 main menu tests: tmux is not installed (.ci/run installs it).');

const MENU = 'What would you like to do?';

let session: TerminalSession | undefined;
afterEach(() => session?.close());

function open(width: number): TerminalSession {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-g3-main-menu-'));
  session = new TerminalSession(`node ${BIN}`, { width, height: 50, env: { JWT_VS_OAUTH_HOME: join(folder, 'home') }, cwd: folder, historyLimit: 5000 });
  return session;
}

/** Mints from the menu with the default subject; the screen once it asks where to save the secret. */
async function mint(terminal: TerminalSession): Promise<string> {
  await terminal.waitFor(MENU);
  terminal.type('3');
  terminal.press('Enter');
  await terminal.waitFor('Who is the token about (sub)?');
  terminal.press('Enter');
  return terminal.waitFor('Enter to skip:');
}

describe.skipIf(!hasTmux)('the main menu (G3)', () => {
  test.each([60, 80])('Mint at %i columns: a TOKEN=… line that a shell reads as the token, before "See inside … "$TOKEN""', async (width) => {
    const terminal = open(width);
    const screen = await mint(terminal);
    const lines = screen.split('\n');
    const first = lines.findIndex((line) => line.startsWith('TOKEN='));
    expect(first, screen).toBeGreaterThan(-1);
    // The paragraph may be wrapped: read with its line breaks as spaces.
    const flowing = screen.replace(/\s+/g, ' ');
    const seeInside = flowing.indexOf('See inside: jwt-vs-oauth decode "$TOKEN"');
    expect(seeInside, screen).toBeGreaterThan(-1);
    expect(flowing.indexOf('TOKEN=')).toBeLessThan(seeInside);
    expect(screen).not.toMatch(/^\s*\$ TOKEN=/m);
    // The assignment's lines: each ending in "\" goes on to the next.
    let last = first;
    while (lines[last]!.endsWith('\\')) last++;
    const assignment = lines.slice(first, last + 1);
    for (const line of assignment) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    // Pasted into a shell, it sets TOKEN to the token mint printed (the verify command's token).
    const token = /jwt-vs-oauth verify +(\S+) +--secret/.exec(screen.replace(/\\\n/g, ''))![1]!;
    const shell = spawnSync('sh', ['-c', `${assignment.join('\n')}\nprintf %s "$TOKEN"`], { encoding: 'utf8' });
    expect(shell.stdout).toBe(token);
    terminal.press('Enter');
    await terminal.waitFor('Press Enter to go back to the menu, q to quit.');
    terminal.type('q');
    expect(await terminal.exitCode()).toBe(0);
  });

  test('Verify at 60 columns: "Which token?" fits, with the keys said as the other menus say them', async () => {
    const terminal = open(60);
    await mint(terminal);
    terminal.press('Enter');
    await terminal.waitFor('Press Enter to go back to the menu, q to quit.');
    terminal.press('Enter');
    await terminal.waitFor(new RegExp(`${MENU}[\\s\\S]*${MENU}`));
    terminal.type('4');
    terminal.press('Enter');
    const screen = await terminal.waitFor('Which token?');
    const section = screen.slice(screen.lastIndexOf('Which token?')).trimEnd();
    expect(section).toMatch(/^❯ The one minted just now \(sub asha@example\.com\)$/m);
    expect(section).toContain('[↑↓] choose  [Enter] go  [Esc] back to the menu');
    expect(section).not.toContain('navigate');
    for (const line of section.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(60);
    // No choice went on to a second line under a 1-space indent.
    expect(section).not.toMatch(/^ \S/m);
    terminal.press('Enter');
    const verdict = await terminal.waitFor(/Which token\?[\s\S]*Press Enter to go back to the menu, q to quit\./);
    expect(verdict).toContain('✓ VALID signature (HS256)');
    terminal.type('q');
    expect(await terminal.exitCode()).toBe(0);
  });
});
