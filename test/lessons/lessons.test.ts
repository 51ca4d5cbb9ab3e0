// The lesson validator: every lesson file fits the schema, ids are unique, every lesson has the
// shape the tutorial promises, every command a lesson shows parses against the real CLI, every
// hands-on step runs (through --plain, for every lesson), and a step that shows a command shows
// exactly what ran.

import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, test } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { createContext } from '../../src/cli/context.js';
import { commandLineWords as commandWords } from '../../src/lessons/solution-commands.js';
import { loadLessons } from '../../src/lessons/loader.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { isCommandScreen, type CommandScreen, type Lesson, type RunScreen } from '../../src/lessons/schema.js';
import { assessSecret } from '../../src/jwt/secret-strength.js';
import { runCli } from '../helpers/cli.js';

const tutorial = loadLessons(join(lessonsFolder(), 'tutorial'));
const lessonNumbered = (number: number): Lesson => tutorial.find((lesson) => lesson.number === number)!;
const runScreens = (lesson: Lesson) => lesson.screens.filter((screen): screen is RunScreen => screen.type === 'run');
const commandScreens = (lesson: Lesson) => runScreens(lesson).filter(isCommandScreen);
/** A command step's subcommand: "mint", "verify", "decode". */
const subcommandOf = (screen: CommandScreen) => commandWords(screen.command)[1];
/** Whitespace-insensitive, since --plain wraps long lines to its width. */
const squeezed = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Parses `jwt-vs-oauth …` against the real commands without running them; returns the problems. */
async function parseAgainstCli(line: string): Promise<string[]> {
  const program = await buildProgram(createContext({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {} }, () => ({}), () => 0));
  const [name, ...args] = commandWords(line).slice(1);
  const command = program.commands.find((candidate: Command) => candidate.name() === name || candidate.aliases().includes(name!));
  if (!command) return [`unknown command ${name}`];
  const { unknown } = command.parseOptions(args);
  const problems = unknown.filter((arg) => arg.startsWith('-')).map((arg) => `unknown option ${arg}`);
  for (const option of command.options) {
    const index = args.indexOf(option.long!);
    if (index >= 0 && option.required && (args[index + 1] === undefined || args[index + 1]!.startsWith('--'))) problems.push(`${option.long} needs a value`);
  }
  return problems;
}

describe('the tutorial lessons', () => {
  test('the ten lessons of the article, then the lessons beyond it, numbered 1 to 15, with unique ids', () => {
    expect(tutorial.map((lesson) => lesson.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(new Set(tutorial.map((lesson) => lesson.id)).size).toBe(15);
  });

  test.each(tutorial.map((lesson) => [lesson.number, lesson] as const))('lesson %i: 3 to 8 screens, a hands-on step, a question', (_number, lesson) => {
    expect(lesson.screens.length).toBeGreaterThanOrEqual(3);
    expect(lesson.screens.length).toBeLessThanOrEqual(8);
    expect(lesson.screens.some((screen) => screen.type === 'run')).toBe(true);
    expect(lesson.screens.some((screen) => screen.type === 'question')).toBe(true);
  });

  test('every command a lesson shows parses against the real CLI', async () => {
    const commands = tutorial.flatMap((lesson) => lesson.screens.flatMap((screen) => [
      ...(screen.type === 'run' && isCommandScreen(screen) ? [screen.command] : []),
      ...('body' in screen ? screen.body.flatMap((paragraph) => [...paragraph.matchAll(/jwt-vs-oauth [a-z]+(?: [^.,;:)]*)?/g)].map((match) => match[0])) : []),
    ]));
    expect(commands.length).toBeGreaterThan(10);
    const problems = (await Promise.all(commands.map(async (command) => ({ command, problems: await parseAgainstCli(command.replace(/<name>/, 'csrf')) })))).filter((entry) => entry.problems.length);
    expect(problems).toEqual([]);
  });

  test('the checker itself catches a bad command', async () => {
    expect(await parseAgainstCli('jwt-vs-oauth mint --frobnicate')).toEqual(['unknown option --frobnicate']);
    expect(await parseAgainstCli('jwt-vs-oauth teleport')).toEqual(['unknown command teleport']);
  });

  test.each(tutorial.map((lesson) => [lesson.number] as const))('--plain lesson %i: every hands-on step runs, answers at the end', async (number) => {
    const result = await runCli(['tutorial', String(number), '--plain']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lesson = tutorial.find((candidate) => candidate.number === number)!;
    expect(result.stdout).toContain(`Lesson ${number}: ${lesson.title}`);
    expect(result.stdout).toContain(`Answers to lesson ${number}`);
    expect(result.stdout).not.toContain('(shown in the hands-on step above)');
    expect(result.stdout).not.toContain('\u001b[');
  });

  // A frozen clock, so the lesson's run and the learner's run of the same command print the same.
  const NOW = 1_795_000_000;

  test.each([3, 9, 10])('lesson %i: each mint, verify and decode step prints exactly what its shown command prints', async (number) => {
    const lesson = lessonNumbered(number);
    const plain = (await runCli(['tutorial', String(number), '--plain'], { now: NOW })).stdout;
    const lines = plain.split('\n');
    // The tokens the lesson made, read off its output, under the names its commands use.
    const saved = new Map<string, string>();
    for (const screen of runScreens(lesson)) {
      const mints = isCommandScreen(screen) && subcommandOf(screen) === 'mint';
      if (!mints && !(!isCommandScreen(screen) && screen.demo === 'tamper')) continue;
      const marker = mints ? `Runs: ${screen.command}` : 'kept the old signature:';
      const at = lines.findIndex((text) => text.includes(marker));
      const token = lines.slice(at + 1).find((text) => text.trim() !== '')!.trim();
      saved.set(String(isCommandScreen(screen) ? screen.save : screen.args?.save), token);
    }
    const checked = commandScreens(lesson).filter((screen) => !screen.with && (subcommandOf(screen) === 'verify' || subcommandOf(screen) === 'decode'));
    expect(checked.length).toBeGreaterThan(0);
    for (const screen of checked) {
      const argv = commandWords(screen.command).slice(1).map((word) => {
        const name = /^\{\{(\w+)\}\}$/.exec(word)?.[1];
        if (!name) return word;
        const token = saved.get(name);
        expect(token, `${screen.command}: ${word} is a token an earlier step saved`).toBeDefined();
        return token!;
      });
      const learner = await runCli(argv, { now: NOW });
      expect(learner.stderr).toBe('');
      expect(learner.stdout).toMatch(/^(Verifying a JWT|A signed JWT)/);
      expect(squeezed(plain)).toContain(squeezed(learner.stdout));
    }
  });

  test('lesson 9 shows the year it verifies in and the audience it pins, and that is what ran', async () => {
    const step = commandScreens(lessonNumbered(9)).find((screen) => subcommandOf(screen) === 'verify' && !screen.with)!;
    expect(step.command).toContain('--at 2099-01-01T00:00:00Z');
    expect(step.command).toContain('--aud practice-api');
    const plain = (await runCli(['tutorial', '9', '--plain'], { now: NOW })).stdout;
    expect(plain).toContain('(time: 2099-01-01T00:00:00Z from --at, clock tolerance 0 s)');
    expect(plain).toContain('✓ aud        "practice-api" includes "practice-api"');
  });

  test('lessons 8 and 9 check tokens with verify --typ at+jwt: the access token passes, the ID token is refused by typ and aud', async () => {
    for (const number of [8, 9]) expect(commandScreens(lessonNumbered(number)).some((screen) => /^jwt-vs-oauth verify .*--typ at\+jwt/.test(screen.command))).toBe(true);
    const eight = (await runCli(['tutorial', '8', '--plain'])).stdout;
    expect(eight).toContain('✓ typ        "at+jwt" as expected');
    expect(eight).toMatch(/✓ VALID /);
    const nine = (await runCli(['tutorial', '9', '--plain'])).stdout;
    expect(nine).toMatch(/✓ signature {2}valid RS256 signature/);
    expect(nine).toContain('✗ typ        "JWT", expected "at+jwt"');
    expect(nine).toMatch(/✗ aud {8}"demo-app", expected "http:\/\/127\.0\.0\.1:\d+\/userinfo"/);
  });

  test('--plain lesson 5: the demo flow prints under its heading, after the lesson\'s opening; the command that runs the same flow is named as prose, never as "Try it"', async () => {
    const { stdout } = await runCli(['tutorial', '5', '--plain']);
    const heading = stdout.indexOf('The flow, for real\n---');
    const named = stdout.indexOf('Outside the tutorial, jwt-vs-oauth oauth --no-browser runs the same flow');
    expect(stdout.indexOf('Lesson 5: OAuth')).toBe(0);
    expect(heading).toBeGreaterThan(0);
    expect(named).toBeGreaterThan(heading);
    expect(stdout).not.toContain('Runs: jwt-vs-oauth oauth');
    expect(stdout.indexOf('Step 1 of 8')).toBeGreaterThan(named);
    expect(stdout.indexOf('Question 1:')).toBeGreaterThan(stdout.indexOf('Step 8 of 8'));
  });

  test('every secret a lesson step uses is random, not human-made (RFC 8725 §3.5), and is called a demo secret', () => {
    const secrets = tutorial.flatMap((lesson) => runScreens(lesson).flatMap((screen) => [...(isCommandScreen(screen) ? [screen.command] : screen.body).join(' ').matchAll(/--secret (\S+)/g)].map((match) => ({ lesson: lesson.number, secret: match[1]! }))));
    expect(secrets.length).toBeGreaterThan(4);
    expect(secrets.filter(({ secret }) => assessSecret(secret).weak)).toEqual([]);
    for (const number of [2, 3]) expect(runScreens(lessonNumbered(number)).some((screen) => screen.body.some((paragraph) => /demo secret/.test(paragraph) && /openssl rand -base64 32/.test(paragraph)))).toBe(true);
  });

  test('lesson 3 points at the weak-secret warning with a command that shows it', async () => {
    const mintStep = commandScreens(lessonNumbered(3)).find((screen) => subcommandOf(screen) === 'mint')!;
    const shown = mintStep.body.join(' ').match(/jwt-vs-oauth mint --secret \S+ --sub asha/)![0];
    const result = await runCli(commandWords(shown).slice(1));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/! warning \(weak-secret\): .*openssl rand -base64 32 \(RFC 8725 §3\.5\)/);
  });
});

describe('lesson files that do not fit are refused, naming the file and the field', () => {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-lessons-'));
  const write = (name: string, content: unknown) => {
    const sub = join(folder, name.replace(/\W/g, ''));
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'lesson.json'), typeof content === 'string' ? content : JSON.stringify(content));
    return sub;
  };
  const good = { id: 'x', number: 1, title: 'T', summary: 'S', screens: [{ type: 'text', body: ['hello'] }] };
  test.each([
    ['not JSON', '{', /lesson\.json: not valid JSON/],
    ['a bad id', { ...good, id: 'Not OK' }, /lesson\.json: "id": must be lower-case letters, digits and dashes/],
    ['an unknown screen type', { ...good, screens: [{ type: 'video' }] }, /screens\[0\]\.type: must be "text", "run" or "question"/],
    ['an unknown demo', { ...good, screens: [{ type: 'run', body: ['b'], demo: 'hack' }] }, /lesson\.json: screens\[0\]\.demo: must be one of practice-requests, /],
    ['a run screen with neither command nor demo', { ...good, screens: [{ type: 'run', body: ['b'], action: 'mint' }] }, /lesson\.json: screens\[0\]: a run screen gives either "command" \(a jwt-vs-oauth command it runs\) or "demo" \(a named demo\), exactly one of the two/],
    ['a run screen with both', { ...good, screens: [{ type: 'run', body: ['b'], demo: 'discovery', command: 'jwt-vs-oauth decode x' }] }, /lesson\.json: screens\[0\]: a run screen gives either "command"/],
    ['an old-style action beside a command', { ...good, screens: [{ type: 'run', body: ['b'], action: 'decode', command: 'jwt-vs-oauth decode x' }] }, /lesson\.json: screens\[0\]\.action: is not a field of a command step \(it has type, title, body, after, command, save, with\)/],
    ['a demo argument it does not take', { ...good, screens: [{ type: 'run', body: ['b'], demo: 'practice-login', args: { sav: 'token' } }] }, /lesson\.json: screens\[0\]\.args\.sav: is not an argument of the practice-login demo \(it takes save\)/],
    ['a demo argument that is not a string', { ...good, screens: [{ type: 'run', body: ['b'], demo: 'practice-login', args: { save: 3 } }] }, /lesson\.json: screens\[0\]\.args\.save: must be a non-empty string/],
    ['a demo without an argument it needs', { ...good, screens: [{ type: 'run', body: ['b'], demo: 'tamper', args: { token: 'token', claim: 'sub', value: 'admin' } }] }, /lesson\.json: screens\[0\]\.args\.save: the tamper demo needs it/],
    ['a {{name}} no earlier screen makes', { ...good, screens: [{ type: 'run', body: ['b'], command: 'jwt-vs-oauth mint --secret s --sub asha', save: 'token' }, { type: 'run', body: ['b'], command: 'jwt-vs-oauth decode {{tokn}}' }] }, /lesson\.json: screens\[1\]\.command: \{\{tokn\}\} is made by no earlier screen of this lesson \(made so far: token\)/],
    ['a {{name}} a later screen makes', { ...good, screens: [{ type: 'run', body: ['b'], command: 'jwt-vs-oauth decode {{token}}' }, { type: 'run', body: ['b'], command: 'jwt-vs-oauth mint --secret s', save: 'token' }] }, /lesson\.json: screens\[0\]\.command: \{\{token\}\} is made by no earlier screen of this lesson \(made so far: nothing\)/],
    ['{{issuer}} without Mock Google', { ...good, screens: [{ type: 'run', body: ['b'], command: 'jwt-vs-oauth decode {{accessToken}}', with: 'sign-in' }, { type: 'run', body: ['b'], command: 'jwt-vs-oauth verify {{accessToken}} --discover {{issuer}}' }] }, /lesson\.json: screens\[1\]\.command: uses --discover, which reaches the network; only a step that runs Mock Google \("with": "mock-google"\) may use it/],
    ['a {{name}} inside a longer word', { ...good, screens: [{ type: 'run', body: ['b'], command: 'jwt-vs-oauth verify {{accessToken}} --aud={{api}}', with: 'mock-google' }] }, /lesson\.json: screens\[0\]\.command: puts a \{\{name\}\} inside a longer word \("--aud=\{\{api\}\}"\)/],
    ['an unknown with', { ...good, screens: [{ type: 'run', body: ['b'], command: 'jwt-vs-oauth decode {{accessToken}}', with: 'google' }] }, /lesson\.json: screens\[0\]\.with: must be "mock-google" or "sign-in"/],
    ['a save that is not a name', { ...good, screens: [{ type: 'run', body: ['b'], command: 'jwt-vs-oauth mint --secret s', save: 'my token' }] }, /lesson\.json: screens\[0\]\.save: must be a name such as "token"/],
    ['an answer out of range', { ...good, screens: [{ type: 'question', kind: 'choice', prompt: 'p', choices: ['a', 'b'], answer: 2, explanation: 'e' }] }, /lesson\.json: screens\[0\]\.answer: must be the index of one of the choices/],
    ['a question without an explanation', { ...good, screens: [{ type: 'question', kind: 'choice', prompt: 'p', choices: ['a', 'b'], answer: 0 }] }, /lesson\.json: screens\[0\]\.explanation: must say why the answer is right/],
    ['a command outside the allowlist', { ...good, screens: [{ type: 'run', body: ['b'], command: 'jwt-vs-oauth provider --port 0' }] }, /lesson\.json: screens\[0\]\.command: is not a jwt-vs-oauth decode, mint or verify command/],
  ])('%s', (name, content, message) => {
    expect(() => loadLessons(write(name, content))).toThrow(message);
  });

  test('a translation is used when it exists, English otherwise', () => {
    const sub = join(folder, 'translated');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'one.json'), JSON.stringify(good));
    writeFileSync(join(sub, 'one.hi.json'), JSON.stringify({ ...good, title: 'पहला पाठ' }));
    writeFileSync(join(sub, 'two.json'), JSON.stringify({ ...good, id: 'y', number: 2 }));
    expect(loadLessons(sub, 'hi').map((lesson) => lesson.title)).toEqual(['पहला पाठ', 'T']);
    expect(loadLessons(sub, 'en').map((lesson) => lesson.title)).toEqual(['T', 'T']);
  });
});
