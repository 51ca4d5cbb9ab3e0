// Re-review G3, items 1 and 2: the exercises menu on a terminal (tmux). A token pasted at "Your
// answer" broken over lines with "\" (as our views print long tokens) is read whole and joined,
// so it passes, is one attempt, and leaves nothing over as keys for the next prompt. After a
// check or a hint, the same exercise's actions come back (not the whole list), and a wrong
// answer's feedback names the menu's "A hint" item rather than a command.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { BIN, runBin } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';
import { breakLongWord } from '../../src/text/layout.js';

const hasTmux = tmuxAvailable();
if (!hasTmux) console.warn('Skipping the G3 exercises menu tests: tmux is not installed (.ci/run installs it).');

const LIST = 'Pick an exercise';
const ACTIONS = 'Now?';

const newHome = () => join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-g3-menu-')), 'home');

function openMenu(home: string, width = 60): TerminalSession {
  return new TerminalSession(`node ${BIN} exercises`, { width, height: 50, env: { JWT_VS_OAUTH_HOME: home }, historyLimit: 5000 });
}

/** How many times `text` has been drawn (in the scrollback too). */
const count = (screen: string, text: string) => screen.split(text).length - 1;

/** Waits until `text` has been drawn at least `times` times. */
async function waitForCount(session: TerminalSession, text: string, times: number): Promise<string> {
  const deadline = Date.now() + 15_000;
  let screen = '';
  while (Date.now() < deadline) {
    screen = session.screen();
    if (count(screen, text) >= times) return screen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for "${text}" ×${times}. The screen:\n${screen}`);
}

/** Lets the menu draw what a key just did, so a count read now is settled. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 600));

/** The learner's progress, as `exercises progress --json` reports it. */
function attemptsOf(home: string, id: string): number {
  const json = runBin(['exercises', 'progress', '--json'], { env: { JWT_VS_OAUTH_HOME: home } });
  expect(json.code, json.stderr).toBe(0);
  const entry = (JSON.parse(json.stdout) as { exercises: Array<{ id: string; attempts: number }> }).exercises.find((exercise) => exercise.id === id)!;
  return entry.attempts;
}

describe.skipIf(!hasTmux)('the exercises menu (G3)', () => {
  let session: TerminalSession | undefined;
  afterEach(() => session?.close());

  test('make-practice-token: a token pasted broken over lines is joined into one answer, passes, counts one attempt', async () => {
    const token = runBin(['mint', '--secret', 'PbvDNisJf9teQsO6HmR7vzM5gfyj4WkVfIKvXdDiQZI=', '--iss', 'https://practice-api.jwt-vs-oauth.local', '--aud', 'practice-api', '--exp', '10m', '--claim', 'role=customer', '--sub', 'asha']).stdout.trim();
    const broken = breakLongWord(token, 58, 58);
    expect(broken.length).toBeGreaterThan(2);
    const home = newHome();
    session = openMenu(home);
    await session.waitFor(LIST);
    for (let index = 0; index < 4; index++) session.press('Down');
    session.press('Enter');
    await session.waitFor(ACTIONS);
    expect(session.screen()).toContain('Mint a token the practice API accepts');
    session.press('Enter');
    await session.waitFor('Your answer');
    // A paste: the lines with the Enter a terminal sends between them, all at once.
    session.type(broken.join('\r'), true);
    const screen = await waitForCount(session, ACTIONS, 2);
    expect(screen).toContain(`(${broken.length} lines joined)`);
    expect(screen).toContain('✓ Passed.');
    expect(screen).not.toContain('✗ Not yet.');
    await settle();
    // Nothing of the paste was left over as keys: the exercise's actions wait, the list was not drawn again.
    expect(count(session.screen(), LIST)).toBe(1);
    expect(count(session.screen(), ACTIONS)).toBe(2);
    session.press('Escape');
    await waitForCount(session, LIST, 2);
    session.type('q');
    expect(await session.exitCode()).toBe(0);
    expect(attemptsOf(home, 'make-practice-token')).toBe(1);
  }, 60_000);

  test('check with no answer on a terminal: its "Your token" prompt joins a broken paste too', async () => {
    const token = runBin(['mint', '--secret', 'PbvDNisJf9teQsO6HmR7vzM5gfyj4WkVfIKvXdDiQZI=', '--iss', 'https://practice-api.jwt-vs-oauth.local', '--aud', 'practice-api', '--exp', '10m', '--claim', 'role=customer', '--sub', 'asha']).stdout.trim();
    const broken = breakLongWord(token, 58, 58);
    session = new TerminalSession(`node ${BIN} exercises check make-practice-token`, { width: 60, height: 50, env: { JWT_VS_OAUTH_HOME: newHome() } });
    await session.waitFor('Your token');
    session.type(broken.join('\r'), true);
    expect(await session.exitCode()).toBe(0);
    const screen = session.screen();
    expect(screen).toContain(`(${broken.length} lines joined)`);
    expect(screen).toContain('✓ Passed.');
  }, 30_000);

  test('read-subject answered wrong: "choose A hint", then the same exercise\'s actions; A hint, then its actions again; Back to the list', async () => {
    const home = newHome();
    session = openMenu(home, 80);
    await session.waitFor(LIST);
    session.press('Enter');
    await session.waitFor(ACTIONS);
    session.press('Enter');
    await session.waitFor('Your answer');
    session.type('bob', true);
    let screen = await waitForCount(session, ACTIONS, 2);
    expect(screen).toContain('✗ Not yet. For a hint, choose A hint.');
    expect(screen).not.toContain('jwt-vs-oauth exercises hint read-subject');
    await settle();
    expect(count(session.screen(), LIST)).toBe(1);
    // The actions again, on "Answer it": Down to "A hint".
    session.press('Down');
    session.press('Enter');
    screen = await waitForCount(session, ACTIONS, 3);
    expect(screen).toContain('Hint 1 of');
    expect(count(screen, LIST)).toBe(1);
    // "Back to the list": the list, on the exercise just tried.
    session.press('Down');
    session.press('Down');
    session.press('Enter');
    screen = await waitForCount(session, LIST, 2);
    expect(screen.slice(screen.lastIndexOf(LIST))).toMatch(/❯ +Read the subject|❯ .*read-a-token/);
    session.type('q');
    expect(await session.exitCode()).toBe(0);
    expect(attemptsOf(home, 'read-subject')).toBe(1);
  }, 60_000);
});
