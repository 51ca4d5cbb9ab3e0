// What a command written in someone else's data may run. `exercises selftest` runs every
// exercise's solution commands, and the tutorial runs the command each lesson command step shows;
// a teacher's pack or a lessons folder is data, so each command is split here (one splitter) and
// checked against one allowlist of subcommands and options: nothing in it may read a file, write a
// file or read stdin, and only a lesson step that runs Mock Google may reach the network, and then
// only that Mock Google ({{issuer}}). The same rules hold for the built-in exercises and lessons.

import { InputError } from '../errors.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { fillTemplate } from './template.js';

/**
 * How an allowed option is written: with a value, with an optional value, or alone; "issuer" is
 * --discover in a lesson, whose value must be the word {{issuer}} (the Mock Google its step runs).
 */
type OptionShape = 'value' | 'optional-value' | 'flag' | 'issuer';

interface SubcommandRule {
  options: ReadonlyMap<string, OptionShape>;
  /** decode and verify take the token as their one argument; mint takes none. */
  takesToken: boolean;
}

const MINT: SubcommandRule = {
  takesToken: false,
  options: new Map<string, OptionShape>([
    ['--alg', 'value'], ['--secret', 'value'], ['--sub', 'value'], ['--iss', 'value'], ['--aud', 'value'],
    ['--exp', 'value'], ['--no-exp', 'flag'], ['--nbf', 'value'], ['--jti', 'optional-value'], ['--claim', 'value'],
    ['--payload', 'value'], ['--kid', 'value'], ['--typ', 'value'], ['--header', 'value'], ['--json', 'flag'],
  ]),
};

const VERIFY: SubcommandRule = {
  takesToken: true,
  options: new Map<string, OptionShape>([
    ['--secret', 'value'], ['--alg', 'value'], ['--iss', 'value'], ['--aud', 'value'], ['--sub', 'value'], ['--typ', 'value'],
    ['--max-age', 'value'], ['--require', 'value'], ['--clock-tolerance', 'value'], ['--at', 'value'], ['--json', 'flag'],
  ]),
};

/** The subcommands a solution command may run, and the only options each may use. */
const RULES: ReadonlyMap<string, SubcommandRule> = new Map([
  ['mint', MINT],
  ['sign', MINT],
  ['verify', VERIFY],
  ['decode', { takesToken: true, options: new Map<string, OptionShape>([['--json', 'flag']]) }],
]);

/**
 * A lesson command: the same list, and verify may also use --discover {{issuer}} in a step that
 * runs Mock Google (lessons 8 and 9 check real tokens against its keys).
 */
const LESSON_RULES: ReadonlyMap<string, SubcommandRule> = new Map([
  ...RULES,
  ['verify', { ...VERIFY, options: new Map<string, OptionShape>([...VERIFY.options, ['--discover', 'issuer']]) }],
]);

/** Why the options a pack most wants are refused, so the message can say so. */
const REFUSED_BECAUSE: ReadonlyMap<string, string> = new Map([
  ['--key', 'reads a file'],
  ['--save-key', 'writes files'],
  ['--jwks', 'reaches the network'],
  ['--discover', 'reaches the network'],
  ['--timeout', 'only matters for --jwks and --discover, which reach the network'],
]);

/** Who wrote the command, which rules it keeps, and how messages name it. */
interface Profile {
  rules: ReadonlyMap<string, SubcommandRule>;
  /** "a solution command", "a lesson command". */
  noun: string;
  /** How this kind of command writes a token it does not know yet. */
  tokenExample: string;
  /** A lesson's {{name}} is a word of its own, filled from what earlier steps saved; a solution's may sit inside a word. */
  references: boolean;
  /** Whether --discover {{issuer}} may be used (a lesson step that runs Mock Google). */
  issuer: boolean;
  /** How such a command is written, for a line a shell would read differently. */
  plainWords: string;
}

const SOLUTION: Profile = { rules: RULES, noun: 'a solution command', tokenExample: '{{token}}', references: false, issuer: false, plainWords: `a solution command is plain words, "double" or 'single' quoted` };
const lessonProfile = (mockGoogle: boolean): Profile => ({ rules: LESSON_RULES, noun: 'a lesson command', tokenExample: '{{token}}', references: true, issuer: mockGoogle, plainWords: `a lesson command is plain words, "double" or 'single' quoted, and a {{name}} is a word of its own` });

/** The allowlist in words, for error hints and the README. */
function allowedCommands(profile: Profile): string {
  const list = (name: string) => [...RULES.get(name)!.options.keys()].join(' ');
  const start = profile.references ? 'jwt-vs-oauth mint' : 'jwt-vs-oauth mint (or sign)';
  const discover = profile.references ? ' (and --discover {{issuer}} in a step that runs Mock Google)' : '';
  const names = profile.references ? ' A {{name}} word stands for what an earlier step saved, as the token or an option\'s value (shown as "$NAME").' : '';
  return `${start} with ${list('mint')} (--payload as inline JSON, never @file); jwt-vs-oauth verify <token> with ${list('verify')}${discover}; jwt-vs-oauth decode <token> with ${list('decode')}.${names}`;
}

const ERROR_CODE = 'ERR_SOLUTION_COMMAND';

/** Text from a pack or lesson in a message: in quotes, control characters shown escaped. */
const quoted = (text: string) => `"${terminalSafe(text)}"`;

/** One word of a command line. */
interface Word {
  /** What runs: quotes removed (and, once filled, the value a "$NAME" stands for). */
  text: string;
  /** name, when the word is written exactly {{name}} (a lesson's reference to a saved value). */
  reference?: string;
  /** The first thing in the word that a shell would read differently. */
  shellProblem?: string;
}

/**
 * Splits a command line into the words that will run: spaces separate words, "double" and
 * 'single' quotes group, as in a POSIX shell. It also notes, per word, the first thing a shell
 * would read differently (a backslash, $, `, ;, |, &, <, >, parentheses, a control character),
 * because a learner types the line that is shown and must get the same words. A word written
 * {{name}} is marked, for lessons, whose {{names}} stand for saved values.
 */
function splitCommandLine(line: string, plainWords: string): Word[] {
  const words: Word[] = [];
  let position = 0;
  while (position < line.length) {
    if (line[position] === ' ') {
      position++;
      continue;
    }
    const start = position;
    let text = '';
    let shellProblem: string | undefined;
    const note = (character: string, where: string) => (shellProblem ??= `holds ${quoted(character)}${where}, which a shell reads differently; ${plainWords}`);
    while (position < line.length && line[position] !== ' ') {
      const character = line[position]!;
      if (character === '"' || character === "'") {
        const end = line.indexOf(character, position + 1);
        if (end < 0) throw new SyntaxError(`a ${character === '"' ? 'double' : 'single'} quote is not closed`);
        const inQuotes = line.slice(position + 1, end);
        const special = (character === '"' ? /[\\$`!\u0000-\u001f\u007f-\u009f]/ : /[\u0000-\u001f\u007f-\u009f]/).exec(inQuotes);
        if (special) note(special[0], ' inside quotes');
        text += inQuotes;
        position = end + 1;
      } else {
        if (/[\\$`;|&<>()\u0000-\u001f\u007f-\u009f]/.test(character)) note(character, '');
        text += character;
        position++;
      }
    }
    const reference = /^\{\{([a-z][A-Za-z0-9]*)\}\}$/.exec(line.slice(start, position))?.[1];
    words.push({ text, ...(reference === undefined ? {} : { reference }), ...(shellProblem === undefined ? {} : { shellProblem }) });
  }
  return words;
}

/** A command line's words as a shell reads them, quotes removed (nothing filled). */
export function commandLineWords(line: string): string[] {
  return splitCommandLine(line, '').map((word) => word.text);
}

const TEMPLATE = /\{\{[^}]*\}\}/;

/**
 * Why these words (after the program name) may not run, or undefined when they may. Before
 * templates are filled, one may stand for a value or the token, never for an option
 * name; after filling, the same check runs again on what will really run.
 */
function problemWith(words: Word[], profile: Profile): string | undefined {
  const [subcommandWord, ...rest] = words;
  const subcommand = subcommandWord?.text;
  const rule = subcommand === undefined || subcommandWord?.reference !== undefined ? undefined : profile.rules.get(subcommand);
  if (!rule) return 'is not a jwt-vs-oauth decode, mint or verify command';
  let tokens = 0;
  for (let index = 0; index < rest.length; index++) {
    const word = rest[index]!.text;
    if (profile.references && rest[index]!.reference !== undefined && (word === '' || word.startsWith('-'))) {
      return `would fill {{${rest[index]!.reference}}} with ${word === '' ? 'nothing' : 'a word that starts with "-"'}, which is not a token or a value`;
    }
    if (word === '--') return `uses a "--" separator, which ${profile.noun} does not need`;
    if (word === '-') return `reads the token from stdin ("-"); give the token itself, such as ${profile.tokenExample}`;
    if (!word.startsWith('-')) {
      if (!rule.takesToken) return `gives ${subcommand} an argument (${quoted(word)}), which it does not take`;
      if (++tokens > 1) return `gives ${subcommand} more than one token`;
      continue;
    }
    if (!word.startsWith('--')) return `uses ${quoted(word)}: short options are not allowed; write the long --name`;
    const equals = word.indexOf('=');
    const name = equals < 0 ? word : word.slice(0, equals);
    if (TEMPLATE.test(name)) return `puts a template where an option name goes (${quoted(name)})`;
    const shape = rule.options.get(name);
    if (shape === undefined || (shape === 'issuer' && !profile.issuer)) {
      const reason = REFUSED_BECAUSE.get(name);
      if (name === '--discover' && profile.references) return `uses --discover, which ${reason}; only a step that runs Mock Google ("with": "mock-google") may use it, as --discover {{issuer}}`;
      return reason ? `uses ${name}, which ${reason}` : `uses ${terminalSafe(name)}, which is not an option ${profile.noun} may use with ${subcommand}`;
    }
    if (shape === 'issuer') {
      // The address of the Mock Google the step runs, filled in at run time: never a written URL, which could be anywhere.
      const only = 'a lesson may use only --discover {{issuer}}, the Mock Google its step runs (a written address could reach any server)';
      if (equals >= 0) return `uses ${quoted(word)}; ${only}, as two words`;
      const value = rest[++index];
      if (value?.reference !== 'issuer') return `uses ${name} with ${value === undefined ? 'no value' : quoted(value.text)}; ${only}`;
      continue;
    }
    let value: string | undefined;
    if (equals >= 0) {
      if (shape === 'flag') return `gives ${name} a value, but it takes none`;
      value = word.slice(equals + 1);
    } else if (shape === 'value') {
      value = rest[++index]?.text;
      // A value that looks like an option would be read as one (by us, or by the CLI's parser first).
      if (value === undefined || value.startsWith('-')) return `gives ${name} no value; for a value that starts with "-" write ${name}=value`;
    } else if (shape === 'optional-value' && rest[index + 1] !== undefined && !rest[index + 1]!.text.startsWith('-')) {
      value = rest[++index]!.text;
    }
    if (name === '--payload' && value?.startsWith('@')) return 'uses --payload with @file, which reads a file; give the claims as inline JSON';
  }
  if (rule.takesToken && tokens === 0) return `gives ${subcommand} no token, so it would read stdin; give the token itself, such as ${profile.tokenExample}`;
  return undefined;
}

/** The words after the program name, or what keeps the line from being read. */
function wordsAfterProgram(line: string, profile: Profile): Word[] | string {
  let words;
  try {
    words = splitCommandLine(line, profile.plainWords);
  } catch (error) {
    return `cannot be read: ${(error as Error).message}`;
  }
  if (words[0]?.text !== 'jwt-vs-oauth' || words[0].reference !== undefined) return 'is not a jwt-vs-oauth decode, mint or verify command';
  return words.slice(1);
}

/**
 * What the words would run into first: a refused option or argument, else something a shell
 * reads differently; in a lesson, a {{name}} inside a longer word (it is shown as "$NAME", which
 * must be a word of its own to paste as one).
 */
function problemOfWords(words: Word[], profile: Profile): string | undefined {
  const embedded = profile.references ? words.find((word) => word.reference === undefined && TEMPLATE.test(word.text)) : undefined;
  return problemWith(words, profile)
    ?? (embedded && `puts a {{name}} inside a longer word (${quoted(embedded.text)}); a {{name}} must be a word of its own, such as --aud {{api}}`)
    ?? words.find((word) => word.shellProblem !== undefined)?.shellProblem;
}

/**
 * Checks a solution command as written in an exercise file; returns what is wrong, in words, or
 * undefined. What it would run is checked first, so the message names a forbidden option before
 * any quoting detail.
 */
export function solutionCommandProblem(line: string): string | undefined {
  const words = wordsAfterProgram(line, SOLUTION);
  return typeof words === 'string' ? words : problemOfWords(words, SOLUTION);
}

/**
 * The words to run for a solution command (without the program name): split first, then each
 * word's {{names}} filled, so a filled value stays one word and cannot become an option; then
 * checked again. Throws InputError (exit 2) naming the exercise, the command and the problem.
 */
export function solutionCommandWords(line: string, fill: (word: string) => string, where: { exerciseId: string; commandNumber: number }): string[] {
  const words = wordsAfterProgram(line, SOLUTION);
  const filled = typeof words === 'string' ? words : words.map((word) => ({ ...word, text: fill(word.text) }));
  const problem = typeof filled === 'string' ? filled : problemWith(filled, SOLUTION);
  if (problem !== undefined) {
    throw new InputError(ERROR_CODE, `exercise "${where.exerciseId}": solution command ${where.commandNumber}, once its {{names}} are filled, ${problem}.`, `A solution command may use only: ${allowedCommands(SOLUTION)}`);
  }
  return (filled as Word[]).map((word) => word.text);
}

/** The refusal for a solution command found in an exercise file, naming the file, the exercise, the command and the problem. */
export function solutionCommandError(file: string, exerciseId: string, commandNumber: number, line: string, problem: string): InputError {
  return new InputError(ERROR_CODE, `${file}: exercise "${exerciseId}": solution command ${commandNumber} (${quoted(line)}) ${problem}.`, `A solution command may use only: ${allowedCommands(SOLUTION)}`);
}

/** What a lesson command may use, in words: the hint under a refusal. */
export const LESSON_COMMAND_HINT = `A lesson command may use only: ${allowedCommands(lessonProfile(true))}`;

/**
 * Checks the command a lesson's command step runs, as written in the lesson file; returns what is
 * wrong, in words, or undefined. `mockGoogle`: the step runs Mock Google ("with": "mock-google")
 * and fills {{issuer}} with its address, so --discover {{issuer}} may be used.
 */
export function lessonCommandProblem(line: string, options: { mockGoogle: boolean }): string | undefined {
  const profile = lessonProfile(options.mockGoogle);
  const words = wordsAfterProgram(line, profile);
  return typeof words === 'string' ? words : problemOfWords(words, profile);
}

/** The {{names}} a lesson command uses, in order, each once (none when it cannot be read). */
export function lessonCommandReferences(line: string): string[] {
  const words = wordsAfterProgram(line, lessonProfile(true));
  return typeof words === 'string' ? [] : [...new Set(words.flatMap((word) => (word.reference === undefined ? [] : [word.reference])))];
}

/**
 * The words to run for a lesson's command (without the program name): checked as the lesson file
 * was, then each word filled (fillTemplate: a {{name}} from `values`), so a filled value stays one
 * word; then checked again. Throws InputError (ERR_LESSON_FILE) saying what is wrong.
 */
export function lessonCommandWords(line: string, values: Record<string, string>, options: { mockGoogle: boolean }): string[] {
  const profile = lessonProfile(options.mockGoogle);
  const refuse = (problem: string) => new InputError('ERR_LESSON_FILE', `the lesson's command ${quoted(line)}${problem.startsWith(',') ? '' : ' '}${problem}.`, LESSON_COMMAND_HINT);
  const words = wordsAfterProgram(line, profile);
  if (typeof words === 'string') throw refuse(words);
  const before = problemOfWords(words, profile);
  if (before !== undefined) throw refuse(before);
  const filled = words.map((word) => ({ ...word, text: fillTemplate(word.text, values) }));
  const after = problemWith(filled, profile);
  if (after !== undefined) throw refuse(`, once its {{names}} are filled, ${after}`);
  return filled.map((word) => word.text);
}
