// A hands-on step whose command fails (exit 2: bad input, a key it could not fetch) is not a bug
// and does not end the tutorial: the step shows what the command said, says it failed and what to
// do, and the lesson goes on. verify's exit 1 (INVALID) is an answer, not a failure. And what runs
// is checked again once its {{names}} are filled: a filled value cannot become an option, and
// {{issuer}} is only ever the Mock Google the step runs.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { runLessonStep, type StepView } from '../../src/cli/lesson-step-view.js';
import type { CommandScreen } from '../../src/lessons/schema.js';
import { validateLesson } from '../../src/lessons/schema.js';
import { createOutput, NO_COLOURS } from '../../src/cli/output.js';
import { run } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from './recording-server.js';

/** Where the lesson's `verify --discover` is sent instead of its Mock Google, when set: a server that never answers. */
const slow = vi.hoisted(() => ({ issuer: '' }));

vi.mock('../../src/cli/run.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/cli/run.js')>();
  return {
    ...original,
    // Mock Google too slow to answer, as on a loaded machine: the real verify runs, and times out.
    runCaptured: (argv: string[], options?: Parameters<typeof original.runCaptured>[1]) => {
      const at = argv.indexOf('--discover');
      if (at < 0 || slow.issuer === '') return original.runCaptured(argv, options);
      return original.runCaptured([...argv.slice(0, at + 1), slow.issuer, ...argv.slice(at + 2), '--timeout', '300ms'], options);
    },
  };
});

const SECRET = 'awXVDNBCj23Lg9BeZ8VYeDpgWgbLqykaAgbOV5h2xBo=';
const OTHER_SECRET = 'PbvDNisJf9teQsO6HmR7vzM5gfyj4WkVfIKvXdDiQZI=';

/** A hands-on context with captured output; `interactive` as on a terminal, else as in --plain. */
function handsOnContext(interactive: boolean, saved: Record<string, string> = {}): StepView & { talked: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let talked = '';
  stderr.on('data', (chunk) => (talked += chunk));
  return {
    output: createOutput({ stdout, stderr, stdin: new PassThrough(), env: {} }, NO_COLOURS),
    now: () => Math.floor(Date.now() / 1000),
    width: 100,
    saved: new Map(Object.entries(saved)),
    pause: async () => undefined,
    interactive,
    talked: () => talked,
  };
}

/** A command step as a lesson file gives it (only the engine runs it here: no file, so no validator in the way). */
const step = (command: string, fields: Partial<CommandScreen> = {}): CommandScreen => ({ type: 'run', body: ['b'], command, ...fields });
const runHandsOn = runLessonStep;

describe('a step whose command fails shows why, and the lesson goes on', () => {
  test('verify exits 2 (a bad --max-age): what it said, that it failed, and the keys to go on; never "a bug"', async () => {
    const context = handsOnContext(true, { token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln' });
    const { text, commandFailed } = await runHandsOn(step(`jwt-vs-oauth verify {{token}} --secret ${SECRET} --max-age soon`), context);
    expect(commandFailed).toBe(true);
    const lines = text.split('\n');
    expect(lines[0]).toBe('✗ This step\'s command failed (exit 2), so the step has no result.');
    expect(lines[1]).toBe(`  jwt-vs-oauth verify "$TOKEN" --secret ${SECRET} --max-age soon`);
    expect(lines[2]).toBe('  It said:');
    expect(lines[3]).toMatch(/^ {4}error: .*--max-age/);
    expect(lines.at(-1)).toBe('  Press Enter to go on without it, or b and then Enter to run this step again; q quits (progress is kept).');
    expect(text).not.toMatch(/bug|something unexpected|\\n/);
  });

  test('in --plain it says the lesson goes on without it', async () => {
    const { text } = await runHandsOn(step(`jwt-vs-oauth verify {{token}} --secret ${SECRET} --max-age soon`), handsOnContext(false, { token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln' }));
    expect(text.split('\n').at(-1)).toBe('  The lesson goes on without it.');
  });

  test('a mint that fails saves nothing, so the step that uses its token says to go back', async () => {
    const context = handsOnContext(true);
    const minted = await runHandsOn(step(`jwt-vs-oauth mint --secret ${SECRET} --exp forever`, { save: 'token' }), context);
    expect(minted.commandFailed).toBe(true);
    expect(minted.text.split('\n')[0]).toBe('✗ This step\'s command failed (exit 2), so the step has no result. Nothing was saved as $TOKEN.');
    expect(context.saved.has('token')).toBe(false);
    const decoded = await runHandsOn(step('jwt-vs-oauth decode {{token}}'), context);
    expect(decoded).toEqual({ text: expect.stringMatching(/^! This step uses \$TOKEN, which an earlier step of this lesson makes/), commandFailed: false });
  });

  test('verify exit 1 (INVALID) is an answer: the verdict is shown, nothing failed', async () => {
    const context = handsOnContext(true);
    await runHandsOn(step(`jwt-vs-oauth mint --secret ${SECRET} --sub asha`, { save: 'token' }), context);
    const { text, commandFailed } = await runHandsOn(step(`jwt-vs-oauth verify {{token}} --secret ${OTHER_SECRET} --alg HS256`), context);
    expect(commandFailed).toBe(false);
    expect(text).toMatch(/✗ signature/);
    expect(text).not.toContain('This step\'s command failed');
  });
});

describe('what runs is checked again once its {{names}} are filled', () => {
  let server: RecordingServer;
  beforeAll(async () => void (server = await startRecordingServer()));
  afterAll(() => server.close());

  test('a saved value that would be read as an option is not run', async () => {
    const { text, commandFailed } = await runHandsOn(step('jwt-vs-oauth decode {{token}}'), handsOnContext(false, { token: '--help' }));
    expect(commandFailed).toBe(true);
    expect(text.split('\n')[0]).toBe('✗ This step\'s command was not run: the lesson\'s command "jwt-vs-oauth decode {{token}}", once its {{names}} are filled, would fill {{token}} with a word that starts with "-", which is not a token or a value.');
  });

  test('{{issuer}} never comes from a saved value: --discover outside a Mock Google step reaches nothing', async () => {
    const { text, commandFailed } = await runHandsOn(step('jwt-vs-oauth verify {{token}} --discover {{issuer}}'), handsOnContext(false, { token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln', issuer: server.url }));
    expect(commandFailed).toBe(true);
    expect(text).toContain('This step\'s command was not run: the lesson\'s command "jwt-vs-oauth verify {{token}} --discover {{issuer}}" uses --discover, which reaches the network');
    expect(server.requests).toEqual([]);
  });

  test('a demo step cannot carry a command too: the lesson file is refused, so nothing it names is run', () => {
    const lesson = { id: 'x', number: 1, title: 'T', summary: 'S', screens: [{ type: 'run', body: ['b'], demo: 'storage-page', command: `jwt-vs-oauth verify x --jwks ${server.url}/jwks` }] };
    expect(() => validateLesson(lesson, 'lesson.json')).toThrow('lesson.json: screens[0]: a run screen gives either "command" (a jwt-vs-oauth command it runs) or "demo" (a named demo), exactly one of the two');
    expect(server.requests).toEqual([]);
  });
});

describe('lessons 8 and 9 when Mock Google is too slow for verify --discover', () => {
  let hung: Server;
  beforeAll(async () => {
    hung = createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    slow.issuer = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    slow.issuer = '';
    hung.closeAllConnections();
    return new Promise<void>((resolve) => hung.close(() => resolve()));
  });

  test.each([8, 9])('--plain lesson %i: the timeout is shown in the step, the lesson goes on to its answers, exit 0', async (number) => {
    const result = await runCli(['tutorial', String(number), '--plain']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✗ This step\'s command failed (exit 2), so the step has no result.');
    expect(result.stdout).toMatch(/ {4}error: The discovery document at http:\/\/127\.0\.0\.1:\d+\/\.well-known\/openid-configuration .*within 300 ms/);
    expect(result.stdout).toContain('  The lesson goes on without it.');
    expect(result.stdout).toContain(`Answers to lesson ${number}`);
    expect(result.stderr).toMatch(new RegExp(`^! Lesson ${number}, screen \\d: the step's command failed, and the lesson went on without its result \\(the step's output says why\\)\\.\\n$`));
    expect(result.stdout + result.stderr).not.toMatch(/bug in jwt-vs-oauth|something unexpected|\\n/);
  });

  test('on a terminal: the step says so, Enter goes on, and the lesson ends normally', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    writeFileSync(join(home, 'progress.json'), JSON.stringify({ version: 1, tutorial: { completed: [], position: { lesson: 8, screen: 6 } } }));
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin });
    const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 40, getColorDepth: () => 1, end: () => stdout });
    let screen = '';
    stdout.on('data', (chunk) => (screen += chunk));
    const done = run(['tutorial'], { stdin, stdout, stderr: stdout, env: { JWT_VS_OAUTH_HOME: home, NO_COLOR: '1' } });
    const plain = () => screen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    // Lines are laid out to the terminal's width: text is looked for with its line breaks taken out.
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 15_000;
      while (!plain().replace(/\s+/g, ' ').includes(text)) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${text}. Screen:\n${plain().slice(-1500)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
    };
    await waitFor('(screen 7 of 7)');
    await waitFor('Press Enter to go on without it, or b and then Enter to run this step again; q quits (progress is kept).');
    await waitFor('[Enter] continue');
    expect(plain()).toContain('✗ This step\'s command failed (exit 2), so the step has no result.');
    stdin.emit('keypress', undefined, { name: 'enter', ctrl: false, meta: false, shift: false, sequence: '\r' });
    await waitFor('Lesson 8 done. Next: lesson 9');
    // Lesson 9 opens with a demo step, which runs before its prompt: q is pressed at that prompt.
    screen = '';
    await waitFor('[Enter] continue');
    stdin.emit('keypress', 'q', { name: 'q', ctrl: false, meta: false, shift: false, sequence: 'q' });
    expect(await done).toBe(0);
    expect(plain()).not.toMatch(/bug in jwt-vs-oauth|something unexpected/);
  });
});
