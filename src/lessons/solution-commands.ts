// What a solution command may run. `exercises selftest` runs every exercise's solution commands,
// and a teacher's pack is someone else's data, so each command is parsed here against an
// allowlist of subcommands and options: nothing in it may read a file, write a file, reach the
// network or read stdin. The same rule holds for the built-in exercises.

import { InputError } from '../errors.js';
import { terminalSafe } from '../text/terminal-safe.js';

/** How an allowed option is written: with a value, with an optional value, or alone. */
type OptionShape = 'value' | 'optional-value' | 'flag';

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

/** The subcommands a solution command may run, and the only options each may use. */
const RULES: ReadonlyMap<string, SubcommandRule> = new Map([
  ['mint', MINT],
  ['sign', MINT],
  ['verify', {
    takesToken: true,
    options: new Map<string, OptionShape>([
      ['--secret', 'value'], ['--alg', 'value'], ['--iss', 'value'], ['--aud', 'value'], ['--sub', 'value'],
      ['--max-age', 'value'], ['--require', 'value'], ['--clock-tolerance', 'value'], ['--at', 'value'], ['--json', 'flag'],
    ]),
  }],
  ['decode', { takesToken: true, options: new Map<string, OptionShape>([['--json', 'flag']]) }],
]);

/** Why the options a pack most wants are refused, so the message can say so. */
const REFUSED_BECAUSE: ReadonlyMap<string, string> = new Map([
  ['--key', 'reads a file'],
  ['--save-key', 'writes files'],
  ['--jwks', 'reaches the network'],
  ['--discover', 'reaches the network'],
  ['--timeout', 'only matters for --jwks and --discover, which reach the network'],
]);

/** The allowlist in words, for error hints and the README. */
function allowedSolutionCommands(): string {
  const list = (name: string) => [...RULES.get(name)!.options.keys()].join(' ');
  return `jwt-vs-oauth mint (or sign) with ${list('mint')} (--payload as inline JSON, never @file); jwt-vs-oauth verify <token> with ${list('verify')}; jwt-vs-oauth decode <token> with ${list('decode')}.`;
}

const ERROR_CODE = 'ERR_SOLUTION_COMMAND';

/** Pack text in a message: in quotes, control characters shown escaped. */
const quoted = (text: string) => `"${terminalSafe(text)}"`;

/**
 * Splits a command line into the words that will run: spaces separate words, "double" and
 * 'single' quotes group, as in a POSIX shell. It also notes the first thing a shell would read
 * differently (a backslash, $, `, ;, |, &, <, >, parentheses, a control character), because a
 * learner types the line the solution shows and must get the same words.
 */
function splitCommandLine(line: string): { words: string[]; shellProblem?: string } {
  const words: string[] = [];
  let shellProblem: string | undefined;
  const note = (character: string, where: string) => (shellProblem ??= `holds ${quoted(character)}${where}, which a shell reads differently; a solution command is plain words, "double" or 'single' quoted`);
  let position = 0;
  while (position < line.length) {
    if (line[position] === ' ') {
      position++;
      continue;
    }
    let word = '';
    while (position < line.length && line[position] !== ' ') {
      const character = line[position]!;
      if (character === '"' || character === "'") {
        const end = line.indexOf(character, position + 1);
        if (end < 0) throw new SyntaxError(`a ${character === '"' ? 'double' : 'single'} quote is not closed`);
        const inQuotes = line.slice(position + 1, end);
        const special = (character === '"' ? /[\\$`!\u0000-\u001f\u007f-\u009f]/ : /[\u0000-\u001f\u007f-\u009f]/).exec(inQuotes);
        if (special) note(special[0], ' inside quotes');
        word += inQuotes;
        position = end + 1;
      } else {
        if (/[\\$`;|&<>()\u0000-\u001f\u007f-\u009f]/.test(character)) note(character, '');
        word += character;
        position++;
      }
    }
    words.push(word);
  }
  return shellProblem === undefined ? { words } : { words, shellProblem };
}

const TEMPLATE = /\{\{[^}]*\}\}/;

/**
 * Why these words (after the program name) may not run, or undefined when they may. Before
 * templates are filled, a template may stand for a value or the token, never for an option name;
 * after filling, the same check runs again on what will really run.
 */
function problemWith(words: string[]): string | undefined {
  const [subcommand, ...rest] = words;
  const rule = subcommand === undefined ? undefined : RULES.get(subcommand);
  if (!rule) return 'is not a jwt-vs-oauth decode, mint or verify command';
  let tokens = 0;
  for (let index = 0; index < rest.length; index++) {
    const word = rest[index]!;
    if (word === '--') return 'uses a "--" separator, which a solution command does not need';
    if (word === '-') return 'reads the token from stdin ("-"); give the token itself, such as {{token}}';
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
    if (shape === undefined) {
      const reason = REFUSED_BECAUSE.get(name);
      return reason ? `uses ${name}, which ${reason}` : `uses ${terminalSafe(name)}, which is not an option a solution command may use with ${subcommand}`;
    }
    let value: string | undefined;
    if (equals >= 0) {
      if (shape === 'flag') return `gives ${name} a value, but it takes none`;
      value = word.slice(equals + 1);
    } else if (shape === 'value') {
      value = rest[++index];
      // A value that looks like an option would be read as one (by us, or by the CLI's parser first).
      if (value === undefined || value.startsWith('-')) return `gives ${name} no value; for a value that starts with "-" write ${name}=value`;
    } else if (shape === 'optional-value' && rest[index + 1] !== undefined && !rest[index + 1]!.startsWith('-')) {
      value = rest[++index];
    }
    if (name === '--payload' && value?.startsWith('@')) return 'uses --payload with @file, which reads a file; give the claims as inline JSON';
  }
  if (rule.takesToken && tokens === 0) return `gives ${subcommand} no token, so it would read stdin; give the token itself, such as {{token}}`;
  return undefined;
}

/** The words after the program name, or what keeps the line from being read. */
function wordsAfterProgram(line: string): { words: string[]; shellProblem?: string } | string {
  let split;
  try {
    split = splitCommandLine(line);
  } catch (error) {
    return `cannot be read: ${(error as Error).message}`;
  }
  if (split.words[0] !== 'jwt-vs-oauth') return 'is not a jwt-vs-oauth decode, mint or verify command';
  return { ...split, words: split.words.slice(1) };
}

/**
 * Checks a solution command as written in an exercise file; returns what is wrong, in words, or
 * undefined. What it would run is checked first, so the message names a forbidden option before
 * any quoting detail.
 */
export function solutionCommandProblem(line: string): string | undefined {
  const split = wordsAfterProgram(line);
  return typeof split === 'string' ? split : problemWith(split.words) ?? split.shellProblem;
}

/**
 * The words to run for a solution command (without the program name): split first, then each
 * word's {{names}} filled, so a filled value stays one word and cannot become an option; then
 * checked again. Throws InputError (exit 2) naming the exercise, the command and the problem.
 */
export function solutionCommandWords(line: string, fill: (word: string) => string, where: { exerciseId: string; commandNumber: number }): string[] {
  const split = wordsAfterProgram(line);
  const filled = typeof split === 'string' ? split : split.words.map(fill);
  const problem = typeof filled === 'string' ? filled : problemWith(filled);
  if (problem !== undefined) {
    throw new InputError(ERROR_CODE, `exercise "${where.exerciseId}": solution command ${where.commandNumber}, once its {{names}} are filled, ${problem}.`, `A solution command may use only: ${allowedSolutionCommands()}`);
  }
  return filled as string[];
}

/** The refusal for a solution command found in an exercise file, naming the file, the exercise, the command and the problem. */
export function solutionCommandError(file: string, exerciseId: string, commandNumber: number, line: string, problem: string): InputError {
  return new InputError(ERROR_CODE, `${file}: exercise "${exerciseId}": solution command ${commandNumber} (${quoted(line)}) ${problem}.`, `A solution command may use only: ${allowedSolutionCommands()}`);
}
