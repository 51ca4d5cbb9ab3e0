// The interactive paths on a real terminal (tmux): the menu, the paste prompt, Ctrl-C.

import { afterEach, describe, expect, test } from 'vitest';
import { BIN, RFC7515_HS256_TOKEN } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';

const hasTmux = tmuxAvailable();
if (!hasTmux) console.warn('Skipping the real-terminal tests: tmux is not installed (.ci/run installs it).');

describe.skipIf(!hasTmux)('on a real terminal', () => {
  let session: TerminalSession | undefined;
  afterEach(() => session?.close());

  test('no command opens the menu; Decode a token asks for a paste and decodes it', async () => {
    session = new TerminalSession(`node ${BIN}`);
    await session.waitFor('What would you like to do?');
    const menu = session.screen();
    for (const entry of ['Decode a token', 'Mint a token', 'Verify a token', 'Quit']) expect(menu).toContain(entry);
    session.press('Enter');
    await session.waitFor('Paste a token');
    session.type(`Bearer ${RFC7515_HS256_TOKEN}`, true);
    const screen = await session.waitFor('Decoding is not verifying.');
    expect(screen).toContain('Issuer: who made and signed this token');
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
});
