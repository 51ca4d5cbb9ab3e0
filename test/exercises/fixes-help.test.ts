// Issue #13's review, F: `exercises --help` and every subcommand's --help read well at 60 and 80
// columns: no line wider than the width; options and commands in two columns, each description
// wrapped under itself (at 60 columns `--pack <dir> add a teacher's…` and `list [options] List
// the exercises…` had lost their columns); notes flowed as paragraphs, not broken where a wider
// terminal once ended them; and teacher-key's description a whole sentence.

import { describe, expect, test } from 'vitest';
import { displayWidth } from '../../src/text/layout.js';
import { runCli } from '../helpers/cli.js';

const SUBCOMMANDS = ['list', 'show', 'start', 'check', 'hint', 'solution', 'teacher-key', 'selftest', 'progress', 'report', 'worksheet', 'reset'];
const WIDTHS = [60, 80] as const;

async function help(words: string[], width: number): Promise<string> {
  const result = await runCli(['exercises', ...words, '--help'], { env: { COLUMNS: String(width) } });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** The lines of a section ("Options:", "Commands:", "Arguments:") up to the blank line that ends it. */
function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`${title}:`);
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && line === '');
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** What is wrong with a two-column section: a term without its description beside it, or a description line not under the column. */
function columnProblems(lines: string[]): string[] {
  if (lines.length === 0) return [];
  const column = /^ {2}\S.*? {2,}(?=\S)/.exec(lines[0]!)?.[0].length;
  if (column === undefined) return [`no description column: ${lines[0]}`];
  return lines.flatMap((line) => {
    if (/^ {2}\S/.test(line)) return /^ {2}\S.*? {2,}\S/.test(line) && line.slice(0, column).endsWith('  ') && line[column] !== ' ' ? [] : [`term and description not in their columns: ${line}`];
    return line.startsWith(' '.repeat(column)) && line[column] !== ' ' ? [] : [`not under the description column (${column}): ${line}`];
  });
}

/**
 * Lines broken where a wider terminal once ended them: a line, not the end of a sentence or a
 * heading, whose next line's first word would have fitted on it.
 */
function raggedLines(text: string, width: number): string[] {
  const lines = text.split('\n');
  return lines.flatMap((line, index) => {
    const next = lines[index + 1] ?? '';
    if (!line || !next || /^\s/.test(next) || /[.:]$/.test(line) || /\\$/.test(line) || /^\s/.test(line)) return [];
    const firstWord = next.split(' ')[0]!;
    return displayWidth(line) + 1 + displayWidth(firstWord) <= width ? [`${line} ⏎ ${next}`] : [];
  });
}

describe('exercises --help', () => {
  test.each(WIDTHS)('at %i columns: options and commands keep their two columns', async (width) => {
    const text = await help([], width);
    for (const line of text.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    expect(columnProblems(section(text, 'Options'))).toEqual([]);
    expect(columnProblems(section(text, 'Commands'))).toEqual([]);
    expect(section(text, 'Commands').join('\n')).toMatch(/^ {2}check <id> \[answer\.\.\.\] {2}Check your answer/m);
    expect(raggedLines(text, width)).toEqual([]);
  });

  test('teacher-key\'s description is a whole sentence, in the list and in its own help', async () => {
    const sentence = 'For teachers: make a pack\'s teacherKey (a salted scrypt hash of a passphrase you keep), which --teacher asks for; prints the pack.json with it, or --write saves it into the pack\'s pack.json';
    const flowed = (text: string) => text.replace(/\s+/g, ' ');
    expect(flowed(section(await help([], 80), 'Commands').join('\n'))).toContain(`teacher-key ${sentence} selftest`);
    expect(flowed(await help(['teacher-key'], 80))).toContain(`${sentence} Options:`);
  });
});

describe('each exercises subcommand\'s --help', () => {
  test.each(SUBCOMMANDS.flatMap((name) => WIDTHS.map((width) => [name, width] as const)))('%s at %i columns', async (name, width) => {
    const text = await help([name], width);
    for (const line of text.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    expect(columnProblems(section(text, 'Options'))).toEqual([]);
    expect(columnProblems(section(text, 'Arguments'))).toEqual([]);
    expect(raggedLines(text, width)).toEqual([]);
  });
});
