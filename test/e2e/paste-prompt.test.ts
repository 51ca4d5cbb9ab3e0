// decode's paste prompt with a long "\"-broken paste (second attack review): only the last lines
// are drawn again, with a count of the others, so a long paste does not redraw everything on
// every key; the joined token decodes.

import { expect, test } from 'vitest';
import { BIN, runBin } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';

const hasTmux = tmuxAvailable();
if (!hasTmux) console.log('paste-prompt.test.ts: tmux is not installed, so this real-terminal test is skipped');

test.skipIf(!hasTmux)('a token pasted as 15 broken lines: the prompt shows the last 3 and "… 12 earlier lines", then decodes it', async () => {
  const token = runBin(['mint', '--secret', 'Xq3vN8rT0pLw2sKd9fGh5jZc7mBy4uEa', '--sub', 'asha']).stdout.trim();
  const pieces = token.match(/.{1,10}/g)!.slice(0, 15);
  const rest = token.slice(pieces.join('').length);
  const session = new TerminalSession(`${process.execPath} ${BIN} decode`, { width: 80, height: 30, env: { NO_COLOR: '1' } });
  try {
    await session.waitFor('pastes whole):');
    session.type(pieces.map((piece) => `${piece}\\`).join('\n'));
    session.press('Enter');
    const waiting = await session.waitFor(`… ${pieces.length - 3} earlier lines`);
    expect(waiting).not.toContain(pieces[0]!);
    expect(waiting).toContain(pieces.at(-1)!);
    session.type(rest, true);
    await session.waitFor('Payload');
    expect(session.screen()).toContain('"asha"');
    expect(await session.exitCode()).toBe(0);
  } finally {
    session.close();
  }
}, 60_000);
