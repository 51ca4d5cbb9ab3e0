// Lessons as text: a screen on a terminal, or a whole lesson as plain text (for reading, screen
// readers, projecting or a file) with the answers to its questions at its end. Every line goes
// through the text layout (src/text/layout.ts): paragraphs and list items wrap to the width with
// their hanging indents, a lesson's small tables stay aligned (or stack), and a command is broken
// only between its arguments.

import { commandLinks, displayWidth, ITEM_MARKER, layoutCommand, layoutLine, layoutTable, wrapParagraph, wrapProse } from '../text/layout.js';
import { savedNameOf, shownCommand } from '../lessons/step-tokens.js';
import type { Output } from './output.js';
import { isCommandScreen, type ChoiceQuestion, type Lesson, type RunScreen, type Screen, type ValueQuestion } from '../lessons/schema.js';

import { LETTERS } from '../lessons/choices.js';

/** A lesson's preformatted table row: two spaces, a first cell, two or more spaces, the rest. */
const TABLE_ROW = /^ {2}(\S(?:[^ ]| (?! ))*?) {2,}(\S.*)$/;

/**
 * A screen's body laid out: a paragraph wraps (a list item under its text), and consecutive
 * preformatted rows ("  JWT             a token format…") are one table whose last column wraps
 * under itself, stacked when the first column leaves it too little room.
 */
export function layoutBody(body: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (let index = 0; index < body.length; index++) {
    const rows: string[][] = [];
    for (let match = TABLE_ROW.exec(body[index]!); match; match = TABLE_ROW.exec(body[index]!)) {
      rows.push([match[1]!, match[2]!]);
      if (++index >= body.length) break;
    }
    if (rows.length >= 2) {
      lines.push(...layoutTable(rows, width, { indent: '  ', minLastColumn: 30 }), '');
      index--;
      continue;
    }
    // A single row that looked like a table is just an indented line.
    if (rows.length === 1) index--;
    lines.push(...layoutProseLine(body[index]!, width), '');
  }
  return lines;
}

const COLOUR = /\x1b\[[0-9;]*m/;

/**
 * One line of prose laid out as layoutLine does (a list item under its text, an indented line
 * under its indent, a "$ " line as a command), except that a command inside the prose ("…, with:
 * openssl rand -base64 32") stays whole or is broken between its arguments with " \\".
 */
export function layoutProseLine(line: string, width: number): string[] {
  return layoutHeld(line, width).map((laidOut) => laidOut.replaceAll(HELD_SPACE, ' '));
}

/** `words` kept on one line by layoutProseLine (a command named in a sentence, not after a colon). */
export function heldTogether(words: string): string {
  return words.replaceAll(' ', HELD_SPACE);
}

function layoutHeld(line: string, width: number): string[] {
  if (!Number.isFinite(width) || displayWidth(line) <= width || COLOUR.test(line) || /^ *\$ /.test(line)) return layoutLine(line, width);
  const head = ITEM_MARKER.exec(line)?.[0] ?? /^ */.exec(line)![0];
  const words = line.slice(head.length).split(' ').filter((word) => word !== '');
  const links = commandLinks(words);
  if (!links.includes(true)) return layoutLine(line, width);
  // A command that fits on a line of its own is kept whole (its spaces held together while the
  // paragraph is wrapped); a longer one is broken between its arguments, with " \\".
  const room = width - displayWidth(head);
  const held: string[] = [];
  for (let start = 0; start < words.length;) {
    let end = start;
    while (links[end]) end++;
    const command = words.slice(start, end + 1).join(' ');
    held.push(end > start && displayWidth(command) <= room ? command.replaceAll(' ', HELD_SPACE) : command);
    start = end + 1;
  }
  return wrapProse(held.join(' '), width, { lead: head });
}

/** Holds a short command's words together while its paragraph wraps (lessons and talk use no other no-break space). */
const HELD_SPACE = '\u00a0';

/** Text of several lines, each laid out by layoutProseLine. */
export function layoutProseText(text: string, width: number): string {
  return text.split('\n').flatMap((line) => layoutProseLine(line, width)).join('\n');
}

/** `command` after `lead`, broken between its arguments (each line but the last ends in " \"), coloured by `paint`. */
export function layoutShownCommand(lead: string, command: string, width: number, paint: (text: string) => string = (text) => text, hang = '    '): string[] {
  return layoutCommand(command, width, { lead, hang }).map((line, index) => {
    const prefix = index === 0 ? lead : hang;
    // The rest of a broken argument starts at column 0 (so a shell paste joins it): keep every character.
    return line.startsWith(prefix) ? prefix + paint(line.slice(prefix.length)) : paint(line);
  });
}

/** What a learner's shell has been given this lesson, and the values a command's names stand for. */
export interface ShellNames {
  /** Tokens earlier steps saved, by saved name ("$FOOD_TOKEN" → "foodToken"). */
  saved: Map<string, string>;
  /** Names whose assignment this lesson has shown (name → value). */
  given?: Map<string, string>;
}

/**
 * The learner's shell has none of the names a shown command uses ("$TOKEN", "$ISSUER"), so the
 * first command in a lesson that uses one (or a new value of it, after a step ran again) comes
 * with the lines that set it: NAME=value, no "$ " prompt (what is shown is exactly what to paste),
 * a long value broken with "\" and its rest at column 0 (a shell joins a line ending in "\" to
 * the next, and no space gets in), any note on a "# " line after it. A value this step makes
 * (`made`) wins over a saved one; a name with no value yet is left for the step to set. Unquoted
 * when its characters need no quotes (a shell keeps a "\" inside quotes); else in single quotes.
 */
export function shellSetUp(command: string | undefined, names: ShellNames, width: number, made: Record<string, string> = {}, notes: Record<string, string> = {}, textWidth = width, intro = PASTE_INTRO): string[] {
  const setUp: string[] = [];
  const seen = new Set<string>();
  for (const [, variable] of (command ?? '').matchAll(/"\$([A-Z][A-Z0-9_]*)"/g)) {
    if (seen.has(variable!)) continue;
    seen.add(variable!);
    const value = made[variable!] ?? names.saved.get(savedNameOf(variable!));
    if (value === undefined || names.given?.get(variable!) === value) continue;
    names.given?.set(variable!, value);
    const quoted = /^[\w.:/-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
    setUp.push(...layoutCommand(`${variable}=${quoted}`, width, { lead: '', hang: '' }));
    if (notes[variable!]) setUp.push(...wrapParagraph(notes[variable!]!, width, { lead: '# ', hang: '# ' }));
  }
  if (!setUp.length) return [];
  return [...wrapParagraph(intro, Math.min(width, textWidth)), ...setUp, ''];
}

/** What comes before the lines that set a command's names. */
export const PASTE_INTRO = 'To run the command below yourself, first paste these lines into your shell exactly as shown (where a line ends in "\\", the next goes on):';

/** What labels the command a hands-on step runs, on a terminal and in --plain alike. */
export const RUNS_LABEL = 'Runs: ';

/** The command a step runs, after its label, broken between its arguments to the width (the label bold). */
export function runsLines(command: string, width: number, c?: Output['colour']): string[] {
  return layoutShownCommand(RUNS_LABEL, shownCommand(command), width, c?.cyan).map((line) => (c && line.startsWith(RUNS_LABEL) ? c.bold(RUNS_LABEL.trimEnd()) + line.slice(RUNS_LABEL.trimEnd().length) : line));
}

/** Whether a screen shows its command itself: not a step with a `with`, whose names are made as it runs (the step then shows them, and the command, before its output). */
export const showsCommandOnScreen = (screen: RunScreen): boolean => isCommandScreen(screen) && screen.with === undefined;

/** The columns for prose (`text`), and for a command, which is kept whole when the screen fits it (`screen`). */
export interface LessonWidths {
  text: number;
  screen: number;
}

/** A screen's title, and where it is in the lesson kept whole: after the title when it fits there, else under it. */
function headerLines(title: string, place: string, width: number): string[] {
  const lines = layoutLine(title, width);
  const last = lines.length - 1;
  if (displayWidth(`${lines[last]}  ${place}`) <= width) lines[last] += `  ${place}`;
  else lines.push(place);
  return lines;
}

/** A screen on a terminal; `setUp` (shellSetUp's lines) goes just before its hands-on command. */
export function renderScreen(lesson: Lesson, index: number, screen: Screen, output: Output, widths: LessonWidths, setUp: readonly string[] = []): string {
  const c = output.colour;
  const width = widths.text;
  const lines = ['', ...headerLines(c.bold(`Lesson ${lesson.number} · ${lesson.title}`), c.dim(`(screen ${index + 1} of ${lesson.screens.length})`), width)];
  if (screen.type !== 'question' && screen.title) lines.push(...layoutLine(c.bold.underline(screen.title), width));
  lines.push('');
  if (screen.type === 'question') {
    lines.push(...layoutLine(`${c.bold('Question:')} ${screen.prompt}`, width));
    return lines.join('\n');
  }
  lines.push(...layoutBody(screen.body, width));
  if (screen.type === 'run') {
    if (showsCommandOnScreen(screen) && isCommandScreen(screen)) lines.push(...setUp, ...runsLines(screen.command, widths.screen, c));
    else lines.push(`${c.bold('Hands-on:')} running the real code now…`);
  }
  return lines.join('\n').trimEnd();
}

/** The right answer as the learner saw the choices: lettered in --plain, numbered on a terminal (where b is the back key). */
export function describeAnswer(question: ChoiceQuestion | ValueQuestion, expected: string, numbered = false): string {
  if (question.kind !== 'choice') return expected;
  return `(${numbered ? question.answer + 1 : LETTERS[question.answer]}) ${expected}`;
}

/**
 * A whole lesson as plain text, answers at the end, printed as it goes: each hands-on step's
 * output comes from `handsOn` and follows its heading (a step may print while it runs, as the
 * demo flow does, so what comes before it is printed first).
 */
export async function printPlainLesson(lesson: Lesson, widths: LessonWidths, handsOn: (screen: RunScreen) => Promise<string>, expectedValue: (question: ValueQuestion) => string | undefined, print: (text: string) => void, setUp: (screen: RunScreen) => string[] = () => []): Promise<void> {
  const width = widths.text;
  const heading = `Lesson ${lesson.number}: ${lesson.title}`;
  let lines = [...layoutLine(heading, width), '='.repeat(Math.min(width, heading.length)), '', ...layoutLine(lesson.summary, width), ''];
  const flush = () => {
    if (lines.length) print(lines.join('\n'));
    lines = [];
  };
  const answers: string[] = [];
  let questionNumber = 0;
  for (const screen of lesson.screens) {
    if (screen.type === 'question') {
      questionNumber++;
      lines.push(...layoutLine(`Question ${questionNumber}: ${screen.prompt}`, width));
      if (screen.kind === 'choice') screen.choices.forEach((choice, index) => lines.push(...layoutLine(`  (${LETTERS[index]}) ${choice}`, width)));
      else lines.push('  (type the value)');
      lines.push('');
      const expected = screen.kind === 'choice' ? screen.choices[screen.answer]! : expectedValue(screen) ?? '(shown in the hands-on step above)';
      answers.push(...layoutLine(`${questionNumber}. ${describeAnswer(screen, expected)}. ${screen.explanation}`, width));
      continue;
    }
    if (screen.title) lines.push(...layoutLine(screen.title, width), '-'.repeat(Math.min(width, screen.title.length)));
    lines.push(...layoutBody(screen.body, width));
    if (screen.type === 'run') {
      if (showsCommandOnScreen(screen) && isCommandScreen(screen)) lines.push(...setUp(screen), ...runsLines(screen.command, widths.screen), '');
      flush();
      lines.push(await handsOn(screen), '');
    }
  }
  if (answers.length) lines.push(`Answers to lesson ${lesson.number}`, ...answers, '');
  flush();
}
