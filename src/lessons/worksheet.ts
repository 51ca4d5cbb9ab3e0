// A worksheet: a learner's seeded tasks as one Markdown document, for paper or an LMS, and with
// `answers` the teacher's key (the answers computed from the seed, as `solution` shows them).
// Everything from an exercise file is Markdown-escaped; the material (tokens, keys) is set as code,
// which needs no escaping and copies exactly.

import type { Exercise } from './exercise-schema.js';
import { materialFor } from './exercises.js';
import { fillTemplate, type Material } from './material.js';

export interface WorksheetEntry {
  id: string;
  title: string;
  topic: string;
  task: string[];
  choices: string[] | null;
  /** The answers `check` takes, by name and in order (a token, then a secret, for one exercise). */
  answerNames: string[];
  /** Only with answers: the teacher's key. */
  key?: { answers: string[]; commands: string[]; explain: string[] };
}

const LETTERS = 'abcdefghij';

/** The answers as the solution gives them: `{{output.1}}` is the token the first command prints. */
function keyAnswers(exercise: Exercise, material: Material): string[] {
  return exercise.solution.answers.map((answer) => fillTemplate(answer, material).replace(/\{\{output\.(\d)\}\}/g, (_match, index: string) => `(the token printed by command ${index})`));
}

/** An answer in Markdown: a choice with its text, a description in italics, a value as code. */
function answerMarkdown(exercise: Exercise, answer: string): string {
  const letter = answer.length === 1 ? LETTERS.indexOf(answer.toLowerCase()) : -1;
  if (exercise.choices && letter >= 0 && letter < exercise.choices.length) return `(${LETTERS[letter]}) ${escapeMarkdown(exercise.choices[letter]!, false)}`;
  return /^\(.*\)$/.test(answer) ? `*${escapeMarkdown(answer, false)}*` : code(answer);
}

export function worksheetEntries(exercises: Exercise[], seed: string, withAnswers: boolean): WorksheetEntry[] {
  return exercises.map((exercise) => {
    const material = materialFor(exercise, seed);
    const entry: WorksheetEntry = {
      id: exercise.id,
      title: exercise.title,
      topic: exercise.topic,
      task: exercise.task.map((paragraph) => fillTemplate(paragraph, material)),
      choices: exercise.choices ?? null,
      answerNames: exercise.answerNames,
    };
    if (withAnswers) {
      entry.key = {
        answers: keyAnswers(exercise, material),
        commands: (exercise.solution.commands ?? []).map((line) => fillTemplate(line, material)),
        explain: exercise.solution.explain.map((paragraph) => fillTemplate(paragraph, material)),
      };
    }
    return entry;
  });
}

export interface WorksheetOptions {
  seed: string;
  /** The pack folder in use, as given: the check command on the sheet needs it to find the pack's exercises. */
  pack?: string;
  answers: boolean;
  title?: string;
}

/** The sheet as Markdown (CommonMark; GitHub's and most LMS editors' flavour). */
export function worksheetMarkdown(exercises: Exercise[], options: WorksheetOptions): string {
  const { seed } = options;
  const lines: string[] = [`# ${escapeMarkdown(options.title ?? 'JWT and OAuth exercises')}${options.answers ? ' (teacher\'s key)' : ''}`, ''];
  if (options.answers) lines.push('**Teacher\'s key: the answers are below each task. Do not hand this sheet out.**', '');
  lines.push(
    `These tasks were made for the seed ${code(seed)}: its tokens and values are this seed's own. On a computer, check an answer with`,
    '',
    fence(`jwt-vs-oauth exercises ${options.pack === undefined ? '' : `--pack ${shellWord(options.pack.startsWith('-') ? `./${options.pack}` : options.pack)} `}--seed ${shellWord(seed)} check <id> <answer>`, 'sh'),
    '',
  );
  exercises.forEach((exercise, index) => {
    const material = materialFor(exercise, seed);
    lines.push(`## ${index + 1}. ${escapeMarkdown(exercise.title)}`, '', `${code(exercise.id)} · ${escapeMarkdown(exercise.topic)}`, '');
    for (const paragraph of exercise.task) lines.push(markdownWithMaterial(paragraph, material), '');
    if (exercise.choices) {
      exercise.choices.forEach((choice, choiceIndex) => lines.push(`- (${LETTERS[choiceIndex]}) ${escapeMarkdown(choice)}`));
      lines.push('');
    }
    if (!options.answers) {
      const blank = '\\_'.repeat(40);
      const names = exercise.answerNames;
      lines.push(names.length === 1 ? `Answer: ${blank}` : names.map((name) => `${escapeMarkdown(name[0]!.toUpperCase() + name.slice(1))}: ${blank}`).join('  \n'), '');
      return;
    }
    const answers = keyAnswers(exercise, material);
    lines.push(`**Answer${answers.length > 1 ? 's' : ''}:** ${answers.map((answer) => answerMarkdown(exercise, answer)).join(' then ')}`, '');
    const commands = (exercise.solution.commands ?? []).map((line) => fillTemplate(line, material));
    if (commands.length) lines.push(commands.length === 1 ? 'Command:' : 'Commands, in order:', '', fence(commands.map((line) => `$ ${line}`).join('\n'), 'sh'), '');
    for (const paragraph of exercise.solution.explain) lines.push(markdownWithMaterial(paragraph, material), '');
  });
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/**
 * A task paragraph: its own text escaped, each {{value}} from the material as code (a value of
 * several lines, such as a PEM key, as a fenced block of its own).
 */
function markdownWithMaterial(template: string, material: Material): string {
  const parts = template.split(/(\{\{[\w.]+\}\})/);
  let text = '';
  for (const part of parts) {
    const name = /^\{\{([\w.]+)\}\}$/.exec(part)?.[1];
    if (name === undefined || !Object.hasOwn(material, name)) {
      text += escapeMarkdown(part, text === '' || text.endsWith('\n'));
      continue;
    }
    const value = material[name]!;
    text += value.includes('\n') ? `\n\n${fence(value.replace(/\n+$/, ''))}\n\n` : code(value);
  }
  return text.trim();
}

/**
 * Backslash-escapes what Markdown would read as markup; &, < and > as entities (read the same by
 * every flavour). A marker that starts a block (# - + = 1.) matters only at the start of a line:
 * `atLineStart` says whether the text begins one.
 */
export function escapeMarkdown(text: string, atLineStart = true): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]#|~$]/g, '\\$&')
    .replace(/^(\s*)([-+=]|\d+(?=[.)]))/gm, (match: string, space: string, marker: string, offset: number) => (offset === 0 && !atLineStart ? match : /^\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`));
}

/** An inline code span that holds `value` exactly, whatever backticks it contains. */
function code(value: string): string {
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((match) => match[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${value}${pad}${ticks}`;
}

function fence(value: string, language = ''): string {
  const longest = Math.max(0, ...[...value.matchAll(/`{3,}/g)].map((match) => match[0].length));
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  return `${ticks}${language}\n${value}\n${ticks}`;
}

/** A seed or a folder as one shell word: as it is when plain, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w.@%+=:,/-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
