// Terminal craft on a real terminal (tmux panes 60 and 80 columns wide): the paste prompt's look
// and a token pasted broken over lines with "\"; errors, the provider's banner and log, and the
// menu's Mint laid out to the pane (no line the terminal had to wrap); Esc in the menu's Verify.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { BIN, RFC7515_HS256_TOKEN, runBin } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';
import { breakLongWord, displayWidth, joinBrokenLines } from '../../src/text/layout.js';

const hasTmux = tmuxAvailable();
if (!hasTmux) console.warn('Skipping the terminal fixes tests: tmux is not installed (.ci/run installs it).');

const MENU = 'What would you like to do?';
const BACK = 'Press Enter to go back to the menu, q to quit.';
const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-fixes-terminal-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A long token (a long claim), as our views print it at 60 columns: broken with "\" at each line's end. */
const LONG_TOKEN = runBin(['mint', '--secret', 'Xq3vN8rT0pLw2sKd9fGh5jZc7mBy4uEa', '--sub', 'asha@example.com', '--claim', `scope=${'orders:read '.repeat(12).trim()}`]).stdout.trim();
const BROKEN = breakLongWord(LONG_TOKEN, 58, 58);

/** Lines of the screen wider than `width`: the screen is read with wrapped lines joined, so any line the terminal had to wrap shows here. */
const tooWide = (screen: string, width: number) => screen.split('\n').filter((line) => displayWidth(line) > width);

let session: TerminalSession | undefined;
afterEach(() => session?.close());

function open(command: string, width: number): TerminalSession {
  session = new TerminalSession(command, { width, height: 50, env: { JWT_VS_OAUTH_HOME: join(folder, 'home') }, cwd: folder, historyLimit: 5000 });
  return session;
}

describe.skipIf(!hasTmux)('the paste prompt', () => {
  test('decode with no token: our prompt look (›, never ✔), and a token broken with "\\" pasted whole decodes', async () => {
    expect(BROKEN.length).toBeGreaterThan(2);
    const terminal = open(`node ${BIN} decode`, 60);
    await terminal.waitFor('Paste a token');
    expect(terminal.screen()).toContain('one broken over lines with "\\" pastes whole');
    // A paste: the lines with the Enter a terminal sends between them, all at once.
    terminal.type(BROKEN.join('\r'), true);
    const screen = await terminal.waitFor('Decoding is not verifying.');
    // One prompt read every line of the paste: its answer says how many were joined.
    expect(screen).toContain(`(${BROKEN.length} lines joined)`);
    expect(screen).toContain('orders:read orders:read');
    expect(screen).toMatch(/^› Paste a token/m);
    expect(screen).not.toContain('✔');
    expect(await terminal.exitCode()).toBe(0);
  });

  test('typed line by line, each answer ending in "\\" asks for the next', async () => {
    const terminal = open(`node ${BIN} decode`, 80);
    await terminal.waitFor('Paste a token');
    terminal.type(BROKEN[0]!, true);
    await terminal.waitFor('… (the token continues');
    for (const line of BROKEN.slice(1)) terminal.type(line, true);
    await terminal.waitFor('Decoding is not verifying.');
    expect(await terminal.exitCode()).toBe(0);
  });
});

describe.skipIf(!hasTmux)('laid out to the pane', () => {
  test.each([60, 80])('an error at %i columns: no line wider than the pane, exit 2', async (width) => {
    const terminal = open(`node ${BIN} decode 'https://app.example.com/cb?code=UH3abc&state=abc'`, width);
    expect(await terminal.exitCode()).toBe(2);
    const screen = terminal.screen();
    expect(screen).toContain('authorization code');
    expect(tooWide(screen, width)).toEqual([]);
  });

  test.each([60, 80])('provider at %i columns: the banner and each request log line fit the pane', async (width) => {
    const terminal = open(`node ${BIN} provider --port 0`, width);
    const banner = await terminal.waitFor('Each request is logged below.');
    const issuer = /http:\/\/127\.0\.0\.1:\d+/.exec(banner)![0];
    await fetch(`${issuer}/.well-known/openid-configuration`);
    await fetch(`${issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=nope' });
    // Read before stopping: Ctrl-C here is a signal to the pane's whole process group, the shell included.
    const screen = await terminal.waitFor(/POST \/token[\s\S]*client/);
    expect(tooWide(screen, width)).toEqual([]);
    expect(joinBrokenLines(screen)).toContain(`${issuer}/.well-known/openid-configuration`);
  });
});

describe.skipIf(!hasTmux)('the menu', () => {
  test.each([60, 80])('Mint at %i columns: "an HS256", the verify command laid out to the pane, and it runs as pasted', async (width) => {
    const terminal = open(`node ${BIN}`, width);
    await terminal.waitFor(MENU);
    terminal.type('3');
    terminal.press('Enter');
    await terminal.waitFor('Who is the token about (sub)?');
    terminal.type('ravi', true);
    const screen = await terminal.waitFor('Enter to skip:');
    expect(screen).toContain('Minted an HS256 JWT');
    expect(screen).not.toContain('Minted a HS256');
    // Only the token mint prints on stdout is wider: it is kept whole on purpose (TOKEN=$(mint …)).
    expect(tooWide(screen, width).filter((line) => !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(line)), screen).toEqual([]);
    // The command as shown, joined as a shell joins it (backslash-newline removed, nothing else), verifies the token.
    const asShellReads = screen.replace(/\\\n/g, '');
    const command = /jwt-vs-oauth verify +(\S+) +--secret +(\S+) +--alg +HS256/.exec(asShellReads)!.slice(1);
    expect(command[0]).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const verified = runBin(['verify', command[0]!, '--secret', command[1]!, '--alg', 'HS256']);
    expect(verified.code, verified.stderr).toBe(0);
    terminal.press('Enter');
    await terminal.waitFor(BACK);
    terminal.type('q');
    expect(await terminal.exitCode()).toBe(0);
  });

  test('Verify: Esc at "Check its signature with" goes back to the menu; a broken token pastes whole', async () => {
    const terminal = open(`node ${BIN}`, 80);
    await terminal.waitFor(MENU);
    terminal.type('4');
    terminal.press('Enter');
    await terminal.waitFor('Paste the token');
    terminal.type(BROKEN.join('\r'), true);
    await terminal.waitFor('Check its signature with');
    expect(terminal.screen()).toContain('[Esc] back to the menu');
    terminal.press('Escape');
    const screen = await terminal.waitFor(new RegExp(`Check its signature with[\\s\\S]*${MENU}`));
    expect(screen).not.toContain(BACK);
    // Verify again, to the end: the pasted token is the whole token.
    terminal.type('4');
    terminal.press('Enter');
    await terminal.waitFor(new RegExp(`${MENU}[\\s\\S]*${MENU}[\\s\\S]*Paste the token`));
    terminal.type(BROKEN.join('\r'), true);
    await terminal.waitFor(/Check its signature with[\s\S]*Check its signature with/);
    terminal.press('Enter');
    await terminal.waitFor('The HMAC secret it was signed with:');
    terminal.type('Xq3vN8rT0pLw2sKd9fGh5jZc7mBy4uEa', true);
    const verdict = await terminal.waitFor(BACK);
    expect(verdict).toContain('✓ VALID signature (HS256)');
    terminal.type('q');
    expect(await terminal.exitCode()).toBe(0);
  });

  test('Decode in the menu: the same paste prompt', async () => {
    const terminal = open(`node ${BIN}`, 60);
    await terminal.waitFor(MENU);
    terminal.type('2');
    terminal.press('Enter');
    await terminal.waitFor('Paste a token');
    terminal.type(RFC7515_HS256_TOKEN, true);
    const screen = await terminal.waitFor(BACK);
    expect(screen).toMatch(/^› Paste a token/m);
    expect(screen).not.toContain('✔');
    terminal.type('q');
    expect(await terminal.exitCode()).toBe(0);
  });
});
