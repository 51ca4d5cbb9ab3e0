// The tutorial through its real prompts (the @inquirer ones), in-process, on terminal-like
// streams: a right answer, a wrong answer, back, quit, and resume.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';

class TerminalInput extends PassThrough {
  isTTY = true;
  setRawMode() {
    return this;
  }
}

class TerminalOutput extends PassThrough {
  isTTY = true;
  columns = 100;
  rows = 40;
  getColorDepth() {
    return 1;
  }

  // A prompt ends the stream it drew on when it closes; a real terminal stays open, and so does this one.
  override end(): this {
    return this;
  }
}

function startTutorial(home: string, argv: string[] = ['tutorial']) {
  const stdin = new TerminalInput();
  const stdout = new TerminalOutput();
  const stderr = new TerminalOutput();
  let screen = '';
  for (const stream of [stdout, stderr]) stream.on('data', (chunk) => (screen += chunk));
  const done = run(argv, { stdin, stdout, stderr, env: { JWT_VS_OAUTH_HOME: home, NO_COLOR: '1' } });
  const plain = () => screen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
  return {
    done,
    plain,
    /** Waits for `text`; for a screen's "(screen i of n)", also for its prompt's keys drawn after it. */
    async waitFor(text: string) {
      const deadline = Date.now() + 10_000;
      const shown = () => {
        const at = plain().lastIndexOf(text);
        if (at < 0) return false;
        // The prompt module loads after the first screen is drawn: keys before its footer are lost.
        return !text.startsWith('(screen ') || /\[(?:Enter|↑↓)\]/.test(plain().slice(at));
      };
      while (!shown()) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${text}. Screen:\n${plain().slice(-1500)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Let the prompt finish drawing before the next key.
      await new Promise((resolve) => setTimeout(resolve, 30));
    },
    /** A key, the way readline reports it to the prompts (as @inquirer/testing does). */
    press(name: string) {
      stdin.emit('keypress', name.length === 1 ? name : undefined, { name, ctrl: false, meta: false, shift: false, sequence: name.length === 1 ? name : '' });
    },
    ctrlC() {
      stdin.emit('keypress', '\u0003', { name: 'c', ctrl: true, meta: false, shift: false, sequence: '\u0003' });
    },
    /** Forget what was shown, so the next waitFor sees only new output. */
    clear() {
      screen = '';
    },
  };
}

const ENTER = 'enter';
const DOWN = 'down';

describe('the tutorial through its real prompts', () => {
  test('right and wrong answers, back, quit; then resume where it stopped', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    const first = startTutorial(home);
    await first.waitFor('(screen 1 of 5)');
    first.press(ENTER);
    await first.waitFor('(screen 2 of 5)');
    first.clear();
    first.press('b');
    await first.waitFor('(screen 1 of 5)');
    first.press(ENTER);
    await first.waitFor('(screen 2 of 5)');
    first.press(ENTER);
    await first.waitFor('403 means');
    first.press(ENTER);
    await first.waitFor('Your answer');
    first.press(ENTER); // the first choice: wrong
    await first.waitFor('Not quite. Have another go.');
    first.clear();
    first.press(DOWN);
    first.press(ENTER); // the second choice: right
    await first.waitFor('✓ Right. The token proved who she was');
    expect(first.plain()).not.toContain('✔');
    first.press('q');
    expect(await first.done).toBe(0);
    expect(first.plain()).toContain('Progress saved: lesson 1, screen 4.');
    expect(JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8')).tutorial.position).toEqual({ lesson: 1, screen: 3 });

    // Resumed on the screen that was on view: the question, asked again in this new run.
    const second = startTutorial(home);
    await second.waitFor('(screen 4 of 5)');
    await second.waitFor('[↑↓ or 1–3] choose  [Enter] answer  [b] back  [q/Esc] quit (progress is kept)');
    second.press(DOWN);
    second.press(ENTER);
    await second.waitFor('✓ Right.');
    second.press(ENTER);
    await second.waitFor('(screen 5 of 5)');
    second.press(ENTER);
    await second.waitFor('Lesson 1 done. Next: lesson 2');
    await second.waitFor('Lesson 2 · JWT: the five-step login');
    second.press('q');
    expect(await second.done).toBe(0);
    expect(JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8')).tutorial).toMatchObject({ completed: [1], position: { lesson: 2, screen: 0 } });
    expect(second.plain()).toContain('Progress saved: lesson 2, screen 1.');
  });

  test('on a question screen b goes back and q quits; back at an answered question, it shows the answer instead of asking again', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    writeFileSync(join(home, 'progress.json'), JSON.stringify({ version: 1, tutorial: { completed: [], position: { lesson: 1, screen: 3 } } }));
    const session = startTutorial(home);
    await session.waitFor('[↑↓ or 1–3] choose');
    session.clear();
    session.press('b');
    await session.waitFor('(screen 3 of 5)');
    await session.waitFor('403 means');
    session.press(ENTER);
    await session.waitFor('[↑↓ or 1–3] choose');
    session.press(ENTER); // the first choice: wrong
    await session.waitFor('Have another go.');
    session.press(ENTER); // wrong again: the answer is given
    await session.waitFor('✗ Not quite. The answer:');
    expect(session.plain()).not.toContain('✔');
    session.press(ENTER);
    await session.waitFor('(screen 5 of 5)');
    session.clear();
    session.press('b');
    await session.waitFor('(screen 4 of 5)');
    await session.waitFor('You answered:');
    // Numbered as the prompt numbered the choices (b is the back key, so no letters here).
    expect(session.plain()).toMatch(/You answered: Authentication: the API did not know who she was\.\s+✗ Not quite\.\s+The\s+answer:\s+\(2\)\s+Authorization/);
    expect(session.plain()).toContain('[Enter] continue  [b] back  [q/Esc] quit (progress is kept)');
    expect(session.plain()).not.toContain('[↑↓ or 1–3] choose');
    session.press('q');
    expect(await session.done).toBe(0);
    expect(session.plain()).toContain('Progress saved: lesson 1, screen 4.');
  });

  test('a value question: a value with q in it is graded; q alone quits there, as its footer says', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    const session = startTutorial(home, ['tutorial', '3']);
    await session.waitFor('(screen 1 of 7)');
    session.press(ENTER);
    await session.waitFor('(saved as $TOKEN');
    session.press(ENTER);
    await session.waitFor('Decoding is not verifying.');
    session.press(ENTER);
    await session.waitFor('[Enter] answer  [b] alone: back  [q] alone or [Esc]: quit (progress is kept)');
    for (const key of 'qa') session.press(key);
    session.press(ENTER);
    await session.waitFor('✗ Not quite. Have another go.');
    expect(session.plain()).toContain('› Your answer qa');
    session.press('q');
    session.press(ENTER);
    expect(await session.done).toBe(0);
    expect(session.plain()).toContain('Progress saved: lesson 3, screen 4.');
  });

  test('q on a text screen saves that screen, and Ctrl-C draws no key hint', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    const quit = startTutorial(home, ['tutorial', '2']);
    await quit.waitFor('(screen 1 of');
    quit.press('q');
    expect(await quit.done).toBe(0);
    expect(quit.plain()).toContain('Progress saved: lesson 2, screen 1.');
    expect(JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8')).tutorial.position).toEqual({ lesson: 2, screen: 0 });

    const cancel = startTutorial(home);
    await cancel.waitFor('Lesson 2 ·');
    cancel.ctrlC();
    expect(await cancel.done).toBe(130);
    expect(cancel.plain()).not.toContain('Press Enter');
  });

  test('resumed at a step that needs a token earlier steps make: those steps run again, named, and the step works', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    writeFileSync(join(home, 'progress.json'), JSON.stringify({ version: 1, tutorial: { completed: [1, 2], position: { lesson: 3, screen: 5 } } }));
    const session = startTutorial(home);
    await session.waitFor('(screen 6 of 7)');
    await session.waitFor('[Enter] continue');
    const screen = session.plain().replace(/\s+/g, ' ');
    // $TAMPERED is made by screen 5 from $TOKEN, which screen 2 mints.
    // One line each (issue #14): what ran again, not its output again.
    expect(screen).toContain('! Tokens are kept only while the tutorial runs, so these screens were run again: screen 2 (Mint one): made $TOKEN anew screen 5 (Change one claim): made $TAMPERED anew Lesson 3 · Inside a JWT (screen 6 of 7)');
    expect(screen).not.toContain('Changed sub to "admin" in the payload and kept the old signature');
    expect(screen).toContain('✗ INVALID the signature does not match');
    expect(screen).not.toContain('has not run since you started');
    session.press('q');
    expect(await session.done).toBe(0);
  });

  test('resumed on a value question whose token is gone: no verdict before an answer; the token is made again and the answer checked against it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    writeFileSync(join(home, 'progress.json'), JSON.stringify({ version: 1, tutorial: { completed: [1, 2], position: { lesson: 3, screen: 3 } } }));
    const session = startTutorial(home);
    await session.waitFor('(screen 4 of 7)');
    await session.waitFor('[Enter] answer');
    const before = session.plain().replace(/\s+/g, ' ');
    expect(before).not.toContain('✗');
    expect(before).not.toContain('Not quite');
    expect(before).toContain('screen 2 (Mint one): made $TOKEN anew screen 3 (Decode it): its output, which the question is about, is below');
    expect(before).toMatch(/sub +"asha"/);
    for (const key of 'asha') session.press(key);
    session.press(ENTER);
    await session.waitFor('✓ Right.');
    session.press('q');
    expect(await session.done).toBe(0);
  });

  test('Ctrl-C on a question screen exits 130, with no key hint drawn', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    writeFileSync(join(home, 'progress.json'), JSON.stringify({ version: 1, tutorial: { completed: [], position: { lesson: 1, screen: 3 } } }));
    const session = startTutorial(home);
    await session.waitFor('[↑↓ or 1–3] choose');
    session.clear();
    session.ctrlC();
    expect(await session.done).toBe(130);
    expect(session.plain()).not.toContain('Pick with');
  });

  test('tutorial --help names the keys that work on every screen, q or Esc included', async () => {
    const session = startTutorial(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-')), ['tutorial', '--help']);
    expect(await session.done).toBe(0);
    const help = session.plain().replace(/\s+/g, ' ');
    expect(help).toContain('Keys, on every screen: Enter continues, b goes back, q or Esc quits (progress is kept: you resume on the screen you were on), Ctrl-C exits.');
    expect(help).toContain('In a question that asks for a value, q or b typed alone (then Enter) quits or goes back.');
  });

  test('Ctrl-C in a lesson exits 130', async () => {
    const session = startTutorial(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-')), ['tutorial', '7']);
    await session.waitFor('Lesson 7');
    session.ctrlC();
    expect(await session.done).toBe(130);
  });
});
