// Issue #14, a new user's review of the rebuilt run screens: a resume that lands on a question
// keeps the question just above its prompt; every command step is labelled "Runs:" with the lines
// that set its names before it; a Mock Google step says honestly how to run its command later;
// prose under a step's output keeps to the prose width; going back to a demo shows what it showed
// (no new run, no pauses); a choice's footer names the number keys.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from '@inquirer/testing';
import { afterEach, describe, expect, test } from 'vitest';
import { choicePrompt } from '../../src/cli/navigation-prompt.js';
import { BIN, runCli } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';
import { displayWidth } from '../../src/text/layout.js';

const home = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-review-'));
/** A home whose progress says the learner stopped on `screen` (0-based) of `lesson`. */
function stoppedAt(lesson: number, screen: number): string {
  const folder = home();
  writeFileSync(join(folder, 'progress.json'), JSON.stringify({ version: 1, tutorial: { completed: [], position: { lesson, screen } } }));
  return folder;
}
/** The lines of a screen capture, the pane's "[exit N]" and what follows left out. */
const linesOf = (screen: string) => screen.replace(/\n*\[exit \d+\][\s\S]*$/, '').split('\n');

async function plainLesson(lesson: number, columns: number): Promise<string[]> {
  const result = await runCli(['tutorial', String(lesson), '--plain'], { env: { JWT_VS_OAUTH_HOME: home(), COLUMNS: String(columns), NO_COLOR: '1' } });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.split('\n');
}

describe('the command steps, in --plain', () => {
  test('every command step is labelled "Runs:", never "Try it:" or "the same as"', async () => {
    const text = (await plainLesson(3, 100)).join('\n');
    expect(text).toContain('Runs: jwt-vs-oauth mint --secret');
    expect(text).toContain('Runs: jwt-vs-oauth decode "$TOKEN"');
    expect(text).not.toMatch(/Try it:|the same as jwt-vs-oauth/);
  }, 30_000);

  test.each([3, 8, 9, 10, 11, 14])('lesson %i: the lines that set a name come before the command that uses it, and say "below"', async (lesson) => {
    const lines = await plainLesson(lesson, 80);
    expect(lines.join('\n')).not.toContain('the command above');
    for (const [index, line] of lines.entries()) {
      const name = /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
      if (!name) continue;
      // The next "Runs:" line after the assignment uses the name (within its few broken lines).
      const runs = lines.findIndex((candidate, at) => at > index && candidate.startsWith('Runs: '));
      expect(runs, `${name} in lesson ${lesson}`).toBeGreaterThan(index);
      expect(lines.slice(runs, runs + 4).join(' '), `${name} in lesson ${lesson}`).toContain(`"$${name}"`);
    }
  }, 60_000);

  test('lesson 8\'s Mock Google step says how to run its command later, not that its values can be pasted', async () => {
    const lines = await plainLesson(8, 80);
    const text = lines.join('\n');
    const issuer = lines.findIndex((line) => /^ISSUER=http:\/\/127\.0\.0\.1:\d+$/.test(line));
    expect(issuer).toBeGreaterThan(0);
    const intro = lines.slice(0, issuer).findLastIndex((line) => line.startsWith('To run the command below yourself'));
    const said = lines.slice(intro, issuer).join(' ');
    expect(said).toContain('start your own Mock Google in another terminal (jwt-vs-oauth provider)');
    expect(said).toContain('set ISSUER to http://127.0.0.1:9400, API to http://127.0.0.1:9400/userinfo');
    expect(said).toContain('they fail in your shell now');
    expect(said).not.toContain('first paste these lines');
    expect(text).not.toContain('it answers only while this step runs');
  }, 30_000);

  test('at 120 columns, the prose after a step\'s output and the set-up\'s intro keep to 100 columns', async () => {
    const lines = await plainLesson(9, 120);
    const passed = lines.findIndex((line) => line.startsWith('The signature passed.'));
    expect(passed).toBeGreaterThan(0);
    const paragraph = lines.slice(passed, lines.indexOf('', passed));
    expect(paragraph.length).toBeGreaterThan(1);
    expect(paragraph.every((line) => displayWidth(line) <= 100), paragraph.join('\n')).toBe(true);
    const intros = lines.filter((line, index) => line.startsWith('To run the command') || (index > 0 && lines[index - 1]!.startsWith('To run the command')));
    expect(intros.length).toBeGreaterThan(1);
    expect(intros.every((line) => displayWidth(line) <= 100), intros.join('\n')).toBe(true);
  }, 30_000);
});

test('a choice\'s footer names the number keys, which pick', async () => {
  const { answer, events, getScreen } = await render(choicePrompt, { message: 'Your answer', choices: ['a', 'b', 'c', 'd'], canGoBack: true });
  expect(getScreen()).toContain('[↑↓ or 1–4] choose  [Enter] answer');
  events.keypress('3');
  events.keypress('enter');
  await expect(answer).resolves.toEqual({ answer: 2 });
});

describe.skipIf(!tmuxAvailable())('on a real terminal (tmux)', () => {
  let session: TerminalSession | undefined;
  afterEach(() => session?.close());

  test.each([
    [3, 4, 80, 'screen 2 (Mint one): made $TOKEN anew', 'Question: Read it off the decoded payload'],
    [8, 3, 60, 'screen 2 (The access token from Mock Google): its output,', 'Question: Who issued it?'],
  ])('resumed on lesson %i screen %i at %i columns: the steps run again are said in a line each, then the question, just above its prompt', async (lesson, screen, width, said, question) => {
    session = new TerminalSession(`node ${BIN} tutorial`, { width, height: 40, historyLimit: 5000, env: { JWT_VS_OAUTH_HOME: stoppedAt(lesson, screen - 1) }, unset: ['COLUMNS', 'NO_COLOR', 'CI'] });
    await session.waitFor(/\? Your answer[\s\S]*\[Enter\] answer/, 30_000);
    const lines = linesOf(session.screen()).filter((line) => line !== '');
    const warned = lines.findIndex((line) => line.startsWith('! Tokens are kept only while the tutorial runs'));
    const heading = lines.findIndex((line) => line.startsWith(`Lesson ${lesson} ·`));
    const asked = lines.findIndex((line) => line.startsWith(question));
    const prompt = lines.findIndex((line) => line.startsWith('? Your answer'));
    expect(warned, lines.join('\n')).toBeGreaterThanOrEqual(0);
    expect(lines.join(' ')).toContain(said);
    // The screen comes after what ran again, and its question is right above the prompt.
    expect(heading, lines.join('\n')).toBeGreaterThan(warned);
    expect(asked).toBeGreaterThan(heading);
    expect(prompt - asked, lines.join('\n')).toBeLessThanOrEqual(2);
    // What ran again set nothing up in the learner's shell: no paste lines.
    expect(lines.join('\n')).not.toContain('To run the command');
  }, 60_000);

  test('going back to lesson 5\'s demo flow shows what it showed, with no new run and no pauses', async () => {
    session = new TerminalSession(`node ${BIN} tutorial 5`, { width: 100, height: 40, historyLimit: 10_000, env: { JWT_VS_OAUTH_HOME: home() }, unset: ['COLUMNS', 'NO_COLOR', 'CI'] });
    await session.waitFor(/screen 1 of \d+\)[\s\S]*\[Enter\] continue/);
    session.press('Enter');
    // The demo's pauses: Enter at each, until the question after it.
    for (let presses = 0; !session.screen().includes('? Your answer'); presses++) {
      expect(presses).toBeLessThan(25);
      session.press('Enter');
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    const before = session.screen();
    const ports = new Set(before.match(/127\.0\.0\.1:\d+/g));
    session.press('b');
    const after = await session.waitFor(/As it ran earlier in this session[\s\S]*\[Enter\] continue  \[b\] back/, 30_000);
    const replay = after.slice(after.lastIndexOf('(screen 2 of'));
    expect(replay).not.toContain('Next step of the demo');
    // The same run: the same Mock Google ports as the first time.
    expect([...new Set(replay.match(/127\.0\.0\.1:\d+/g))].every((port) => ports.has(port))).toBe(true);
  }, 90_000);
});
