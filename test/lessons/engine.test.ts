// The lesson engine and its prompts: right and wrong answers, back, quit and resume; the
// navigation prompt through @inquirer/testing; the progress file's edge cases.

import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from '@inquirer/testing';
import { describe, expect, test } from 'vitest';
import { choicePrompt, navigationPrompt, valuePrompt } from '../../src/cli/navigation-prompt.js';
import { ANSWERED_MARK } from '../../src/cli/prompt-theme.js';
import { openProgress, validateProgress } from '../../src/lessons/progress.js';
import { isCorrect, runLesson, type LessonUI, type Navigation } from '../../src/lessons/runner.js';
import type { Lesson } from '../../src/lessons/schema.js';
import { runCli } from '../helpers/cli.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const lesson: Lesson = {
  id: 'demo',
  number: 1,
  title: 'Demo',
  summary: 'A lesson for the tests.',
  file: 'demo.json',
  screens: [
    { type: 'text', body: ['one'] },
    { type: 'question', kind: 'choice', prompt: 'Pick b', choices: ['a', 'b'], answer: 1, explanation: 'b is right' },
    { type: 'text', body: ['three'] },
  ],
};

/** A scripted learner: answers and key presses in order; records what the engine did. */
function scriptedUI(answers: Array<number | string | { move: 'back' | 'quit' }>, moves: Navigation[]) {
  const log: string[] = [];
  const ui: LessonUI = {
    show: (_lesson, index) => log.push(`show ${index}`),
    run: async () => void log.push('run'),
    ask: async (_question, _attempt, canGoBack) => {
      const answer = answers.shift()!;
      log.push(typeof answer === 'object' ? `${answer.move} at the question${canGoBack ? '' : ' (no back)'}` : `answer ${answer}`);
      return answer;
    },
    recall: (_question, answer, correct) => log.push(`recall ${answer} ${correct ? 'right' : 'wrong'}`),
    expectedValue: () => undefined,
    feedback: (correct, _question, expected, final) => log.push(`${correct ? 'right' : 'wrong'}${final && !correct ? ` (answer: ${expected})` : ''}`),
    navigate: async () => {
      const move = moves.shift() ?? 'next';
      log.push(move);
      return move;
    },
  };
  return { ui, log };
}

describe('the lesson engine', () => {
  test('a right answer, then to the end', async () => {
    const positions: number[] = [];
    const { ui, log } = scriptedUI([1], []);
    expect(await runLesson(lesson, 0, ui, (screen) => void positions.push(screen))).toBe('completed');
    expect(log).toEqual(['show 0', 'next', 'show 1', 'answer 1', 'right', 'next', 'show 2', 'next']);
    expect(positions.at(-1)).toBe(3);
  });

  test('a wrong answer gets another go, then the answer and why', async () => {
    const { ui, log } = scriptedUI([0, 0], []);
    await runLesson(lesson, 1, ui, () => undefined);
    expect(log.slice(0, 5)).toEqual(['show 1', 'answer 0', 'wrong', 'answer 0', 'wrong (answer: b)']);
  });

  test('b goes back to an answered question, which shows the answer and is not asked again; q quits with the screen on view kept', async () => {
    const positions: number[] = [];
    const { ui, log } = scriptedUI([1], ['next', 'next', 'back', 'quit']);
    expect(await runLesson(lesson, 0, ui, (screen) => void positions.push(screen))).toBe('quit');
    expect(log).toEqual(['show 0', 'next', 'show 1', 'answer 1', 'right', 'next', 'show 2', 'back', 'show 1', 'recall 1 right', 'quit']);
    expect(positions.at(-1)).toBe(1);
    const resumed = scriptedUI([], []);
    await runLesson(lesson, positions.at(-1)!, resumed.ui, () => undefined);
    expect(resumed.log[0]).toBe('show 1');
  });

  test('q on a text screen keeps that screen: resume shows it again, not the next one', async () => {
    const positions: number[] = [];
    const { ui } = scriptedUI([], ['quit']);
    expect(await runLesson(lesson, 0, ui, (screen) => void positions.push(screen))).toBe('quit');
    expect(positions).toEqual([0]);
  });

  test('b and q on a question screen: back to the screen before, or quit there with that screen kept', async () => {
    const back = scriptedUI([{ move: 'back' }], ['quit']);
    const positions: number[] = [];
    expect(await runLesson(lesson, 1, back.ui, (screen) => void positions.push(screen))).toBe('quit');
    expect(back.log).toEqual(['show 1', 'back at the question', 'show 0', 'quit']);
    expect(positions).toEqual([1, 0]);

    const quit = scriptedUI([0, { move: 'quit' }], []);
    const kept: number[] = [];
    expect(await runLesson(lesson, 1, quit.ui, (screen) => void kept.push(screen))).toBe('quit');
    expect(quit.log).toEqual(['show 1', 'answer 0', 'wrong', 'quit at the question']);
    expect(kept).toEqual([1]);

    const first = scriptedUI([{ move: 'quit' }], []);
    await runLesson({ ...lesson, screens: [lesson.screens[1]!] }, 0, first.ui, () => undefined);
    expect(first.log).toEqual(['show 0', 'quit at the question (no back)']);
  });

  test.each([
    ['asha', '  asha\n', true],
    ['asha', '"asha"', true],
    ['1795872757', '2026-11-28T13:32:37Z', true],
    ['1795872757', '2026-11-28T19:02:37+05:30', true],
    ['1795872757', '2026-11-28T13:32:37', false],
    ['openid profile', 'openid  profile', false],
    ['asha', 'Asha', false],
    ['HS256', 'hs256', false],
    ['https://auth.swaad.example', 'HTTPS://AUTH.SWAAD.EXAMPLE', false],
    ['asha', 'ravi', false],
  ])('value answers are compared exactly, after trimming: expected %s, given %j → %s', (expected, given, right) => {
    expect(isCorrect({ type: 'question', kind: 'value', prompt: '', answerFrom: 'token:x.payload.y', explanation: '' }, given, expected)).toBe(right);
  });

  test('a value question\'s known slips come with why: the case, the spacing, a time without a zone', async () => {
    const valueLesson: Lesson = { ...lesson, screens: [{ type: 'question', kind: 'value', prompt: 'sub?', answerFrom: 'token:x.payload.sub', explanation: 'sub names who.' }] };
    const whys: Array<string | undefined> = [];
    const run = async (expected: string, answers: string[]) => {
      const { ui } = scriptedUI(answers, []);
      await runLesson(valueLesson, 0, { ...ui, expectedValue: () => expected, feedback: (correct, _question, _expected, _final, why) => void whys.push(correct ? 'right' : why) }, () => undefined);
    };
    await run('Vikram', ['VIKRAM', 'vikram']);
    await run('openid email', ['openid   email', 'ravi']);
    await run('1795872757', ['2026-11-28T13:32:37', '"Vikram"']);
    expect(whys).toEqual([
      'right letters, wrong case: JWT values are compared exactly',
      'right letters, wrong case: JWT values are compared exactly',
      'right words, spaced differently: JWT values are compared exactly',
      undefined,
      'give the time zone: a time without Z or an offset is ambiguous',
      undefined,
    ]);
  });
});

describe('the navigation prompt (@inquirer/testing)', () => {
  test.each([
    ['enter', 'next'],
    ['b', 'back'],
    ['q', 'quit'],
    ['escape', 'quit'],
  ] as const)('%s → %s', async (key, expected) => {
    const { answer, events, getScreen } = await render(navigationPrompt, { canGoBack: true });
    expect(getScreen()).toContain('[Enter] continue  [b] back  [q/Esc] quit (progress is kept)');
    events.keypress(key);
    await expect(answer).resolves.toBe(expected);
  });

  test('on the first screen the footer offers no b, and b and other keys name only the keys that work', async () => {
    const { answer, events, getScreen } = await render(navigationPrompt, { canGoBack: false });
    expect(getScreen()).toContain('[Enter] continue  [q/Esc] quit (progress is kept)');
    events.keypress('b');
    expect(getScreen()).toContain('This is the first screen. Press Enter or q.');
    events.keypress('x');
    expect(getScreen()).toContain('Press Enter or q.');
    expect(getScreen()).not.toContain('Press Enter, b or q.');
    events.keypress('enter');
    await expect(answer).resolves.toBe('next');
  });

  test('Ctrl-C draws no key hint before it exits', async () => {
    const { answer, events, getScreen } = await render(navigationPrompt, { canGoBack: true });
    answer.catch(() => undefined);
    events.keypress({ name: 'c', ctrl: true });
    expect(getScreen()).not.toContain('Press Enter');
  });
});

describe('the question prompts (@inquirer/testing)', () => {
  test('a choice: ↓ then Enter answers with a neutral marker, never ✔', async () => {
    const { answer, events, getScreen } = await render(choicePrompt, { message: 'Your answer', choices: ['alice', 'bob'], canGoBack: true });
    expect(getScreen()).toContain('[↑↓ or 1–2] choose  [Enter] answer  [b] back  [q/Esc] quit (progress is kept)');
    events.keypress('down');
    events.keypress('enter');
    await expect(answer).resolves.toEqual({ answer: 1 });
    expect(getScreen()).toBe(`${ANSWERED_MARK} Your answer bob`);
    expect(getScreen()).not.toContain('✔');
  });

  test.each([
    ['b', { move: 'back' }],
    ['q', { move: 'quit' }],
    ['escape', { move: 'quit' }],
  ] as const)('a choice: %s → %j', async (key, expected) => {
    const { answer, events } = await render(choicePrompt, { message: 'Your answer', choices: ['alice', 'bob'], canGoBack: true });
    events.keypress(key);
    await expect(answer).resolves.toEqual(expected);
  });

  test('a choice on the first screen: no b in the footer, and b says why', async () => {
    const { answer, events, getScreen } = await render(choicePrompt, { message: 'Your answer', choices: ['alice', 'bob'], canGoBack: false });
    expect(getScreen()).toContain('[↑↓ or 1–2] choose  [Enter] answer  [q/Esc] quit (progress is kept)');
    events.keypress('b');
    expect(getScreen()).toContain('This is the first screen.');
    events.keypress('2');
    events.keypress('enter');
    await expect(answer).resolves.toEqual({ answer: 1 });
  });

  test('a value: q alone quits and b alone goes back, as the footer says; q inside a value is a value', async () => {
    const quit = await render(valuePrompt, { message: 'Your answer', canGoBack: true });
    expect(quit.getScreen()).toContain('[Enter] answer  [b] alone: back  [q] alone or [Esc]: quit (progress is kept)');
    quit.events.type('q');
    quit.events.keypress('enter');
    await expect(quit.answer).resolves.toEqual({ move: 'quit' });

    const back = await render(valuePrompt, { message: 'Your answer', canGoBack: true });
    back.events.type(' b ');
    back.events.keypress('enter');
    await expect(back.answer).resolves.toEqual({ move: 'back' });

    const value = await render(valuePrompt, { message: 'Your answer', canGoBack: true });
    value.events.type('qbert');
    value.events.keypress('enter');
    await expect(value.answer).resolves.toEqual({ answer: 'qbert' });
    expect(value.getScreen()).toBe(`${ANSWERED_MARK} Your answer qbert`);

    const escape = await render(valuePrompt, { message: 'Your answer', canGoBack: false });
    expect(escape.getScreen()).toContain('[Enter] answer  [q] alone or [Esc]: quit (progress is kept)');
    escape.events.type('as');
    escape.events.keypress('escape');
    await expect(escape.answer).resolves.toEqual({ move: 'quit' });
  });

  test('a value: Enter with nothing typed asks for the value', async () => {
    const { answer, events, getScreen } = await render(valuePrompt, { message: 'Your answer', canGoBack: true });
    events.keypress('enter');
    expect(getScreen()).toContain('Type the value, then Enter.');
    events.type('asha');
    events.keypress('enter');
    await expect(answer).resolves.toEqual({ answer: 'asha' });
  });
});

describe('the progress file', () => {
  test('missing: a fresh start, then saved atomically as JSON', () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-')), 'nested');
    const store = openProgress(folder);
    expect(store.notices).toEqual([]);
    expect(store.update((progress) => void (progress.tutorial.position = { lesson: 2, screen: 3 }))).toEqual([]);
    expect(JSON.parse(readFileSync(join(folder, 'progress.json'), 'utf8')).tutorial.position).toEqual({ lesson: 2, screen: 3 });
    // No temporary file and no lock file is left behind.
    expect(readdirSync(folder)).toEqual(['progress.json']);
    expect(openProgress(folder).progress.tutorial.position).toEqual({ lesson: 2, screen: 3 });
  });

  test('corrupt: moved aside with a message, never a crash', () => {
    const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    writeFileSync(join(folder, 'progress.json'), '{ this is not json');
    const store = openProgress(folder, { now: () => new Date('2026-11-28T10:00:00Z') });
    expect(store.notices[0]).toBe(`Your progress file could not be read (it is not valid JSON), so it was moved aside to ${join(folder, 'progress.json')}.corrupt-2026-11-28T10-00-00-000Z and you start afresh.`);
    expect(existsSync(join(folder, 'progress.json.corrupt-2026-11-28T10-00-00-000Z'))).toBe(true);
    expect(store.progress.tutorial.completed).toEqual([]);
  });

  const isRoot = process.getuid?.() === 0;
  test('unwritable: a clear warning once, and the lesson goes on', () => {
    const parent = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    // A file where the folder should be makes the folder unwritable even for root.
    const folder = join(parent, 'blocked');
    writeFileSync(folder, 'not a folder');
    const store = openProgress(folder);
    const [warning, ...more] = store.update((progress) => progress.tutorial.completed.push(1));
    expect(more).toEqual([]);
    expect(warning).toMatch(new RegExp(`^Progress cannot be saved in ${folder} \\((EEXIST|ENOTDIR)\\); the lesson goes on, but it will not be remembered\\. Set JWT_VS_OAUTH_HOME to a folder you can write\\.$`));
    expect(store.update((progress) => progress.tutorial.completed.push(2))).toEqual([]);
    // Kept in memory, so the lesson goes on.
    expect(store.progress.tutorial.completed).toEqual([1, 2]);
    if (!isRoot) {
      const readOnly = join(parent, 'read-only');
      mkdirSync(readOnly);
      chmodSync(readOnly, 0o500);
      expect(openProgress(readOnly).update(() => undefined)[0]).toMatch(/EACCES/);
    }
  });

  test.each([
    ['5', 'the file is not an object'],
    ['[]', 'the file is not an object'],
    ['null', 'the file is not an object'],
    ['{"exercises": 5}', 'it has no "version": 1'],
    ['{"version": 2}', 'its version 2 is not 1'],
    ['{"version": 1, "seed": 7}', 'seed is not a non-empty string of at most 256 characters without control characters'],
    ['{"version": 1, "seed": "\\u001b[2J"}', 'seed is not a non-empty string of at most 256 characters without control characters'],
    ['{"version": "\\u001b]0;x\\u0007"}', 'its "version" is not 1'],
    ['{"version": 1, "tutorial": []}', 'tutorial is not an object'],
    ['{"version": 1, "tutorial": {"completed": "1,2"}}', 'tutorial.completed is not a list of lesson numbers'],
    ['{"version": 1, "tutorial": {"completed": [1, -2]}}', 'tutorial.completed is not a list of lesson numbers'],
    ['{"version": 1, "tutorial": {"completed": [], "position": {"lesson": "3", "screen": 0}}}', 'tutorial.position is not {lesson, screen} with two numbers'],
    ['{"version": 1, "exercises": 5}', 'exercises is not an object'],
    ['{"version": 1, "exercises": {"passed": []}}', 'exercises.passed is not an object'],
    ['{"version": 1, "exercises": {"passed": {"read-subject": true}}}', 'exercises.passed["read-subject"] is not an object {at: "date and time"}'],
    ['{"version": 1, "exercises": {"passed": {"read-subject": {"at": "\\u001b[2J\\u001b[HFAKE"}}}}', 'exercises.passed["read-subject"] is not an object {at: "date and time"}'],
    ['{"version": 1, "exercises": {"passed": {"read-subject": {"at": "2026-01-01"}}}}', 'exercises.passed["read-subject"] is not an object {at: "date and time"}'],
    ['{"version": 1, "exercises": {"attempts": {"\\u001b[31mred": "x"}}}', 'exercises.attempts["\\x1b[31mred"] is not a count'],
    ['{"version": 1, "exercises": {"attempts": {"read-subject": "many"}}}', 'exercises.attempts["read-subject"] is not a count'],
    ['{"version": 1, "exercises": {"hintsShown": {"read-subject": 1.5}}}', 'exercises.hintsShown["read-subject"] is not a count'],
    ['{"version": 1, "exercises": {"lastActivity": 5}}', 'exercises.lastActivity is not a date and time (such as 2026-01-31T09:30:00.000Z)'],
    ['{"version": 1, "exercises": {"firstActivity": "\\u001b]0;x\\u0007"}}', 'exercises.firstActivity is not a date and time (such as 2026-01-31T09:30:00.000Z)'],
    ['{"version": 1, "exercises": {"lastActivity": "\\u001b[2J\\u001b[HFAKE\\r\\u202e"}}', 'exercises.lastActivity is not a date and time (such as 2026-01-31T09:30:00.000Z)'],
    ['{"version": 1, "exercises": {"lastActivity": "2026-13-45T99:00:00Z"}}', 'exercises.lastActivity is not a date and time (such as 2026-01-31T09:30:00.000Z)'],
    ['{"version": 1, "exercises": {"provider": {"issuer": 1}}}', 'exercises.provider is not {issuer: an http URL, exercise: an exercise id}'],
    ['{"version": 1, "exercises": {"provider": {"issuer": "http://127.0.0.1:1/\\u001b[2J", "exercise": "x"}}}', 'exercises.provider is not {issuer: an http URL, exercise: an exercise id}'],
    ['{"version": 1, "exercises": {"provider": {"issuer": "file:///etc/passwd", "exercise": "x"}}}', 'exercises.provider is not {issuer: an http URL, exercise: an exercise id}'],
  ])('wrong types %s: the file is unreadable because %s', (text, reason) => {
    expect(() => validateProgress(JSON.parse(text))).toThrow(reason);
    const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    writeFileSync(join(folder, 'progress.json'), text);
    const store = openProgress(folder, { now: () => new Date('2026-11-28T10:00:00Z') });
    expect(store.notices).toEqual([`Your progress file could not be read (${reason}), so it was moved aside to ${join(folder, 'progress.json')}.corrupt-2026-11-28T10-00-00-000Z and you start afresh.`]);
    expect(readFileSync(join(folder, 'progress.json.corrupt-2026-11-28T10-00-00-000Z'), 'utf8')).toBe(text);
    expect(store.progress.exercises.attempts).toEqual({});
  });

  test('absent fields get defaults; unknown fields are kept through a change', () => {
    const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    writeFileSync(join(folder, 'progress.json'), JSON.stringify({ version: 1, seed: 'abc', badges: ['early'], exercises: { streak: 3 } }));
    const store = openProgress(folder);
    expect(store.notices).toEqual([]);
    store.update((progress) => void (progress.exercises.attempts['read-subject'] = 1));
    const saved = JSON.parse(readFileSync(join(folder, 'progress.json'), 'utf8'));
    expect(saved).toEqual({ version: 1, seed: 'abc', badges: ['early'], tutorial: { completed: [] }, exercises: { streak: 3, passed: {}, hintsShown: {}, attempts: { 'read-subject': 1 } } });
  });

  test('exercise ids such as constructor and __proto__ are ordinary keys', () => {
    const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    writeFileSync(join(folder, 'progress.json'), '{"version": 1, "seed": "abc", "exercises": {"passed": {"__proto__": {"at": "2026-01-01T00:00:00.000Z"}}, "attempts": {"__proto__": 2}}}');
    const store = openProgress(folder);
    const { passed, attempts, hintsShown } = store.progress.exercises;
    expect(passed.constructor).toBeUndefined();
    expect(attempts.toString).toBeUndefined();
    expect(hintsShown.hasOwnProperty).toBeUndefined();
    expect(Object.keys(passed)).toEqual(['__proto__']);
    expect(attempts['__proto__']).toBe(2);
    const id: string = 'constructor';
    store.update((progress) => {
      progress.exercises.attempts[id] = (progress.exercises.attempts[id] ?? 0) + 1;
      progress.exercises.attempts['__proto__'] = (progress.exercises.attempts['__proto__'] ?? 0) + 1;
    });
    const text = readFileSync(join(folder, 'progress.json'), 'utf8');
    expect(text).toContain('"__proto__": 3');
    expect(text).toContain('"constructor": 1');
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(JSON.parse(text).exercises.attempts)).toBe(Object.prototype);
  });

  // A link in a shared or world-writable home would let whoever made it choose which file is
  // moved aside or rewritten: refused whatever it points to, and nothing is touched.
  test.each([
    ['a file that is not progress (a shell profile)', 'export PATH=/usr/bin\n'],
    ['a valid progress file', '{"version": 1, "seed": "abc", "tutorial": {"completed": [2]}}'],
  ])('a symlink to %s is refused; the link and the file it points to are left as they were', (_what, content) => {
    const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-victim-'));
    const victim = join(elsewhere, 'bashrc');
    writeFileSync(victim, content);
    const link = join(folder, 'progress.json');
    symlinkSync(victim, link);
    expect(() => openProgress(folder)).toThrow(expect.objectContaining({
      code: 'ERR_PROGRESS_NOT_A_FILE',
      message: `Your progress file ${link} is a symbolic link; progress is kept in a plain file, and a link is not followed (nothing was read or changed).`,
      hint: 'Remove the link. To keep progress in another folder, set JWT_VS_OAUTH_HOME to that folder.',
    }));
    expect(readFileSync(victim, 'utf8')).toBe(content);
    expect(readdirSync(elsewhere)).toEqual(['bashrc']);
    expect(readdirSync(folder)).toEqual(['progress.json']);
    expect(readlinkSync(link)).toBe(victim);
  });

  test('a link made after the store was opened is refused at the next change, and not written through', () => {
    const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    const store = openProgress(folder);
    const victim = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-victim-')), 'bashrc');
    writeFileSync(victim, 'export PATH=/usr/bin\n');
    symlinkSync(victim, join(folder, 'progress.json'));
    expect(() => store.update((progress) => progress.tutorial.completed.push(1))).toThrow(expect.objectContaining({ code: 'ERR_PROGRESS_NOT_A_FILE' }));
    expect(readFileSync(victim, 'utf8')).toBe('export PATH=/usr/bin\n');
  });

  test('a folder, or a link to nothing, in place of the file is refused with ERR_PROGRESS_NOT_A_FILE', () => {
    const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    mkdirSync(join(folder, 'progress.json'));
    expect(() => openProgress(folder)).toThrow(expect.objectContaining({ code: 'ERR_PROGRESS_NOT_A_FILE', message: `Your progress file ${join(folder, 'progress.json')} is a folder; progress is kept in a plain file.` }));
    const dangling = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    symlinkSync(join(dangling, 'nowhere.json'), join(dangling, 'progress.json'));
    expect(() => openProgress(dangling)).toThrow(expect.objectContaining({ code: 'ERR_PROGRESS_NOT_A_FILE', message: `Your progress file ${join(dangling, 'progress.json')} is a symbolic link; progress is kept in a plain file, and a link is not followed (nothing was read or changed).` }));
    expect(readdirSync(dangling)).toEqual(['progress.json']);
  });

  // JWT_VS_OAUTH_HOME is outside text: a folder name with an escape sequence, a bell and a bidi
  // override must reach the terminal escaped in every message that names a path.
  describe('a home folder with control characters in its name is shown escaped', () => {
    const RAW = 'x\u001b[31mRED\u0007\u202e';
    const SHOWN = 'x\\x1b[31mRED\\x07\\u202e';
    const home = () => {
      const parent = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
      const folder = join(parent, RAW);
      mkdirSync(folder);
      return { folder, shown: join(parent, SHOWN) };
    };
    const LONG_AGO = new Date('2026-01-01T00:00:00Z');
    const now = () => new Date('2026-11-28T10:00:00Z');

    test('moved aside', () => {
      const { folder, shown } = home();
      writeFileSync(join(folder, 'progress.json'), 'not json');
      expect(openProgress(folder, { now }).notices).toEqual([`Your progress file could not be read (it is not valid JSON), so it was moved aside to ${join(shown, 'progress.json')}.corrupt-2026-11-28T10-00-00-000Z and you start afresh.`]);
    });

    test('not read, and left as it was, when the lock is busy', () => {
      const { folder, shown } = home();
      writeFileSync(join(folder, 'progress.json'), 'not json');
      writeFileSync(join(folder, 'progress.json.lock'), '');
      const store = openProgress(folder, { lock: { waitUpToMs: 50, staleAfterMs: 3_600_000 } });
      expect(store.notices).toEqual([`Your progress file ${join(shown, 'progress.json')} could not be read (it is not valid JSON); starting afresh without changing it.`]);
      expect(store.update(() => undefined)).toEqual([`Progress was not saved: another jwt-vs-oauth (a process) held its lock file for more than 0.05 s. If no other jwt-vs-oauth is running, delete ${join(shown, 'progress.json')}.lock.`]);
    });

    test('unwritable folder', () => {
      const { folder, shown } = home();
      writeFileSync(join(folder, 'blocked'), 'not a folder');
      expect(openProgress(join(folder, 'blocked')).update(() => undefined)[0]).toMatch(new RegExp(`^Progress cannot be saved in ${escapeRegExp(join(shown, 'blocked'))} \\((EEXIST|ENOTDIR)\\);`));
    });

    test('not a file, a symbolic link, cannot be opened', () => {
      const { folder, shown } = home();
      mkdirSync(join(folder, 'progress.json'));
      expect(() => openProgress(folder)).toThrow(expect.objectContaining({ message: `Your progress file ${join(shown, 'progress.json')} is a folder; progress is kept in a plain file.` }));
      const linked = home();
      symlinkSync(join(linked.folder, 'nowhere'), join(linked.folder, 'progress.json'));
      expect(() => openProgress(linked.folder)).toThrow(expect.objectContaining({ message: `Your progress file ${join(linked.shown, 'progress.json')} is a symbolic link; progress is kept in a plain file, and a link is not followed (nothing was read or changed).` }));
      // A name longer than any file system allows cannot be opened, even by root.
      const tooLong = home();
      const long = `${RAW}${'n'.repeat(300)}`;
      expect(() => openProgress(join(tooLong.folder, long))).toThrow(expect.objectContaining({ code: 'ERR_PROGRESS_UNREADABLE', message: `Your progress file ${join(tooLong.shown, `${SHOWN}${'n'.repeat(300)}`, 'progress.json')} cannot be opened (ENAMETOOLONG).` }));
    });

    test('a folder moved aside from the lock\'s place', () => {
      const { folder, shown } = home();
      mkdirSync(join(folder, 'progress.json.lock'));
      writeFileSync(join(folder, 'progress.json.lock', 'kept'), '');
      utimesSync(join(folder, 'progress.json.lock'), LONG_AGO, LONG_AGO);
      expect(openProgress(folder, { now }).update(() => undefined)).toEqual([`A folder was in the place of the progress lock ${join(shown, 'progress.json.lock')} (this tool makes only plain lock files); it was moved aside to ${join(shown, 'progress.json.lock')}.stale-2026-11-28T10-00-00-000Z, with everything in it.`]);
    });
  });

  test('dates written by this tool, with or without milliseconds or an offset, are kept', () => {
    const dates = { firstActivity: '2026-01-31T09:30:00Z', lastActivity: '2026-02-01T10:00:00.123+05:30' };
    expect(validateProgress({ version: 1, exercises: { ...dates, passed: { a: { at: new Date(0).toISOString() } } } }).exercises).toMatchObject(dates);
  });

  test('tutorial --reset and --list through the CLI', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    writeFileSync(join(home, 'progress.json'), JSON.stringify({ version: 1, tutorial: { completed: [1, 2], position: { lesson: 3, screen: 1 } }, exercises: {}, seed: 'abc' }));
    const listed = await runCli(['tutorial', '--list', '--json'], { env: { JWT_VS_OAUTH_HOME: home } });
    const json = JSON.parse(listed.stdout);
    expect(json.lessons.filter((row: { done: boolean }) => row.done).map((row: { number: number }) => row.number)).toEqual([1, 2]);
    expect(json.resume).toEqual({ lesson: 3, screen: 1 });
    const human = await runCli(['tutorial', '--list'], { env: { JWT_VS_OAUTH_HOME: home } });
    expect(human.stdout).toMatch(/^✓ {2}1\. What API authentication is/m);
    expect(human.stdout).toContain('← continue at screen 2');
    expect((await runCli(['tutorial', '--reset', '2'], { env: { JWT_VS_OAUTH_HOME: home } })).stderr).toBe('Lesson 2 reset.\n');
    expect(JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8')).tutorial.completed).toEqual([1]);
    await runCli(['tutorial', '--reset', '--yes'], { env: { JWT_VS_OAUTH_HOME: home } });
    expect(JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8')).tutorial).toEqual({ completed: [] });
    expect((await runCli(['tutorial', '42'], { env: { JWT_VS_OAUTH_HOME: home } })).code).toBe(2);
  });

  test('without a terminal, tutorial never waits: one line, exit 0', async () => {
    const result = await runCli(['tutorial'], { env: { JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-')) } });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('The tutorial is interactive and needs a terminal. To read it instead: jwt-vs-oauth tutorial --plain (or tutorial 3 --plain for one lesson); from this clone: node dist/bin.js tutorial --plain.\n');
  });
});
