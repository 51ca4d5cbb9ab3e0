// The main menu (`jwt-vs-oauth` with no command) on a real terminal (tmux): it comes back after
// each action until Quit, q or Esc (exit 0); an action's error is shown and the menu comes back;
// Ctrl-C exits 130 with no stack trace. A token minted there comes with its secret and the exact
// verify command, which passes; the secret saved as a file verifies too, and is never written
// over an existing file.

import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { BIN, RFC7515_HS256_TOKEN, runBin } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';
import { joinBrokenLines } from '../../src/text/layout.js';

const hasTmux = tmuxAvailable();
if (!hasTmux) console.warn('Skipping the menu tests: tmux is not installed (.ci/run installs it).');

const MENU = 'What would you like to do?';
const BACK = 'Press Enter to go back to the menu, q to quit.';

/** Waits until `text` has been drawn at least `count` times. */
async function waitForCount(terminal: TerminalSession, text: string, count: number): Promise<string> {
  const deadline = Date.now() + 15_000;
  let screen = '';
  while (Date.now() < deadline) {
    screen = terminal.screen();
    if (screen.split(text).length - 1 >= count) return screen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for "${text}" ×${count}. The screen:\n${screen}`);
}

/** A menu in a fresh home folder (no tutorial progress), in a scratch working folder. */
function openMenu(): { session: TerminalSession; folder: string } {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-menu-'));
  const session = new TerminalSession(`node ${BIN}`, { width: 120, env: { JWT_VS_OAUTH_HOME: join(folder, 'home') }, cwd: folder });
  return { session, folder };
}

/** Picks the menu entry whose name is `name` by its number, then Enter. */
function pick(session: TerminalSession, name: string): void {
  const entries = ['Tutorial', 'Decode a token', 'Mint a token', 'Verify a token', 'OAuth demo', 'Exercises', 'Start the provider', 'Quit'];
  session.type(String(entries.indexOf(name) + 1));
  session.press('Enter');
}

/** The secret and token the menu's Mint showed, read from the screen. */
function mintedFrom(laidOut: string): { secret: string; token: string } {
  // The verify command is laid out to the pane: broken with "\\" between arguments and in the token.
  const screen = joinBrokenLines(laidOut);
  const secret = /keep it private\):\n {2}(\S+)/.exec(screen)?.[1];
  const token = /jwt-vs-oauth verify (\S+) --secret/.exec(screen)?.[1];
  expect(secret, screen).toMatch(/^[\w-]{43}$/);
  expect(token, screen).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  return { secret: secret!, token: token! };
}

describe.skipIf(!hasTmux)('the main menu on a real terminal', () => {
  let session: TerminalSession | undefined;
  afterEach(() => session?.close());

  test('it comes back after each action: decode, then mint, then Quit, exit 0', async () => {
    ({ session } = openMenu());
    await session.waitFor(MENU);
    pick(session, 'Decode a token');
    await session.waitFor('Paste a token');
    session.type(RFC7515_HS256_TOKEN, true);
    await session.waitFor('Decoding is not verifying.');
    await session.waitFor(BACK);
    session.press('Enter');
    await waitForCount(session, MENU, 2);
    pick(session, 'Mint a token');
    await session.waitFor('Who is the token about (sub)?');
    session.press('Enter');
    await session.waitFor('A file name, or Enter to skip:');
    session.press('Enter');
    // The first "Press Enter…" line is gone once answered: this one follows the mint.
    await session.waitFor(/Enter to skip:.*\n[\s\S]*Press Enter to go back to the menu/);
    session.press('Enter');
    await waitForCount(session, MENU, 3);
    pick(session, 'Quit');
    expect(await session.exitCode()).toBe(0);
  });

  test('the menu lists every entry, the active one marked, with its description and the keys line under the list', async () => {
    ({ session } = openMenu());
    let screen = await session.waitFor('[q/Esc] quit');
    expect(screen).toContain(`${MENU}\n❯ Tutorial\n  Decode a token\n  Mint a token\n  Verify a token\n  OAuth demo\n  Exercises\n  Start the provider\n  Quit\nTen short hands-on lessons: JWT first, then OAuth\n[↑↓] choose  [Enter] open  [q/Esc] quit`);
    session.press('Down');
    screen = await session.waitFor('Paste a JWT and see what each part means');
    expect(screen).toContain('❯ Decode a token\n');
    // The last entry has no description: the keys line follows the list at once.
    session.type('8');
    screen = await session.waitFor('❯ Quit\n[↑↓] choose');
    expect(screen).not.toContain('Paste a JWT');
    session.press('Enter');
    expect(await session.exitCode()).toBe(0);
  });

  test('an action\'s error is shown and the menu comes back; q and Esc quit with exit 0', async () => {
    ({ session } = openMenu());
    await session.waitFor(MENU);
    pick(session, 'Decode a token');
    await session.waitFor('Paste a token');
    session.type('not-a-token', true);
    const screen = await session.waitFor(BACK);
    expect(screen).toContain('This does not look like a JWT');
    expect(screen).not.toMatch(/\n\s+at /);
    session.press('Enter');
    await waitForCount(session, MENU, 2);
    session.press('Escape');
    expect(await session.exitCode()).toBe(0);
    session.close();

    ({ session } = openMenu());
    await session.waitFor(MENU);
    session.type('q');
    expect(await session.exitCode()).toBe(0);
  });

  test('Mint shows its secret and the verify command, which passes; Verify offers that token and passes', async () => {
    ({ session } = openMenu());
    await session.waitFor(MENU);
    pick(session, 'Mint a token');
    await session.waitFor('Who is the token about (sub)?');
    session.type('ravi', true);
    const screen = await session.waitFor('A file name, or Enter to skip:');
    const { secret, token } = mintedFrom(screen);
    // The command shown, run as shown.
    const shown = /jwt-vs-oauth verify (\S+ --secret \S+ --alg HS256)/.exec(joinBrokenLines(screen))![1]!.split(' ');
    const verified = runBin(['verify', ...shown]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('✓ VALID signature (HS256)');
    expect(runBin(['verify', token, '--secret', secret, '--sub', 'ravi']).code).toBe(0);

    session.press('Enter');
    await session.waitFor(BACK);
    session.press('Enter');
    await waitForCount(session, MENU, 2);
    pick(session, 'Verify a token');
    await session.waitFor('The one minted just now (sub ravi)');
    expect(session.screen()).toContain('Checked with the secret that signed it');
    session.press('Enter');
    const verdict = await session.waitFor(/✓ VALID signature \(HS256\)[\s\S]*Press Enter to go back/);
    expect(verdict).toContain('✓ key        an HMAC shared secret from the menu (the secret minted just now)');
    session.type('q');
    expect(await session.exitCode()).toBe(0);
  });

  test('the secret saved as a JWK file (0600) verifies the token; a taken name is refused and asked again', async () => {
    let folder: string;
    ({ session, folder } = openMenu());
    writeFileSync(join(folder, 'taken.json'), 'mine\n');
    await session.waitFor(MENU);
    pick(session, 'Mint a token');
    await session.waitFor('Who is the token about (sub)?');
    session.press('Enter');
    const screen = await session.waitFor('A file name, or Enter to skip:');
    const { token } = mintedFrom(screen);
    session.type('taken.json', true);
    await session.waitFor('taken.json already exists; nothing was overwritten.');
    expect(readFileSync(join(folder, 'taken.json'), 'utf8')).toBe('mine\n');
    await session.waitFor('Another file name, or Enter to skip:');
    session.type('minted-secret.json', true);
    const saved = await session.waitFor(BACK);
    expect(saved).toContain('Saved to minted-secret.json (mode 0600).');
    expect(joinBrokenLines(saved)).toContain(`jwt-vs-oauth verify ${token} --key minted-secret.json`);
    const path = join(folder, 'minted-secret.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const result = runBin(['verify', token, '--key', path]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('✓ VALID signature (HS256)');

    // The menu's Verify, with the token pasted and the saved file as the key.
    session.press('Enter');
    await waitForCount(session, MENU, 2);
    pick(session, 'Verify a token');
    await session.waitFor('Which token?');
    session.press('Down', 'Enter');
    await session.waitFor('Paste the token');
    session.type(token, true);
    await session.waitFor('Check its signature with');
    session.press('Down', 'Enter');
    await session.waitFor('The key file:');
    session.type('minted-secret.json', true);
    const verdict = await session.waitFor(/✓ VALID signature \(HS256\)[\s\S]*Press Enter to go back/);
    expect(verdict).toContain('minted-secret.json');
    session.type('q');
    expect(await session.exitCode()).toBe(0);
  });

  test('Ctrl-C exits 130 with no stack trace: in the menu after an action, and at an action\'s prompt', async () => {
    ({ session } = openMenu());
    await session.waitFor(MENU);
    pick(session, 'Decode a token');
    await session.waitFor('Paste a token');
    session.type(RFC7515_HS256_TOKEN, true);
    await session.waitFor(BACK);
    session.press('Enter');
    await waitForCount(session, MENU, 2);
    session.press('C-c');
    expect(await session.exitCode()).toBe(130);
    expect(session.screen()).not.toMatch(/\n\s+at /);
    session.close();

    ({ session } = openMenu());
    await session.waitFor(MENU);
    pick(session, 'Decode a token');
    await session.waitFor('Paste a token');
    session.press('C-c');
    expect(await session.exitCode()).toBe(130);
    const screen = session.screen();
    expect(screen).toContain('Cancelled.');
    expect(screen).not.toMatch(/\n\s+at /);
  });
});
