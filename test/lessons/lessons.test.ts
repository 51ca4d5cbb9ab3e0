// The lesson validator: every lesson file fits the schema, ids are unique, every lesson has the
// shape the tutorial promises, every command a lesson shows parses against the real CLI, and
// every hands-on step runs (through --plain, for every lesson).

import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, test } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { createContext } from '../../src/cli/context.js';
import { loadLessons } from '../../src/lessons/loader.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { runCli } from '../helpers/cli.js';

const tutorial = loadLessons(join(lessonsFolder(), 'tutorial'));

/** Splits a shell-like command line: double quotes group, $VARS stay as words. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
}

/** Parses `jwt-vs-oauth …` against the real commands without running them; returns the problems. */
function parseAgainstCli(line: string): string[] {
  const program = buildProgram(createContext({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {} }, () => ({}), () => 0));
  const [name, ...args] = shellWords(line).slice(1);
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
  test('ten lessons, numbered 1 to 10 in the article\'s order, with unique ids', () => {
    expect(tutorial.map((lesson) => lesson.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(tutorial.map((lesson) => lesson.id)).size).toBe(10);
  });

  test.each(tutorial.map((lesson) => [lesson.number, lesson] as const))('lesson %i: 3 to 8 screens, a hands-on step, a question', (_number, lesson) => {
    expect(lesson.screens.length).toBeGreaterThanOrEqual(3);
    expect(lesson.screens.length).toBeLessThanOrEqual(8);
    expect(lesson.screens.some((screen) => screen.type === 'run')).toBe(true);
    expect(lesson.screens.some((screen) => screen.type === 'question')).toBe(true);
  });

  test('every command a lesson shows parses against the real CLI', () => {
    const commands = tutorial.flatMap((lesson) => lesson.screens.flatMap((screen) => [
      ...(screen.type === 'run' && screen.command ? [screen.command] : []),
      ...('body' in screen ? screen.body.flatMap((paragraph) => [...paragraph.matchAll(/jwt-vs-oauth [a-z]+(?: [^.,;:)]*)?/g)].map((match) => match[0])) : []),
    ]));
    expect(commands.length).toBeGreaterThan(10);
    const problems = commands.map((command) => ({ command, problems: parseAgainstCli(command.replace(/<name>/, 'csrf')) })).filter((entry) => entry.problems.length);
    expect(problems).toEqual([]);
  });

  test('the checker itself catches a bad command', () => {
    expect(parseAgainstCli('jwt-vs-oauth mint --frobnicate')).toEqual(['unknown option --frobnicate']);
    expect(parseAgainstCli('jwt-vs-oauth teleport')).toEqual(['unknown command teleport']);
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
    ['an unknown action', { ...good, screens: [{ type: 'run', body: ['b'], action: 'hack' }] }, /screens\[0\]\.action: must be one of/],
    ['an answer out of range', { ...good, screens: [{ type: 'question', kind: 'choice', prompt: 'p', choices: ['a', 'b'], answer: 2, explanation: 'e' }] }, /screens\[0\]\.answer: must be the index of one of the choices/],
    ['a question without an explanation', { ...good, screens: [{ type: 'question', kind: 'choice', prompt: 'p', choices: ['a', 'b'], answer: 0 }] }, /screens\[0\]\.explanation: must say why the answer is right/],
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
