// A worksheet: a learner's seeded tasks as one Markdown document, for paper or an LMS, and with
// `answers` the teacher's key (the answers computed from the seed, as `solution` shows them).
// Text from an exercise file is escaped only where Markdown or HTML would read it as markup, so
// the sheet reads well raw (printed as it is) and rendered; text in backticks stays a code span.
// The material (tokens, keys) is set as code, which needs no escaping and copies exactly; on
// paper, long values go in fenced blocks broken into short lines. Given a width (COLUMNS, a
// terminal), no line is wider: prose is wrapped at spaces outside code (soft breaks, which a
// renderer joins), a value too long for a code span on one line goes below as on paper, and
// commands in blocks break between arguments with " \".

import type { Exercise } from './exercise-schema.js';
import { materialFor } from './exercises.js';
import { type Material } from './material.js';
import { fillTemplate, splitAtReferences, wholeReference } from './template.js';
import { LETTERS, choiceIndex } from './choices.js';
import { breakLongWord, displayWidth, layoutCommand } from '../text/layout.js';

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


/** The answers as the solution gives them: `{{output.1}}` is the token the first command prints. */
function keyAnswers(exercise: Exercise, material: Material): string[] {
  const outputs = Object.fromEntries((exercise.solution.commands ?? []).map((_command, index) => [`output.${index + 1}`, `(the token printed by command ${index + 1})`]));
  return exercise.solution.answers.map((answer) => fillTemplate(answer, { ...material, ...outputs }));
}

/** An answer in Markdown: a choice with its text, a description in italics, a value as code. */
function answerMarkdown(exercise: Exercise, answer: string): string {
  // The choice the answer names as the check reads it: b, 2, (b) or the choice's text.
  const index = exercise.check.kind === 'choice' && exercise.choices ? choiceIndex(exercise.choices, answer) : undefined;
  if (index !== undefined) return `(${LETTERS[index]}) ${markdownText(exercise.choices![index]!, false)}`;
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

/** A value longer than this, with no space in it (a token, a challenge), is broken into lines on paper. */
const PAPER_LONG = 40;
/** On paper, long values are printed in lines this long. */
const PAPER_LINE = 64;

export interface WorksheetOptions {
  seed: string;
  /** The pack folder in use, as given: the check command on the sheet needs it to find the pack's exercises. */
  pack?: string;
  answers: boolean;
  title?: string;
  /** For paper: long values in fenced blocks, broken into lines of 64 characters, with a note. */
  paper?: boolean;
  /** The widest line (the output's width); unset or Infinity: lines as long as their paragraphs. */
  width?: number;
}

/** The sheet as Markdown (CommonMark; GitHub's and most LMS editors' flavour). */
export function worksheetMarkdown(exercises: Exercise[], options: WorksheetOptions): string {
  const { seed } = options;
  const paper = Boolean(options.paper);
  const width = options.width ?? Infinity;
  // On paper, or a narrow screen: long values in lines this long.
  const lineLength = Math.min(PAPER_LINE, width);
  const lines: string[] = [`# ${escapeMarkdown(options.title ?? 'JWT and OAuth exercises')}${options.answers ? ' (teacher\'s key)' : ''}`, ''];
  if (options.answers) lines.push('**Teacher\'s key: the answers are below each task. Do not hand this sheet out.**', '');
  const packWord = options.pack === undefined ? '' : `--pack ${shellWord(options.pack.startsWith('-') ? `./${options.pack}` : options.pack)} `;
  lines.push(
    `These tasks were made for the seed ${code(seed)}: its tokens and values are this seed's own. On a computer, check an answer with`,
    '',
    fence(`jwt-vs-oauth exercises ${packWord}--seed ${shellWord(seed)} check <id> <answer>`, 'sh'),
    '',
  );
  if (paper) {
    lines.push(
      `Long values (tokens, challenges) are printed below their task in lines of ${lineLength} characters: each is one line, so type it without the breaks. On a computer, print one to copy with`,
      '',
      fence(`jwt-vs-oauth exercises ${packWord}--seed ${shellWord(seed)} show <id> --material <name>`, 'sh'),
      '',
    );
  }
  exercises.forEach((exercise, index) => {
    const material = materialFor(exercise, seed);
    lines.push(`## ${index + 1}. ${markdownText(exercise.title)}`, '', `${code(exercise.id)} · ${escapeMarkdown(exercise.topic)}`, '');
    for (const paragraph of exercise.task) lines.push(markdownWithMaterial(paragraph, material, paper, width), '');
    if (exercise.choices) {
      exercise.choices.forEach((choice, choiceIndex) => lines.push(`- (${LETTERS[choiceIndex]}) ${markdownText(choice, false)}`));
      lines.push('');
    }
    if (!options.answers) {
      const names = exercise.answerNames;
      const labels = names.length === 1 ? ['Answer'] : names.map((name) => escapeMarkdown(name[0]!.toUpperCase() + name.slice(1)));
      // A line to write on: 40 underscores, fewer on a narrow screen ("\_" is two characters).
      const blank = (label: string) => '\\_'.repeat(Math.max(8, Math.min(40, Math.floor((width - displayWidth(label) - 4) / 2))));
      lines.push(labels.map((label) => `${label}: ${blank(label)}`).join('  \n'), '');
      return;
    }
    // The key in the order `solution` shows it: the explanation, the commands, then the answers
    // (an explanation may speak of "the secret below", the one in the command).
    for (const paragraph of exercise.solution.explain) lines.push(markdownWithMaterial(paragraph, material, false, width), '');
    const commands = (exercise.solution.commands ?? []).map((line) => fillTemplate(line, material));
    if (commands.length) lines.push(commands.length === 1 ? 'Command:' : 'Commands, in order:', '', fence(commands.map((line) => `$ ${line}`).join('\n'), 'sh'), '');
    const answers = keyAnswers(exercise, material);
    lines.push(`**Answer${answers.length > 1 ? 's' : ''}:** ${answers.map((answer) => answerMarkdown(exercise, answer)).join(' then ')}`, '');
  });
  const markdown = lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
  return `${Number.isFinite(width) ? fitMarkdown(markdown, width) : markdown}\n`;
}

/**
 * Markdown with no line wider than `width` where it can be done without changing what it says:
 * a paragraph or list item is wrapped at spaces outside code spans (a soft break, which a renderer
 * joins) and never so that a line starts with a block marker; in a shell block, a command breaks
 * between arguments with " \"; in another block (a key, a long value), a line is cut into lines
 * of `width`. A heading, or a code span wider than a line, stays as it is.
 */
function fitMarkdown(markdown: string, width: number): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const fenceMark = /^(`{3,})(\w*)$/.exec(line);
    if (fenceMark) {
      const close = lines.indexOf(fenceMark[1]!, index + 1);
      const body = lines.slice(index + 1, close);
      out.push(line, ...(fenceMark[2] === 'sh' ? body.flatMap((command) => fitCommand(command, width)) : fitBlock(body, width)), fenceMark[1]!);
      index = close;
      continue;
    }
    if (displayWidth(line) <= width || /^#/.test(line)) out.push(line);
    else if (/^- /.test(line)) out.push(...wrapMarkdown(line.slice(2), width, '- ', '  '));
    else out.push(...wrapMarkdown(line, width, '', ''));
  }
  return out.join('\n');
}

/** A line of a shell block: a command broken between its arguments with " \". */
function fitCommand(line: string, width: number): string[] {
  return line.startsWith('$ ') ? layoutCommand(line.slice(2), width, { lead: '$ ', hang: '    ' }) : layoutCommand(line, width, { hang: '  ' });
}

/**
 * A block of a long value or a key: its lines, each run of lines between "-----" lines (a PEM
 * key's base64) flowed again into lines of `width` characters, which a PEM reader takes as well.
 */
function fitBlock(body: string[], width: number): string[] {
  if (body.every((line) => displayWidth(line) <= width)) return body;
  const out: string[] = [];
  let run = '';
  const flush = () => {
    if (run) out.push(...run.match(new RegExp(`.{1,${width}}`, 'gu'))!);
    run = '';
  };
  for (const line of body) {
    if (line.startsWith('-----') || /\s/.test(line)) {
      flush();
      out.push(line);
    } else run += line;
  }
  flush();
  return out;
}

// A word that would start a block (a list, a quote, a heading, a setext underline) at a line's start.
const BLOCK_START = /^(?:[-+*]|#{1,6}|=+|-+|\d{1,9}[.)]|>.*|`{3,}.*|~{3,}.*)$/;

/**
 * Markdown text as lines of at most `width` columns, broken at spaces outside code spans; a word
 * wider than a line (a long secret or URL in the text) is broken at its own separators, each piece
 * ending in "\" as everywhere in the tool (rendered, that is a hard line break).
 */
function wrapMarkdown(text: string, width: number, lead: string, hang: string): string[] {
  const lines: string[][] = [[]];
  let used = displayWidth(lead);
  const place = (word: string) => {
    const current = lines.at(-1)!;
    const wordWidth = displayWidth(word);
    if (current.length === 0 || used + 1 + wordWidth <= width) {
      used += (current.length ? 1 : 0) + wordWidth;
      current.push(word);
      return;
    }
    // The new line must not start with a block marker: the word before it comes along.
    const carried = BLOCK_START.test(word) && current.length > 1 ? [current.pop()!] : [];
    lines.push([...carried, word]);
    used = displayWidth(hang) + displayWidth(lines.at(-1)!.join(' '));
  };
  for (const word of markdownWords(text)) {
    if (word.startsWith('`') || displayWidth(hang) + displayWidth(word) <= width) {
      place(word);
      continue;
    }
    const room = width - used - 1;
    if (lines.at(-1)!.length > 0 && room < Math.min(12, width / 3)) {
      lines.push([]);
      used = displayWidth(hang);
    }
    const pieces = breakLongWord(word, lines.at(-1)!.length > 0 ? width - used - 1 : width - used, width - displayWidth(hang));
    pieces.forEach((piece, index) => {
      place(piece);
      if (index < pieces.length - 1) {
        lines.push([]);
        used = displayWidth(hang);
      }
    });
  }
  return lines.filter((line, index) => line.length > 0 || index === 0).map((line, index) => (index === 0 ? lead : hang) + line.join(' '));
}

/** Text split at the spaces outside code spans (a span's own spaces are kept inside its word). */
function markdownWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  for (let index = 0; index < text.length; index++) {
    const ticks = /^`+/.exec(text.slice(index))?.[0];
    if (text[index] === '\\') {
      // An escaped character (\` is a backtick, not a code span) stays with its backslash.
      word += text.slice(index, index + 2);
      index++;
    } else if (ticks) {
      const close = text.indexOf(ticks, index + ticks.length);
      const end = close === -1 ? index + ticks.length : close + ticks.length;
      word += text.slice(index, end);
      index = end - 1;
    } else if (text[index] === ' ') {
      if (word) words.push(word);
      word = '';
    } else word += text[index];
  }
  if (word) words.push(word);
  return words;
}

/**
 * A task paragraph: its own text escaped (escapeMarkdown), text in backticks kept as a code span,
 * each {{value}} from the material as code (a value of several lines, such as a PEM key, as a
 * fenced block of its own; on paper, a long value too, broken into short lines, after the paragraph).
 */
function markdownWithMaterial(template: string, material: Material, paper: boolean, width = Infinity): string {
  const lineLength = Math.min(PAPER_LINE, width);
  const after: string[] = [];
  let text = '';
  for (const segment of codeSpans(template)) {
    if (segment.code !== undefined) {
      text += code(fillTemplate(segment.code, material));
      continue;
    }
    for (const part of splitAtReferences(segment.text)) {
      const name = wholeReference(part);
      if (name === undefined || !Object.hasOwn(material, name)) {
        text += escapeMarkdown(part, text === '' || text.endsWith('\n'));
        continue;
      }
      const value = material[name]!;
      if (value.includes('\n')) text += `\n\n${fence(value.replace(/\n+$/, ''))}\n\n`;
      // A value too long for a line of the screen goes below as on paper; a key's lines fit then too.
      else if (((paper && value.length > PAPER_LONG) || value.length + 2 > width) && !/\s/.test(value)) {
        text += `${code(name)} (below)`;
        const broken = value.match(new RegExp(`.{1,${lineLength}}`, 'gu'))!;
        after.push(`${code(name)}, one line of ${value.length} characters:`, '', fence(broken.join('\n')), '');
      } else text += code(value);
    }
  }
  return [text.trim(), ...(after.length ? ['', ...after] : [])].join('\n').trim();
}

/**
 * Text as CommonMark reads backticks: a run of n backticks opens a code span that the next run of
 * exactly n closes; a run with no partner is a literal backtick (escaped by escapeMarkdown).
 */
function codeSpans(text: string): Array<{ text: string; code?: undefined } | { code: string; text?: undefined }> {
  const segments: Array<{ text: string; code?: undefined } | { code: string; text?: undefined }> = [];
  let rest = text;
  let plain = '';
  for (;;) {
    const open = /`+/.exec(rest);
    if (!open) break;
    const ticks = open[0];
    const closing = new RegExp(`(?<!\`)${ticks}(?!\`)`, 'g');
    closing.lastIndex = open.index + ticks.length;
    const close = closing.exec(rest);
    if (!close) {
      plain += rest.slice(0, open.index + ticks.length);
      rest = rest.slice(open.index + ticks.length);
      continue;
    }
    plain += rest.slice(0, open.index);
    if (plain) segments.push({ text: plain });
    plain = '';
    // CommonMark's own rule: one space each side is stripped when both are there (and the span is not all spaces).
    let inner = rest.slice(open.index + ticks.length, close.index).replace(/\n/g, ' ');
    if (/^ .*[^ ].* $/s.test(inner)) inner = inner.slice(1, -1);
    segments.push({ code: inner });
    rest = rest.slice(close.index + ticks.length);
  }
  plain += rest;
  if (plain) segments.push({ text: plain });
  return segments;
}

/** Text that may hold code spans in backticks (a title, a choice): the spans kept, the rest escaped. */
function markdownText(text: string, atLineStart = true): string {
  let out = '';
  for (const segment of codeSpans(text)) out += segment.code !== undefined ? code(segment.code) : escapeMarkdown(segment.text, atLineStart && out === '');
  return out;
}

/**
 * Escapes only what Markdown (CommonMark, and GitHub's tables, strikethrough and math) or HTML would
 * read as markup, so the raw text reads as it is: a backslash before punctuation; * ` | ~ $; _ unless
 * inside a word (snake_case is never emphasis); [ at a line's start (a link definition) and ] before
 * ( [ or : (a link); < before a letter, / ! or ? (a tag, a comment, an autolink); & when it would
 * start an entity; # at a line's start or after a space (a heading, its closing run). A marker that
 * starts a block (- + = > 1.) matters only at the start of a line: `atLineStart` says whether the
 * text begins one. A > or & in the middle of a line is left as it is.
 */
export function escapeMarkdown(text: string, atLineStart = true): string {
  const wordCharacter = (character: string | undefined) => character !== undefined && /[\p{L}\p{N}]/u.test(character);
  return text
    .replace(/\\(?=[!-/:-@[-`{-~]|$)/g, '\\\\')
    .replace(/[*`|~$]/g, '\\$&')
    .replace(/_+/g, (run: string, offset: number, whole: string) => (wordCharacter(whole[offset - 1]) && wordCharacter(whole[offset + run.length]) ? run : run.replace(/_/g, '\\_')))
    .replace(/\](?=[([:])/g, '\\]')
    .replace(/^(\s*)\[/gm, (match: string, space: string, offset: number) => (offset === 0 && !atLineStart ? match : `${space}\\[`))
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)/g, '\\&')
    .replace(/(^|\s)#/g, '$1\\#')
    .replace(/^(\s*)([-+=>]|\d+(?=[.)]))/gm, (match: string, space: string, marker: string, offset: number) => (offset === 0 && !atLineStart ? match : /^\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`));
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
